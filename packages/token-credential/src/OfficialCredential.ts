/**
 * A drop-in for the official `CommunicationTokenCredential` interface of
 * `@azure/communication-common`, so a credential layer can be given to the official chat and
 * calling clients.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { CommunicationTokenCredential } from "./CommunicationTokenCredential.js"

/**
 * The official `AccessToken`: the raw token and its expiry in epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface OfficialAccessToken {
  readonly token: string
  readonly expiresOnTimestamp: number
}

/**
 * The abort signal the official clients pass (`AbortSignalLike` of `@azure/abort-controller`); a DOM
 * `AbortSignal` is one.
 *
 * @since 0.1.0
 * @category models
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: "abort", listener: () => void): void
  removeEventListener(type: "abort", listener: () => void): void
}

/**
 * The official `CommunicationTokenCredential` interface.
 *
 * @since 0.1.0
 * @category models
 */
export interface OfficialTokenCredential {
  /** A valid token. Rejects with the `CredentialError`, or with the signal's reason when aborted. */
  getToken(options?: { readonly abortSignal?: AbortSignalLike | undefined }): Promise<OfficialAccessToken>
  /** Closes the credential's scope: timers stop, later `getToken` calls reject with `Disposed`. */
  dispose(): void
}

/** Interrupts when the signal aborts (at once if it already has). */
const aborted = (signal: AbortSignalLike): Effect.Effect<never> =>
  Effect.async<never>((resume) => {
    if (signal.aborted) return resume(Effect.interrupt)
    const onAbort = () => resume(Effect.interrupt)
    signal.addEventListener("abort", onAbort)
    return Effect.sync(() => signal.removeEventListener("abort", onAbort))
  })

/**
 * Builds `layer` in a scope of its own at once and answers the official interface from it.
 * `dispose()` closes that scope. Aborting a `getToken` stops that caller waiting; a refresh shared
 * with other callers goes on. Nothing here ever rejects a promise nobody holds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLayer = <E>(layer: Layer.Layer<CommunicationTokenCredential, E>): OfficialTokenCredential => {
  const scope = Effect.runSync(Scope.make())
  const built = Effect.runFork(Layer.buildWithScope(layer, scope))
  const token = Effect.flatMap(Fiber.join(built), (context) => Context.get(context, CommunicationTokenCredential).token)
  return {
    getToken: (options) =>
      Effect.runPromiseExit(
        options?.abortSignal === undefined ? token : Effect.raceFirst(token, aborted(options.abortSignal))
      ).then(Exit.match({
        onSuccess: (accessToken) => ({
          token: Redacted.value(accessToken.token),
          expiresOnTimestamp: accessToken.expiresOn.getTime()
        }),
        onFailure: (cause) => {
          throw options?.abortSignal?.aborted === true ? options.abortSignal.reason : Cause.squash(cause)
        }
      })),
    dispose: () => {
      Effect.runFork(Effect.zipRight(Fiber.await(built), Scope.close(scope, Exit.void)))
    }
  }
}
