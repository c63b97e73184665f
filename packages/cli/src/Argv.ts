/**
 * The command line checked against the command tree before `@effect/cli` parses it. `@effect/cli`
 * alone reports a bad value without naming its option, a misspelt subcommand at the wrong level,
 * takes an option's name as the value of the option before it, and wants every shared option after
 * the command's name. Here:
 *
 * - every mistake is one {@link UsageError} naming the command, the option and the bad value, what
 *   is accepted, and the closest valid choice ("did you mean …?");
 * - shared options (`--mock`, `--output`, …) may come before, between or after the command's words;
 * - a value-taking option followed by another option (`--user --verbose`) or by nothing is missing
 *   its value (a value starting with `-` is written `--name=-value`);
 * - `--scope chat voip` is `--scope chat --scope voip`, and `user delete <id>` is
 *   `user delete --user <id>`; after `--` every word is such an operand (`user delete -- <id>`);
 * - an `--api-version` that lacks the command (`user show`, the preview's) or one of its options
 *   (`--custom-id`) or values (`--scope chat.join`) is refused, saying which api-versions have it;
 * - `--help`/`-h` anywhere asks for the help of the command named so far, `--version` for the
 *   version, `--completions <shell>` for a completion script.
 *
 * What passes is handed to `@effect/cli` rewritten in its own form: the command's words first,
 * then each option as `--name value`.
 *
 * @since 0.1.0
 */
import { ApiVersion } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import type * as CommandTree from "./CommandTree.js"
import { quote } from "./Controls.js"
import type * as Flag from "./Flag.js"
import * as Suggest from "./Suggest.js"
import { UsageError } from "./UsageError.js"

/**
 * What the command line asks for.
 *
 * @since 0.1.0
 * @category models
 */
export type Interpretation =
  | { readonly _tag: "Help"; readonly path: ReadonlyArray<string>; readonly node: CommandTree.Node }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Completions"; readonly shell: typeof completionShells[number] }
  | { readonly _tag: "Run"; readonly args: ReadonlyArray<string> }

/**
 * The shells `--completions` writes a script for.
 *
 * @since 0.1.0
 * @category constants
 */
export const completionShells = ["bash", "fish", "sh", "zsh"] as const

/** The shared option naming the api-version, checked against what the command and its options need. */
const apiVersion = "api-version"

const looksLikeOption = (token: string) => /^--?[A-Za-z]/.test(token)

const list = (names: ReadonlyArray<string>) => names.join(", ")

const suggestion = (word: string, candidates: ReadonlyArray<string>) => {
  const close = Suggest.closest(word, candidates)
  return close === undefined ? "" : `; did you mean '${close}'?`
}

/** One option as given, in order. */
interface Given {
  readonly spec: Flag.Spec
  readonly values: Array<string>
}

const needs = (versions: ReadonlyArray<string>) =>
  versions.length === 1 ? `it needs ${versions[0]}` : `it needs one of ${list(versions)}`

/**
 * What `version` (a valid `--api-version`) lacks of the command or of the options given, with the
 * api-versions that have it; `undefined` if nothing. The SDK's operation table is imported only
 * here, so that a command line without `--api-version` (and `--help`) does not load it.
 */
const lacking = (
  leaf: CommandTree.Leaf,
  given: ReadonlyArray<Given>,
  version: string
): Effect.Effect<string | undefined> =>
  Effect.map(Effect.promise(() => import("@acs-identity/sdk/testing")), ({ Operations }) => {
    const versions: ReadonlyArray<string> = ApiVersion.ApiVersion.literals.filter((candidate) =>
      leaf.operations.every((operation) => Operations.isAvailable(operation, candidate))
    )
    if (!versions.includes(version)) return `--${apiVersion} ${version} does not have this command (${needs(versions)})`
    for (const entry of given) {
      for (const value of entry.values) {
        const having = entry.spec.apiVersions?.(value)
        if (having === undefined || having.includes(version)) continue
        // A choice (`--scope chat.join`) is named with its value; another value does not matter.
        const what = entry.spec.value?.choices === undefined ? `--${entry.spec.name}` : `--${entry.spec.name} ${value}`
        return `--${apiVersion} ${version} does not have ${what} (${needs(having)})`
      }
    }
    return undefined
  })

/**
 * Checks `args` (the command line without the runtime and the script) against the tree whose root
 * is `root`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const interpret = (
  root: CommandTree.Group,
  globals: ReadonlyArray<Flag.Spec>,
  args: ReadonlyArray<string>
): Effect.Effect<Interpretation, UsageError> =>
  Effect.suspend(() => {
    let node: CommandTree.Node = root
    const path: Array<string> = [root.name]
    const given: Array<Given> = []
    let help = false
    // After `--`, every word is an operand (`user show -- <id>`), never an option.
    let operands = false
    const where = () => (path.length === 1 ? "" : `${path.slice(1).join(" ")}: `)
    const fail = (message: string) => Effect.fail(new UsageError({ message: `${where()}${message}` }))
    const known = () => (node._tag === "Leaf" ? node.options : globals)
    const fieldsOf = () => (node._tag === "Leaf" ? node.fields : [])

    /** What is wrong with a value of `spec`, or undefined. */
    const invalid = (spec: Flag.Spec, value: string): string | undefined => {
      const accepts = spec.value!
      const shown = accepts.secret ? "" : ` ${quote(value)}`
      if (accepts.fields) {
        // Checked once the command is known: `--query id user create` names the fields first.
        if (node._tag === "Group") return undefined
        const fields = fieldsOf()
        if (fields.length === 0) return `--${spec.name}: this command prints nothing`
        for (const field of value.split(",")) {
          if (!fields.includes(field)) {
            return `invalid --${spec.name} field ${quote(field)}${suggestion(field, fields)} (choose from ${
              list(fields)
            })`
          }
        }
        return undefined
      }
      if (accepts.check(value)) return undefined
      const close = accepts.choices === undefined ? "" : suggestion(value, accepts.choices)
      return `invalid --${spec.name}${shown}${close} (${accepts.accepts})`
    }

    const record = (spec: Flag.Spec, value: string | undefined) => {
      const previous = given.find((entry) => entry.spec.name === spec.name)
      if (previous !== undefined && !spec.repeatable && spec.value !== undefined) {
        return `--${spec.name} is given twice`
      }
      if (previous === undefined) given.push({ spec, values: value === undefined ? [] : [value] })
      else if (value !== undefined) previous.values.push(value)
      return undefined
    }

    for (let i = 0; i < args.length; i++) {
      const token = args[i]!
      if (token === "--" && !operands) {
        operands = true
        continue
      }
      if (!operands && (token === "--help" || token === "-h")) {
        help = true
        continue
      }
      if (!operands && token === "--version") return Effect.succeed<Interpretation>({ _tag: "Version" })
      if (!operands && token === "--completions" && node === root && !help) {
        const shell = args[i + 1]
        if (shell === undefined || !(completionShells as ReadonlyArray<string>).includes(shell)) {
          return fail(
            shell === undefined || looksLikeOption(shell)
              ? `--completions needs a shell (choose from ${list(completionShells)})`
              : `invalid --completions ${quote(shell)}${suggestion(shell, completionShells)} (choose from ${
                list(completionShells)
              })`
          )
        }
        if (i + 2 < args.length) return fail(`--completions takes nothing after its shell (got ${quote(args[i + 2]!)})`)
        return Effect.succeed<Interpretation>({
          _tag: "Completions",
          shell: shell as typeof completionShells[number]
        })
      }
      if (!operands && looksLikeOption(token)) {
        const equals = token.indexOf("=")
        const written = equals === -1 ? token : token.slice(0, equals)
        const inline = equals === -1 ? undefined : token.slice(equals + 1)
        const options = known()
        const spec = options.find((option) =>
          written.startsWith("--") ? `--${option.name}` === written : `-${option.alias}` === written
        )
        if (spec === undefined) {
          if (help) continue
          const names = options.flatMap((option) => [`--${option.name}`])
          const elsewhere = node._tag === "Group" ?
            ` (the options of a command go after its name; see ${path.join(" ")} --help)` :
            ` (see ${path.join(" ")} --help)`
          return fail(`unknown option ${quote(written)}${suggestion(written, names)}${elsewhere}`)
        }
        if (spec.value === undefined) {
          if (inline !== undefined) return fail(`--${spec.name} takes no value (got ${quote(token)})`)
          const twice = record(spec, undefined)
          if (twice !== undefined && !help) return fail(twice)
          continue
        }
        const values: Array<string> = []
        if (inline !== undefined) values.push(inline)
        else {
          const next = args[i + 1]
          if (next === undefined || looksLikeOption(next)) {
            if (help) continue
            return fail(
              `--${spec.name} needs a value: <${spec.value.pseudo}>, ${spec.value.accepts}` +
                (next === undefined
                  ? ""
                  : ` (got the option ${quote(next)}; write --${spec.name}=<value> for a value starting with -)`)
            )
          }
          values.push(next)
          i++
        }
        if (spec.value.spaced) {
          while (i + 1 < args.length && !looksLikeOption(args[i + 1]!) && args[i + 1] !== "--") values.push(args[++i]!)
        }
        for (const value of values) {
          if (help) continue
          const wrong = invalid(spec, value)
          if (wrong !== undefined) return fail(wrong)
          const twice = record(spec, value)
          if (twice !== undefined) return fail(twice)
        }
        continue
      }
      const current: CommandTree.Node = node
      if (current._tag === "Group") {
        const names = current.children.map((child) => child.name)
        const child: CommandTree.Node | undefined = current.children.find((candidate) => candidate.name === token)
        if (child === undefined) {
          return fail(`unknown command ${quote(token)}${suggestion(token, names)} (choose from ${list(names)})`)
        }
        node = child
        path.push(child.name)
        // Shared options given before the command's name must be options of this command too.
        for (const entry of given) {
          if (child._tag === "Leaf" && !child.options.some((option) => option.name === entry.spec.name)) {
            if (help) continue
            return fail(`--${entry.spec.name} is not an option of this command (see ${path.join(" ")} --help)`)
          }
        }
        continue
      }
      if (help) continue
      const positional = current.options.find((option) => option.name === current.positional)
      if (positional === undefined) {
        return fail(
          `unexpected argument ${quote(token)} (this command takes options only; see ${path.join(" ")} --help)`
        )
      }
      if (given.some((entry) => entry.spec.name === positional.name)) {
        return fail(`unexpected argument ${quote(token)}: --${positional.name} is given already`)
      }
      const wrong = invalid(positional, token)
      if (wrong !== undefined) return fail(wrong)
      record(positional, token)
    }

    if (help || node._tag === "Group") return Effect.succeed<Interpretation>({ _tag: "Help", path, node })
    const leaf = node
    const missing = leaf.options.filter((option) =>
      option.required && !given.some((entry) => entry.spec.name === option.name)
    )
    for (const entry of given) {
      if (entry.spec.value?.fields !== true) continue
      for (const value of entry.values) {
        const wrong = invalid(entry.spec, value)
        if (wrong !== undefined) return fail(wrong)
      }
    }
    if (missing.length > 0) {
      const first = missing[0]!
      return fail(
        missing.length === 1
          ? `missing --${first.name} <${first.value!.pseudo}> (${first.value!.accepts})`
          : `missing ${missing.map((option) => `--${option.name}`).join(", ")}`
      )
    }
    const run: Interpretation = {
      _tag: "Run",
      args: [
        ...path.slice(1),
        ...given.flatMap((entry) =>
          entry.spec.value === undefined
            ? [`--${entry.spec.name}`]
            : entry.values.flatMap((value) => [`--${entry.spec.name}`, value])
        )
      ]
    }
    const version = given.find((entry) => entry.spec.name === apiVersion)?.values[0]
    if (version === undefined) return Effect.succeed(run)
    return Effect.flatMap(
      lacking(leaf, given, version),
      (lacks) => (lacks === undefined ? Effect.succeed(run) : fail(lacks))
    )
  })
