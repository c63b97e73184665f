/**
 * The authentication port: a `RequestSigner` turns a request about to be sent into the headers that
 * authenticate it. Two implementations ship: HMAC-SHA256 with the resource access key
 * (`HmacCredential`) and an Entra ID bearer token (`EntraCredential`).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { CredentialError } from "./Errors.js"

/**
 * The parts of a request a signer may read. `body` is exactly the bytes that will be sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignableRequest {
  readonly method: string
  readonly url: URL
  readonly body: Uint8Array
  /** `url.host`, when the sender has it at hand (a signer need not read the URL then). */
  readonly host?: string | undefined
  /** `url.pathname + url.search`, the request target as sent, when the sender has it at hand. */
  readonly target?: string | undefined
}

/**
 * Produces the authentication headers for one request; called afresh for every attempt.
 *
 * @since 0.1.0
 * @category tags
 */
export class RequestSigner extends Context.Tag("@acs-identity/sdk/RequestSigner")<RequestSigner, {
  readonly sign: (request: SignableRequest) => Effect.Effect<Readonly<Record<string, string>>, CredentialError>
  /**
   * Signs at once, at `nowMillis`, without an effect (the HMAC key signs in place), or returns
   * `undefined` when it cannot (then `sign` is used). A signer that has it never waits; any other
   * (one that fetches a token, say) is timed by the client as part of the attempt.
   */
  readonly signNow?:
    | ((request: SignableRequest, nowMillis: number) => Readonly<Record<string, string>> | undefined)
    | undefined
  /**
   * Drops what the signer holds (a cached token), for a signer whose credential the service may
   * refuse while it looks valid (revoked, rotated): after a 401 the client runs it and retries the
   * request once, signed afresh.
   */
  readonly invalidate?: Effect.Effect<void> | undefined
}>() {}
