/**
 * A command-line option described once: its `@effect/cli` `Options` (which parse it for the
 * handler) and a {@link Spec} of the same option, which `Argv` checks the command line against
 * before `@effect/cli` sees it (to name the option, the bad value and what is accepted), `Help`
 * prints and `Completions` offers.
 *
 * @since 0.1.0
 */
import { Guid } from "@acs-identity/sdk"
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { hasControl } from "./Controls.js"

/**
 * What an option takes after its name.
 *
 * @since 0.1.0
 * @category models
 */
export interface ValueSpec {
  /** The placeholder in help and messages, without brackets: `scope` for `<scope>`. */
  readonly pseudo: string
  /** What is accepted, for help and messages ("a whole number from 0 to 10"). */
  readonly accepts: string
  /** The only values accepted, if it is a choice. */
  readonly choices: ReadonlyArray<string> | undefined
  /** Whether a value is acceptable. */
  readonly check: (value: string) => boolean
  /** A secret: never quoted in a message. */
  readonly secret: boolean
  /** Several values may follow one occurrence, as `--scope chat voip`. */
  readonly spaced: boolean
  /** The value names fields of the command's output (`--query`), checked against them. */
  readonly fields: boolean
  /** Help says what is accepted (a range; choices are always listed). */
  readonly inHelp: boolean
}

/**
 * An option as `Argv` and `Help` see it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Spec {
  /** The name without dashes. */
  readonly name: string
  /** A one-letter alias, without its dash. */
  readonly alias: string | undefined
  /** What follows the name; `undefined` for a switch such as `--mock`. */
  readonly value: ValueSpec | undefined
  readonly required: boolean
  readonly repeatable: boolean
  /** Shared by every command, accepted before or after the command's name. */
  readonly global: boolean
  readonly description: string
  /**
   * The api-versions that have the option with this value (`undefined`: every one); `Argv` refuses
   * it with another `--api-version`.
   */
  readonly apiVersions?: (value: string) => ReadonlyArray<string> | undefined
}

/**
 * An option: its spec and the `@effect/cli` options parsing it into an `A`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flag<A> {
  readonly spec: Spec
  readonly options: Options.Options<A>
}

/**
 * The parsed values of a record of flags.
 *
 * @since 0.1.0
 * @category models
 */
export type Parsed<F extends Readonly<Record<string, Flag<unknown>>>> = {
  readonly [K in keyof F]: F[K] extends Flag<infer A> ? A : never
}

interface ValueOptions {
  readonly pseudo: string
  readonly description: string
  /** What is accepted, when the constructor's own wording does not fit. */
  readonly accepts?: string
}

/**
 * A GUID as messages show one.
 *
 * @since 0.1.0
 * @category constants
 */
export const exampleGuid = "00000000-0000-0000-0000-000000000000"

/**
 * What a GUID option accepts, for help and messages.
 *
 * @since 0.1.0
 * @category constants
 */
export const guidRule = `a GUID such as ${exampleGuid}`

const make = <A>(
  name: string,
  description: string,
  value: ValueSpec | undefined,
  options: Options.Options<A>
): Flag<A> => ({
  spec: { name, alias: undefined, value, required: value !== undefined, repeatable: false, global: false, description },
  options: Options.withDescription(options, description)
})

const valueSpec = (
  pseudo: string,
  accepts: string,
  check: (value: string) => boolean,
  extra: Partial<ValueSpec> = {}
): ValueSpec => ({
  pseudo,
  accepts,
  check,
  choices: undefined,
  secret: false,
  spaced: false,
  fields: false,
  inHelp: false,
  ...extra
})

/**
 * `--<name> <text>`: any text without control characters that `schema` (if given) accepts, such as
 * the SDK's length bounds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const text = (
  name: string,
  { accepts, description, pseudo, schema }: ValueOptions & { readonly schema?: Schema.Schema<string> }
): Flag<string> => {
  const valid = schema === undefined ? () => true : Schema.is(schema)
  return make(
    name,
    description,
    valueSpec(pseudo, accepts ?? "text without control characters", (value) => !hasControl(value) && valid(value)),
    Options.text(name)
  )
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const idPattern = /^[^\s\u0000-\u001f\u007f-\u009f]+$/u

/**
 * `--<name> <id>`: an identifier (a user id, a GUID): not empty, no whitespace, no control
 * characters, so an id read from a column with a trailing tab is refused before it is sent.
 *
 * @since 0.1.0
 * @category constructors
 */
export const id = (name: string, { accepts, description, pseudo }: ValueOptions): Flag<string> =>
  make(
    name,
    description,
    valueSpec(pseudo, accepts ?? "an id without whitespace or control characters", (value) => idPattern.test(value)),
    Options.text(name)
  )

/**
 * `--<name> <guid>`: an Entra id (a tenant, an object, an application), checked as the SDK checks
 * it, so a bad one is a usage error naming the option.
 *
 * @since 0.1.0
 * @category constructors
 */
export const guid = (name: string, description: string): Flag<string> =>
  make(name, description, valueSpec("guid", guidRule, Schema.is(Guid)), Options.text(name))

/**
 * `--<name> <secret>`: read as a `Redacted`, never quoted in a message; no whitespace or control
 * characters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const secret = (
  name: string,
  { accepts, description, pseudo }: ValueOptions
): Flag<Redacted.Redacted<string>> =>
  make(
    name,
    description,
    valueSpec(pseudo, accepts ?? `a ${pseudo} without whitespace or control characters`, (value) =>
      idPattern.test(value), {
      secret: true
    }),
    Options.redacted(name)
  )

/**
 * `--<name> <choice>`: one of `literals`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const choice = <const L extends ReadonlyArray<string>>(
  name: string,
  literals: L & readonly [string, ...Array<string>],
  { description, pseudo }: ValueOptions
): Flag<L[number]> =>
  make(
    name,
    description,
    valueSpec(pseudo, `choose from ${literals.join(", ")}`, (value) => literals.includes(value), {
      choices: literals
    }),
    Options.choice(name, literals)
  )

const digits = /^\d+$/

/**
 * `--<name> <n>`: a whole number from `min` to `max` (or above `min` without a `max`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const whole = (
  name: string,
  { description, max, min, pseudo }: ValueOptions & { readonly min: number; readonly max?: number }
): Flag<number> =>
  make(
    name,
    description,
    valueSpec(
      pseudo,
      max === undefined ? `a whole number from ${min}` : `a whole number from ${min} to ${max}`,
      (value) =>
        digits.test(value) && Number.isSafeInteger(Number(value)) && Number(value) >= min &&
        (max === undefined || Number(value) <= max),
      { inHelp: true }
    ),
    Options.integer(name)
  )

/**
 * `--<name>`, a switch: `true` when given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toggle = (name: string, description: string): Flag<boolean> => {
  const flag = make(name, description, undefined, Options.boolean(name))
  return { ...flag, spec: { ...flag.spec, required: false } }
}

/**
 * `--query <field>[,<field>…]`: prints only these fields of the result, in this order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fields = (name: string, description: string): Flag<Option.Option<string>> => ({
  spec: {
    name,
    alias: undefined,
    value: valueSpec("field", "fields of the command's output", (value) => value.length > 0, { fields: true }),
    required: false,
    repeatable: false,
    global: false,
    description
  },
  options: Options.optional(Options.withDescription(Options.text(name), description))
})

/**
 * The option may be left out: `Option.none()` then.
 *
 * @since 0.1.0
 * @category combinators
 */
export const optional = <A>(flag: Flag<A>): Flag<Option.Option<A>> => ({
  spec: { ...flag.spec, required: false },
  options: Options.optional(flag.options)
})

/**
 * The option may be left out: `value` then.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withDefault = <A>(flag: Flag<A>, value: A): Flag<A> => ({
  spec: { ...flag.spec, required: false },
  options: Options.withDefault(flag.options, value)
})

/**
 * The option may be given several times (at least `min`); with `spaced`, several values may also
 * follow one occurrence (`--scope chat voip`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const repeated = <A>(
  flag: Flag<A>,
  { min, spaced = false }: { readonly min: number; readonly spaced?: boolean }
): Flag<Array<A>> => ({
  spec: {
    ...flag.spec,
    required: min > 0,
    repeatable: true,
    value: flag.spec.value === undefined ? undefined : { ...flag.spec.value, spaced }
  },
  options: min > 0 ? Options.atLeast(flag.options, min) : Options.repeated(flag.options)
})

/**
 * Only some api-versions have the option, or some of its values: `versions` names those that have a
 * value (`undefined`: all of them), and `Argv` refuses it with another `--api-version`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withApiVersions = <A>(
  flag: Flag<A>,
  versions: (value: string) => ReadonlyArray<string> | undefined
): Flag<A> => ({ spec: { ...flag.spec, apiVersions: versions }, options: flag.options })

/**
 * A one-letter alias: `-o` for `--output`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withAlias = <A>(flag: Flag<A>, alias: string): Flag<A> => ({
  spec: { ...flag.spec, alias },
  options: Options.withAlias(flag.options, alias)
})

/**
 * Marks a shared option, accepted before or after the command's name and listed once in help.
 *
 * @since 0.1.0
 * @category combinators
 */
export const global = <A>(flag: Flag<A>): Flag<A> => ({ spec: { ...flag.spec, global: true }, options: flag.options })
