/**
 * The stateful mock started inside the command: for one command with `--mock`, or until
 * interrupted with `mock start`. The mock server's modules are loaded only here, from a chunk of
 * their own, so other commands do not pay for them at start-up.
 *
 * @since 0.1.0
 */
import type { StatefulServer } from "@acs-identity/mock-server"
import type { IdentityStore } from "@acs-identity/sdk/testing"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { MockStartError } from "./UsageError.js"

/**
 * A Teams user's Entra token the mock accepts for the exchange.
 *
 * @since 0.1.0
 * @category models
 */
export type TeamsToken = IdentityStore.TeamsTokenRegistration

/**
 * A running mock: its base URL and its connection string (with the development access key).
 *
 * @since 0.1.0
 * @category models
 */
export interface Running {
  readonly url: string
  readonly connectionString: Redacted.Redacted<string>
}

/**
 * Why the mock could not start: the server's cause (`port 4010 is in use`), or the error's message.
 */
const why = (error: StatefulServer.StatefulServerError, port: number) => {
  const cause = error._tag === "ServeError" ? error.cause : undefined
  if (!(cause instanceof Error)) return error.message === "" ? error._tag : error.message
  switch ((cause as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return `port ${port} is in use`
    case "EACCES":
      return `port ${port} needs privileges this process does not have`
    default:
      return cause.message
  }
}

/**
 * Starts the mock for the scope, on loopback; `port` 0 (the default) picks a free port. With
 * `verbose` (`mock start --verbose`) every request it serves is logged on stderr.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (
  teamsToken?: TeamsToken,
  port = 0,
  verbose = false
): Effect.Effect<Running, MockStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const MockServer = yield* Effect.promise(() => import("./internal/mockServer.js"))
    return yield* MockServer.make({
      port,
      host: "127.0.0.1",
      ...(teamsToken === undefined ? {} : { teamsTokens: [teamsToken] })
    }, verbose).pipe(Effect.mapError((error) => new MockStartError({ message: why(error, port) })))
  })
