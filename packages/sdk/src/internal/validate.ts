/**
 * Argument validation: caller input decoded through a schema, or an options object read once into a
 * plain record, failing with `InvalidArgumentError`; a getter or Proxy trap that throws while an
 * argument is read is such a failure too, never a defect.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidArgumentError } from "../Errors.js"

/**
 * Decodes `value` with `schema`. A failure names the offending argument — the first field of the
 * path, renamed through `names` (wire name to the caller's name), or `argument` — and says why.
 */
export const validate = <A, I>(
  schema: Schema.Schema<A, I>,
  argument: string,
  names: Readonly<Record<string, string>> = {}
) => {
  const check = validateEither(schema, argument, names)
  return (value: unknown): Effect.Effect<A, InvalidArgumentError> => {
    const result = check(value)
    return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(result.left)
  }
}

/**
 * `validate` as a plain `Either`, for callers that combine several checks without effect steps.
 * The schema's decoder is compiled on first use, not when the module loads: most operations'
 * checks never run in a given process.
 */
export const validateEither = <A, I>(
  schema: Schema.Schema<A, I>,
  argument: string,
  names: Readonly<Record<string, string>> = {}
) => {
  let decode: ((value: unknown) => Either.Either<A, ParseResult.ParseError>) | undefined
  return (value: unknown): Either.Either<A, InvalidArgumentError> => {
    decode ??= Schema.decodeUnknownEither(schema, { errors: "first" })
    // A getter or Proxy trap may throw while the value is decoded or while its issue is described.
    try {
      const result = decode(value)
      if (result._tag === "Right") return Either.right(result.right)
      const [issue] = ParseResult.ArrayFormatter.formatErrorSync(result.left)
      const field = issue?.path[0]
      const name = typeof field === "string" ? names[field] ?? field : argument
      const where = issue && issue.path.length > 1 ? `${name}[${issue.path.slice(1).join("][")}]` : name
      return Either.left(
        new InvalidArgumentError({ argument: name, message: `invalid ${where}: ${issue?.message ?? "rejected"}` })
      )
    } catch {
      return Either.left(unreadable(argument))
    }
  }
}

/** Fails with `InvalidArgumentError` unless `ok` holds; for checks that must not echo the value. */
export const require = (ok: boolean, argument: string, message: string): Effect.Effect<void, InvalidArgumentError> =>
  ok ? Effect.void : Effect.fail(new InvalidArgumentError({ argument, message }))

/** An argument whose reading threw (a getter or a Proxy trap); what it threw is not kept. */
const unreadable = (argument: string) =>
  new InvalidArgumentError({ argument, message: `${argument} could not be read (a getter or Proxy threw)` })

/**
 * The fields `names` of an options object, read once into a plain record, so every later check sees
 * what one read returned. `undefined` reads as no options; anything but an object is refused.
 */
export const readOptions = <F extends string>(
  value: unknown,
  argument: string,
  names: ReadonlyArray<F>
): Either.Either<{ readonly [K in F]?: unknown }, InvalidArgumentError> => {
  if (value === undefined) return Either.right({})
  if (typeof value !== "object" || value === null) {
    return Either.left(new InvalidArgumentError({ argument, message: `${argument} must be an object` }))
  }
  const read: { [K in F]?: unknown } = {}
  try {
    for (const name of names) read[name] = (value as Readonly<Record<F, unknown>>)[name]
  } catch {
    return Either.left(unreadable(argument))
  }
  return Either.right(read)
}

/** Runs `check`, a check that reads a caller's value; a throw while reading is the argument's error. */
export const readSafely = <A>(
  argument: string,
  check: () => Either.Either<A, InvalidArgumentError>
): Either.Either<A, InvalidArgumentError> => {
  try {
    return check()
  } catch {
    return Either.left(unreadable(argument))
  }
}
