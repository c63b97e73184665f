/**
 * The two token exchanges that authenticate with the end user's own Entra token, usable without any
 * resource credential: a browser app needs only a `Transport` and the user's token. The
 * `CommunicationIdentityClient`'s `getTokenForTeamsExtensionUser` and `getTokenForEntraUser` run the
 * same code. This module imports no HMAC or connection-string code.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { type ApiVersion, previewApiVersion } from "./ApiVersion.js"
import type { InvalidArgumentError, TokenExchangeError } from "./Errors.js"
import { makeInvoke } from "./internal/pipeline.js"
import { resolveTarget } from "./internal/settings.js"
import { exchange } from "./internal/tokenExchange.js"
import type { EntraToken, ExchangedToken } from "./Models.js"
import type { RequestPolicy } from "./RequestPolicy.js"
import { Transport } from "./Transport.js"

/**
 * Where the exchanges go.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The resource endpoint, e.g. `https://<resource>.communication.azure.com`. */
  readonly endpoint: string | URL
  /**
   * The api-version of the Teams Phone extension exchange; defaults to `2025-06-30`. The Entra ID
   * exchange exists only in `2025-03-02-preview` and always uses it.
   */
  readonly apiVersion?: ApiVersion | undefined
  /** Allow `http://` to a non-loopback host. Loopback hosts (the mock) are always allowed. */
  readonly allowInsecureConnection?: boolean | undefined
  /** Retries and timeouts; `withRequestPolicy` overrides them per call. */
  readonly policy?: Partial<RequestPolicy> | undefined
  /** Your application's id, sent before the SDK's in `User-Agent` (see `ClientOptions.userAgentPrefix`). */
  readonly userAgentPrefix?: string | undefined
}

/**
 * The exchanges. Each sends `{}` with `Authorization: Bearer <the user's Entra token>` and returns the
 * user's ACS identity and an ACS token (`Redacted`).
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenExchange {
  /** `POST /access/teamsExtension/:exchangeAccessToken`: a Teams Phone extension user's token. */
  readonly teamsExtension: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
  /** `POST /access/entra/:exchangeAccessToken` (2025-03-02-preview): an Entra ID user's token. */
  readonly entra: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
}

/**
 * Builds the exchanges over the `Transport` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<TokenExchange, InvalidArgumentError, Transport> =>
  Effect.gen(function*() {
    const target = yield* resolveTarget(options)
    const transport = yield* Transport
    const exchangeOn = (apiVersion: ApiVersion, id: Parameters<typeof exchange>[2]) =>
      exchange(makeInvoke({ ...target, apiVersion }, transport, undefined), apiVersion, id)
    return {
      teamsExtension: exchangeOn(target.apiVersion, "exchangeTeamsExtensionAccessToken"),
      entra: exchangeOn(previewApiVersion, "exchangeEntraAccessToken")
    }
  })
