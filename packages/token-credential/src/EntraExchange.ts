/**
 * A credential for a Teams Phone extension or Entra ID user: the user's Entra token is exchanged
 * for an ACS token by the SDK's `TokenExchange` (which needs only a `Transport` and imports no
 * resource-key code), and the ACS token is refreshed by the rules of `CommunicationTokenCredential`.
 *
 * @since 0.1.0
 */
import { type RequestPolicy, TokenExchange, type Transport } from "@acs-identity/sdk"
import type * as Array from "effect/Array"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import { type CommunicationTokenCredential, layerRefreshing } from "./CommunicationTokenCredential.js"
import { CredentialError } from "./CredentialError.js"

/**
 * The scope asked for when none is given: an ACS token for the Entra user.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultScopes: Array.NonEmptyReadonlyArray<string> = ["https://communication.azure.com/clients/.default"]

/**
 * Which exchange: Entra ID (`/access/entra/:exchangeAccessToken`, 2025-03-02-preview) or the
 * Teams Phone extension (`/access/teamsExtension/:exchangeAccessToken`).
 *
 * @since 0.1.0
 * @category models
 */
export type Route = "entra" | "teamsExtension"

const entraPrefix = "https://communication.azure.com/clients/"
const teamsPrefixes = ["https://auth.msft.communication.azure.com/", "https://auth.msft.communication.azure.us/"]

/**
 * Chooses the exchange as the official credential does: all scopes under
 * `https://communication.azure.com/clients/` → Entra ID; all under
 * `https://auth.msft.communication.azure.com/` (or `.us`) → Teams Phone extension; anything else
 * (none, unknown, mixed) is an `InvalidArgument` error.
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (scopes: ReadonlyArray<string>): Effect.Effect<Route, CredentialError> => {
  if (scopes.length > 0 && scopes.every((scope) => scope.startsWith(entraPrefix))) return Effect.succeed("entra")
  if (scopes.length > 0 && scopes.every((scope) => teamsPrefixes.some((prefix) => scope.startsWith(prefix)))) {
    return Effect.succeed("teamsExtension")
  }
  return Effect.fail(
    new CredentialError({
      reason: "InvalidArgument",
      message: `scopes must be given and all start with ${entraPrefix} or all with ${teamsPrefixes.join(" or ")}`
    })
  )
}

/**
 * Options of the Entra exchange credential.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<E, R> {
  /** The ACS resource endpoint, e.g. `https://contoso.communication.azure.com`. */
  readonly resourceEndpoint: string | URL
  /** The user's Entra token, for `scopes` (e.g. from MSAL); run for every exchange. */
  readonly entraToken: Effect.Effect<string | Redacted.Redacted<string>, E, R>
  /** The scopes (default `defaultScopes`); they choose the exchange, see `route`. */
  readonly scopes?: Array.NonEmptyReadonlyArray<string>
  /** Retries and timeouts of each exchange (the SDK's request policy). */
  readonly policy?: Partial<RequestPolicy>
  /** Allow `http://` to a non-loopback host. */
  readonly allowInsecureConnection?: boolean
  /** Refresh in the background ahead of expiry. */
  readonly proactive?: boolean
  /** How long before expiry a token is due (default 10 minutes). */
  readonly refreshWindow?: Duration.DurationInput
  /** How a failed background refresh is retried. */
  readonly retrySchedule?: Schedule.Schedule<unknown, CredentialError>
}

/**
 * The Entra exchange credential as a layer; provide a `Transport` (`FetchTransport.layer` in
 * browsers). Scopes and endpoint are checked when the layer is built (`InvalidArgument`); a failing
 * Entra token source or exchange is a `RefreshFailed` error from `token`, with the SDK's typed error
 * (`AuthenticationError`, `ThrottledError`, …) as its `cause`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(
  options: Options<E, R>
): Layer.Layer<CommunicationTokenCredential, CredentialError, R | Transport.Transport> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const which = yield* route(options.scopes ?? defaultScopes)
    const exchanges = yield* TokenExchange.make({
      endpoint: options.resourceEndpoint,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.allowInsecureConnection === undefined
        ? {}
        : { allowInsecureConnection: options.allowInsecureConnection })
    }).pipe(
      Effect.mapError((cause) => new CredentialError({ reason: "InvalidArgument", message: cause.message, cause }))
    )
    const refresh = Effect.gen(function*() {
      const entraToken = yield* options.entraToken.pipe(
        Effect.mapError((cause) =>
          new CredentialError({ reason: "RefreshFailed", message: "the Entra token source failed", cause })
        )
      )
      return yield* exchanges[which](entraToken).pipe(
        Effect.mapError((cause) =>
          new CredentialError({ reason: "RefreshFailed", message: `the token exchange failed (${cause._tag})`, cause })
        )
      )
    })
    return layerRefreshing({
      refresh,
      ...(options.proactive === undefined ? {} : { proactive: options.proactive }),
      ...(options.refreshWindow === undefined ? {} : { refreshWindow: options.refreshWindow }),
      ...(options.retrySchedule === undefined ? {} : { retrySchedule: options.retrySchedule })
    })
  }))
