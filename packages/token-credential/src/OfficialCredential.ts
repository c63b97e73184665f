/**
 * A drop-in for the official `CommunicationTokenCredential` interface of
 * `@azure/communication-common`, so a credential layer can be given to the official chat and
 * calling clients.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { CommunicationTokenCredential, type Service } from "./CommunicationTokenCredential.js"
import type { CredentialError } from "./CredentialError.js"
import { disposed } from "./internal/disposed.js"

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
  /**
   * A valid token. Rejects with the `CredentialError`, or when aborted with the signal's reason (an
   * `AbortError` if it has none).
   */
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
 * What an aborted `getToken` rejects with: the signal's reason, or, for a signal without one (the
 * `@azure/abort-controller` v1 kind), an `AbortError` as a DOM signal would give.
 */
const abortReason = (signal: AbortSignalLike): unknown =>
  signal.reason ?? new DOMException("The operation was aborted.", "AbortError")

/**
 * Builds `layer` in a scope of its own at once and answers the official interface from it.
 * `dispose()` interrupts a build still running and closes that scope; callers still waiting and
 * every later call reject with `Disposed` at once. Aborting a `getToken` stops that caller
 * waiting; a refresh shared with other callers goes on. Nothing here ever rejects a promise nobody
 * holds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLayer = <E>(layer: Layer.Layer<CommunicationTokenCredential, E>): OfficialTokenCredential => {
  const scope = Effect.runSync(Scope.make())
  const built = Effect.runFork(Layer.buildWithScope(layer, scope))
  const disposal = Effect.runSync(Deferred.make<never, CredentialError>())
  const service = Effect.flatMap(
    Fiber.await(built),
    (exit): Effect.Effect<Service, E | CredentialError> =>
      Exit.isSuccess(exit)
        ? Effect.succeed(Context.get(exit.value, CommunicationTokenCredential))
        : Cause.isInterruptedOnly(exit.cause)
        ? Effect.fail(disposed())
        : Effect.failCause(exit.cause)
  )
  const token = Effect.raceFirst(
    Deferred.await(disposal),
    Effect.flatMap(service, (credential) => credential.token)
  )
  return {
    getToken: (options) =>
      Effect.runPromiseExit(
        Deferred.isDone(disposal).pipe(Effect.flatMap((isDisposed) =>
          isDisposed
            ? Effect.fail(disposed())
            : options?.abortSignal === undefined
            ? token
            : Effect.raceFirst(token, aborted(options.abortSignal))
        ))
      ).then(Exit.match({
        onSuccess: (accessToken) => ({
          token: Redacted.value(accessToken.token),
          expiresOnTimestamp: accessToken.expiresOn.getTime()
        }),
        onFailure: (cause) => {
          throw options?.abortSignal?.aborted === true ? abortReason(options.abortSignal) : Cause.squash(cause)
        }
      })),
    dispose: () => {
      Effect.runSync(Deferred.fail(disposal, disposed()))
      Effect.runFork(Effect.zipRight(Fiber.interrupt(built), Scope.close(scope, Exit.void)))
    }
  }
}
