/**
 * The command's own failures, found before any request: a command line `Argv` refuses, missing or
 * conflicting credentials. The SDK's argument checks report the rest.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The command line (or the environment it reads) cannot be used as given; nothing was sent.
 * The message names the options or variables involved, and quotes a value only if it is no secret.
 *
 * @since 0.1.0
 * @category errors
 */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", {
  message: Schema.String
}) {}

/**
 * The embedded mock (`--mock`) could not start.
 *
 * @since 0.1.0
 * @category errors
 */
export class MockStartError extends Schema.TaggedError<MockStartError>()("MockStartError", {
  message: Schema.String
}) {}
