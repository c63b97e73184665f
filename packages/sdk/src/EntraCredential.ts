/**
 * Entra ID (Azure AD) bearer authentication, the way Microsoft recommends a service call ACS: with
 * a managed identity, workload identity or service principal rather than the resource's key.
 *
 * The token comes from an `@azure/identity` `TokenCredential` (`fromTokenCredential`, matched by
 * shape, so this package does not depend on `@azure/identity`) or from any effect (`make`). Either
 * way it is cached by its expiry, driven by the Effect `Clock`:
 * - a token is reused until its `refreshAfterTimestamp`, or until {@link refreshWindow} before it
 *   expires (halfway through its remaining life, for one shorter-lived than twice the window); then
 *   one refresh is shared by every concurrent call;
 * - a held token signs in place (`signNow`), so a call costs no effect step and no timer for it;
 *   only a refresh runs under the attempt's time budget;
 * - each refresh is a debug log record (why: none held, or due; when the new token expires); a
 *   refresh that fails while the held token is still valid keeps serving it (logged at debug);
 * - an expired token is never sent: without a valid one, a failed refresh is a `CredentialError`;
 * - a `null` or empty token is a `CredentialError`;
 * - when the service answers 401, the client drops the held token and retries the request once
 *   with a fresh one (a revoked or rotated token), never more.
 *
 * A plain string whose expiry cannot be read (not a JWT with `exp`) is not cached: the source runs
 * for every request.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import { CredentialError } from "./Errors.js"
import { RequestSigner } from "./RequestSigner.js"

/**
 * The scope to request the Entra token for. The double slash is what the service expects.
 *
 * @since 0.1.0
 * @category constants
 */
export const scope = "https://communication.azure.com//.default"

/**
 * How long before its expiry a token is refreshed when its issuer gives no `refreshAfterTimestamp`:
 * 2 minutes, as the Azure SDKs' bearer-token policy does. Long enough for a refresh (with its
 * retries) to finish before the token lapses, short enough not to refresh tokens needlessly.
 *
 * @since 0.1.0
 * @category constants
 */
export const refreshWindow: Duration.Duration = Duration.minutes(2)

/**
 * A token with its expiry, as `@azure/core-auth`'s `AccessToken` has it (epoch milliseconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface EntraAccessToken {
  readonly token: string | Redacted.Redacted<string>
  readonly expiresOnTimestamp: number
  /** When the issuer suggests refreshing (managed identity gives it for long-lived tokens). */
  readonly refreshAfterTimestamp?: number | undefined
}

/**
 * An abort signal as `@azure/abort-controller` and the DOM have it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void
  removeEventListener(type: "abort", listener: () => void): void
}

/**
 * The `@azure/core-auth` `TokenCredential` shape (`DefaultAzureCredential`,
 * `ManagedIdentityCredential`, `ClientSecretCredential`, …), matched structurally.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenCredential {
  getToken(
    scopes: string | Array<string>,
    options?: { readonly abortSignal?: AbortSignalLike | undefined }
  ): Promise<
    {
      readonly token: string
      readonly expiresOnTimestamp: number
      readonly refreshAfterTimestamp?: number | undefined
    } | null
  >
}

/**
 * Options of the Entra signer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Cache tokens by their expiry (default `true`); `false` runs the source for every request. */
  readonly cache?: boolean | undefined
}

/** A token ready to send, with when to refresh it and when it lapses (epoch ms; `Infinity`: unknown). */
interface Held {
  /** The `Authorization` header as a signer returns it, made once per token. */
  readonly headers: Readonly<Record<string, string>>
  readonly refreshAt: number
  readonly expiresAt: number
}

const fail = (message: string, cause?: unknown) =>
  new CredentialError({ message, ...(cause === undefined ? {} : { cause }) })

/** The `exp` claim of a JWT, in epoch milliseconds, if it has one. */
const jwtExpiry = (token: string): number | undefined => {
  const payload = token.split(".")[1]
  if (payload === undefined) return undefined
  const text = Either.getOrUndefined(Encoding.decodeBase64UrlString(payload))
  if (text === undefined) return undefined
  try {
    const claims: unknown = JSON.parse(text)
    return Predicate.isRecord(claims) && typeof claims.exp === "number" && Number.isFinite(claims.exp)
      ? claims.exp * 1000
      : undefined
  } catch {
    return undefined
  }
}

/** What a token source handed over, checked: a non-empty visible-ASCII token and, if known, its expiry. */
const hold = (value: unknown, now: number): Either.Either<Held, CredentialError> => {
  const candidate = Redacted.isRedacted(value) ? Redacted.value(value) : value
  const record = Predicate.isRecord(candidate) ? candidate : undefined
  const rawToken = record === undefined ? candidate : record.token
  const token = Redacted.isRedacted(rawToken) ? Redacted.value(rawToken) : rawToken
  if (typeof token !== "string" || token.length === 0) {
    return Either.left(fail("the Entra token source returned no token"))
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return Either.left(fail("the Entra token source returned a token with characters a header cannot carry"))
  }
  const expiresAt = record === undefined
    ? jwtExpiry(token) ?? Number.POSITIVE_INFINITY
    : typeof record.expiresOnTimestamp === "number" && Number.isFinite(record.expiresOnTimestamp)
    ? record.expiresOnTimestamp
    : Number.NaN
  if (Number.isNaN(expiresAt)) return Either.left(fail("the Entra token source returned a token without expiry"))
  const suggested = record?.refreshAfterTimestamp
  // A token shorter-lived than twice the window is refreshed halfway through what is left of it.
  const refreshAt = typeof suggested === "number" && Number.isFinite(suggested) && suggested < expiresAt
    ? suggested
    : Math.max(expiresAt - Duration.toMillis(refreshWindow), now + (expiresAt - now) / 2)
  return Either.right({ headers: { authorization: `Bearer ${token}` }, refreshAt, expiresAt })
}

/**
 * A signer that sets `Authorization: Bearer <token>` from `token`, cached by expiry (see the module
 * doc). `token` may yield a string (a JWT's `exp` is its expiry), a `Redacted` string, or an
 * {@link EntraAccessToken}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(
  token: Effect.Effect<Redacted.Redacted<string> | string | EntraAccessToken | null, E, R>,
  options?: Options
): Effect.Effect<RequestSigner["Type"], never, R> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<R>()
    const fetch = token.pipe(
      Effect.provide(context),
      Effect.mapError((cause) => fail("the Entra token source failed", cause)),
      Effect.flatMap((value) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Either.match(hold(value, now), { onLeft: Effect.fail, onRight: Effect.succeed }))
      )
    )
    if (options?.cache === false) {
      return RequestSigner.of({
        sign: () =>
          Effect.map(fetch, (held) => held.headers)
      })
    }
    const lock = yield* Effect.makeSemaphore(1)
    let held: Held | undefined
    /** Refreshes under the lock (callers that waited find the new token); keeps a valid one on failure. */
    const refresh = lock.withPermits(1)(
      Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Held, CredentialError> => {
        const current = held
        if (current !== undefined && now < current.refreshAt) return Effect.succeed(current)
        return Effect.matchEffect(fetch, {
          onSuccess: (fresh) => {
            if (fresh.expiresAt <= now) return Effect.fail(fail("the Entra token source returned an expired token"))
            // A token with no known expiry is used for this request only.
            if (Number.isFinite(fresh.expiresAt)) held = fresh
            return Effect.as(
              Effect.logDebug("refreshed the Entra token").pipe(
                Effect.annotateLogs({
                  reason: current === undefined ? "none held" : "due",
                  expiresAt: Number.isFinite(fresh.expiresAt) ? new Date(fresh.expiresAt).toISOString() : "unknown"
                })
              ),
              fresh
            )
          },
          onFailure: (error) =>
            current !== undefined && now < current.expiresAt
              ? Effect.as(
                Effect.logDebug("the Entra token refresh failed; the held token is still valid").pipe(
                  Effect.annotateLogs({ error: error.message })
                ),
                current
              )
              : Effect.fail(error)
        })
      })
    )
    /** The held token's header while it needs no refresh. */
    const fresh = (now: number) => {
      const current = held
      return current !== undefined && now < current.refreshAt ? current.headers : undefined
    }
    return RequestSigner.of({
      sign: () =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const headers = fresh(now)
          return headers === undefined ? Effect.map(refresh, (renewed) => renewed.headers) : Effect.succeed(headers)
        }),
      // A held token signs in place; only a refresh needs `sign` (and the client's timer around it).
      signNow: (_request, now) => fresh(now),
      invalidate: Effect.sync(() => {
        held = undefined
      })
    })
  })

/**
 * A signer over an `@azure/identity` credential (`DefaultAzureCredential`,
 * `ManagedIdentityCredential`, …), asking it for {@link scope}; the abort signal it gets fires when
 * the call is interrupted.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromTokenCredential = (
  credential: TokenCredential,
  options?: Options
): Effect.Effect<RequestSigner["Type"]> =>
  make(
    Effect.tryPromise({
      try: (signal) => credential.getToken([scope], { abortSignal: signal }),
      catch: (cause) => cause
    }),
    options
  )

/**
 * The Entra signer as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(
  token: Effect.Effect<Redacted.Redacted<string> | string | EntraAccessToken | null, E, R>,
  options?: Options
): Layer.Layer<RequestSigner, never, R> => Layer.effect(RequestSigner, make(token, options))

/**
 * The signer over an `@azure/identity` credential, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTokenCredential = (credential: TokenCredential, options?: Options): Layer.Layer<RequestSigner> =>
  Layer.effect(RequestSigner, fromTokenCredential(credential, options))
