/**
 * A promise-based way to run the mock, for code that does not use Effect.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import type { MockServerMode, MockServerOptions } from "./MockServer.js"
import { make } from "./MockServer.js"

/**
 * A running mock server, started by {@link startMockServer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningMockServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  readonly url: string
  /** `endpoint=<url>/;accesskey=<development key>` for any ACS client. */
  readonly connectionString: string
  /** Which implementation answers. */
  readonly mode: MockServerMode
  /** Stops the server and frees its port. Calling it again returns the same promise. */
  readonly close: () => Promise<void>
}

/**
 * Starts the mock server (the same scoped effect as `MockServer.layerPrism`) and resolves once it
 * listens. Rejects with the startup error (`PrismStartError` or `SpecNotFoundError`).
 *
 * @example
 * ```ts
 * import { startMockServer } from "@acs-identity/mock-server"
 *
 * const server = await startMockServer({ stateful: true, port: 0 })
 * console.log(server.connectionString) // endpoint=http://127.0.0.1:<port>/;accesskey=…
 * await server.close()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const startMockServer = async (options?: MockServerOptions): Promise<RunningMockServer> => {
  const program = Effect.gen(function*() {
    const scope = yield* Scope.make()
    const server = yield* make(options).pipe(
      Scope.extend(scope),
      Effect.onExit((exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)
    )
    let closing: Promise<void> | undefined
    const running: RunningMockServer = {
      url: server.url,
      connectionString: Redacted.value(server.connectionString),
      mode: server.mode,
      close: () => (closing ??= Effect.runPromise(Scope.close(scope, Exit.void)))
    }
    return running
  })
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}
