/**
 * A credential for a Teams or Entra user: the user's Entra token is exchanged for an ACS token
 * (`POST {endpoint}/access/entra/:exchangeAccessToken` or `…/access/teamsExtension/…`), and the ACS
 * token is refreshed by the rules of `CommunicationTokenCredential`.
 *
 * The exchange itself is a function (`Exchange`), so it can be swapped for the SDK's exchange
 * operation or a fake; `httpExchange` is the default, over any `@effect/platform` `HttpClient`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Array from "effect/Array"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { AccessToken } from "./AccessToken.js"
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
 * Where an exchange goes: the path and api-version chosen from the scopes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  readonly path: "/access/entra/:exchangeAccessToken" | "/access/teamsExtension/:exchangeAccessToken"
  readonly apiVersion: "2025-03-02-preview" | "2025-06-30"
}

const entraPrefix = "https://communication.azure.com/clients/"
const teamsPrefixes = ["https://auth.msft.communication.azure.com/", "https://auth.msft.communication.azure.us/"]

const invalid = (message: string) => new CredentialError({ reason: "InvalidArgument", message })

/**
 * Chooses the exchange as the official credential does: all scopes under
 * `https://communication.azure.com/clients/` → Entra; all under
 * `https://auth.msft.communication.azure.com/` (or `.us`) → Teams Phone extension; anything else
 * (none, unknown, mixed) is an `InvalidArgument` error.
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (scopes: ReadonlyArray<string>): Effect.Effect<Route, CredentialError> => {
  if (scopes.length === 0) return Effect.fail(invalid("no scopes were given"))
  if (scopes.every((scope) => scope.startsWith(entraPrefix))) {
    return Effect.succeed({ path: "/access/entra/:exchangeAccessToken", apiVersion: "2025-03-02-preview" })
  }
  if (scopes.every((scope) => teamsPrefixes.some((prefix) => scope.startsWith(prefix)))) {
    return Effect.succeed({ path: "/access/teamsExtension/:exchangeAccessToken", apiVersion: "2025-06-30" })
  }
  return Effect.fail(
    invalid(`scopes must all start with ${entraPrefix} or all with ${teamsPrefixes.join(" or ")}`)
  )
}

/**
 * Exchanges the user's Entra token, for `scopes`, for an ACS token at `resourceEndpoint`.
 *
 * @since 0.1.0
 * @category models
 */
export type Exchange<R = never> = (request: {
  readonly resourceEndpoint: URL
  readonly entraToken: Redacted.Redacted<string>
  readonly scopes: Array.NonEmptyReadonlyArray<string>
}) => Effect.Effect<AccessToken, CredentialError, R>

const ExchangeResponse = Schema.Struct({
  identity: Schema.Struct({ id: Schema.String }),
  accessToken: Schema.Struct({ token: Schema.Redacted(Schema.String), expiresOn: Schema.Date })
})

const exchangeFailed = (message: string) => new CredentialError({ reason: "RefreshFailed", message })

/**
 * The exchange over HTTP (api-facts §3.8, §6.3): `POST` with `Authorization: Bearer <Entra token>`
 * and body `{}`; a 200 `{ identity, accessToken: { token, expiresOn } }` gives the token. Any other
 * status, a transport failure or an unexpected body is a `RefreshFailed` error naming the status
 * or the failure, never the token.
 *
 * @since 0.1.0
 * @category exchange
 */
export const httpExchange: Exchange<HttpClient.HttpClient> = ({ entraToken, resourceEndpoint, scopes }) =>
  Effect.gen(function*() {
    const { apiVersion, path } = yield* route(scopes)
    const url = new URL(
      path.slice(1),
      resourceEndpoint.href.endsWith("/") ? resourceEndpoint : `${resourceEndpoint.href}/`
    )
    url.searchParams.set("api-version", apiVersion)
    const client = yield* HttpClient.HttpClient
    const response = yield* HttpClientRequest.post(url).pipe(
      HttpClientRequest.bearerToken(Redacted.value(entraToken)),
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyUnsafeJson({}),
      client.execute,
      Effect.mapError((error) => exchangeFailed(`the token exchange request failed (${error.reason})`))
    )
    if (response.status !== 200) {
      return yield* exchangeFailed(`the token exchange failed with status ${response.status}`)
    }
    const body = yield* HttpClientResponse.schemaBodyJson(ExchangeResponse)(response).pipe(
      Effect.mapError(() => exchangeFailed("the token exchange answered with an unexpected body"))
    )
    return new AccessToken(body.accessToken)
  }).pipe(Effect.scoped, Effect.withSpan("EntraExchange.exchange"))

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
  /** Refresh in the background ahead of expiry. */
  readonly proactive?: boolean
  /** How long before expiry a token is due (default 10 minutes). */
  readonly refreshWindow?: Duration.DurationInput
  /** How a failed background refresh is retried. */
  readonly retrySchedule?: Schedule.Schedule<unknown, CredentialError>
}

/**
 * The Entra exchange credential over any `exchange`. Scopes and endpoint are checked when the layer
 * is built (`InvalidArgument`); a failing Entra token source or exchange is a `RefreshFailed` error
 * from `token`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithExchange = <E, R, RX>(
  options: Options<E, R>,
  exchange: Exchange<RX>
): Layer.Layer<CommunicationTokenCredential, CredentialError, R | RX> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const scopes = options.scopes ?? defaultScopes
    yield* route(scopes)
    const resourceEndpoint = yield* Effect.try({
      try: () => new URL(options.resourceEndpoint),
      catch: () => invalid("the resource endpoint is not a URL")
    })
    const refresh = Effect.gen(function*() {
      const entraToken = yield* options.entraToken.pipe(
        Effect.mapError((cause) =>
          new CredentialError({ reason: "RefreshFailed", message: "the Entra token source failed", cause })
        )
      )
      return yield* exchange({
        resourceEndpoint,
        entraToken: Redacted.isRedacted(entraToken) ? entraToken : Redacted.make(entraToken),
        scopes
      })
    })
    return layerRefreshing({
      refresh,
      ...(options.proactive === undefined ? {} : { proactive: options.proactive }),
      ...(options.refreshWindow === undefined ? {} : { refreshWindow: options.refreshWindow }),
      ...(options.retrySchedule === undefined ? {} : { retrySchedule: options.retrySchedule })
    })
  }))

/**
 * The Entra exchange credential over HTTP (`httpExchange`); provide an `HttpClient`
 * (`FetchHttpClient.layer` in browsers).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(
  options: Options<E, R>
): Layer.Layer<CommunicationTokenCredential, CredentialError, R | HttpClient.HttpClient> =>
  layerWithExchange(options, httpExchange)
