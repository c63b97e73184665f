/** Argument validation: caller input decoded through a schema, failing with `InvalidArgumentError`. */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidArgumentError } from "../Errors.js"

/** Decodes `value` with `schema`; a failure names the argument and what was wrong with it. */
export const validate = <A, I>(schema: Schema.Schema<A, I>, argument: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown): Effect.Effect<A, InvalidArgumentError> => {
    const result = decode(value)
    return result._tag === "Right"
      ? Effect.succeed(result.right)
      : Effect.fail(
        new InvalidArgumentError({
          argument,
          message: `invalid ${argument}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`
        })
      )
  }
}

/** Fails with `InvalidArgumentError` unless `ok` holds; for checks that must not echo the value. */
export const require = (ok: boolean, argument: string, message: string): Effect.Effect<void, InvalidArgumentError> =>
  ok ? Effect.void : Effect.fail(new InvalidArgumentError({ argument, message }))
