/** Argument validation: caller input decoded through a schema, failing with `InvalidArgumentError`. */
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
    const result = decode(value)
    if (result._tag === "Right") return Either.right(result.right)
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(result.left)
    const field = issue?.path[0]
    const name = typeof field === "string" ? names[field] ?? field : argument
    const where = issue && issue.path.length > 1 ? `${name}[${issue.path.slice(1).join("][")}]` : name
    return Either.left(
      new InvalidArgumentError({ argument: name, message: `invalid ${where}: ${issue?.message ?? "rejected"}` })
    )
  }
}

/** Fails with `InvalidArgumentError` unless `ok` holds; for checks that must not echo the value. */
export const require = (ok: boolean, argument: string, message: string): Effect.Effect<void, InvalidArgumentError> =>
  ok ? Effect.void : Effect.fail(new InvalidArgumentError({ argument, message }))
