/**
 * Sends one identity operation: builds the URL and body, signs each attempt, executes it on the
 * caller's `HttpClient` and maps the response. Every request carries `Accept`, `User-Agent` and an
 * `x-ms-client-request-id` that stays the same for all attempts of one call.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import type { ApiVersion } from "../ApiVersion.js"
import { type CredentialError, TransportError } from "../Errors.js"
import type { RequestSigner } from "../RequestSigner.js"
import { userAgent } from "../Version.js"
import { failure, type ResponseFailure } from "./response.js"

/** One call to the service. `path` is already percent-encoded; `body` is JSON, or absent for no body. */
export interface Call {
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: string
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** Where and how requests go. */
export interface Target {
  readonly endpoint: URL
  readonly apiVersion: ApiVersion
}

/** Runs a call and hands a 2xx response to `onSuccess`; everything else becomes a typed error. */
export type Requester = <A, E>(
  call: Call,
  onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>
) => Effect.Effect<A, E | ResponseFailure | CredentialError>

const encoder = new TextEncoder()
const noBody = new Uint8Array(0)

const transportError = (requestId: string) => (error: HttpClientError.HttpClientError) =>
  new TransportError({
    reason: "Network",
    message: `the request could not be completed (${error.reason})`,
    requestId,
    cause: error.cause
  })

/** Builds the requester for a target, transport and signer. */
export const makeRequester = (
  target: Target,
  http: HttpClient.HttpClient,
  signer: RequestSigner["Type"]
): Requester => {
  const base = target.endpoint.origin
  const query = `?api-version=${encodeURIComponent(target.apiVersion)}`
  return <A, E>(
    call: Call,
    onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>
  ) => {
    const requestId = globalThis.crypto.randomUUID()
    const url = new URL(`${base}${call.path}${query}`)
    const body = call.body === undefined ? noBody : encoder.encode(JSON.stringify(call.body))
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-ms-client-request-id": requestId,
      ...call.headers
    }
    return Effect.flatMap(signer.sign({ method: call.method, url, body }), (auth) => {
      const request = HttpClientRequest.make(call.method)(url, {
        headers: { ...headers, ...auth },
        body: body.length > 0 ? HttpBody.uint8Array(body, "application/json") : HttpBody.empty
      })
      return http.execute(request).pipe(
        Effect.mapError(transportError(requestId)),
        Effect.flatMap((response): Effect.Effect<A, E | ResponseFailure> =>
          response.status >= 200 && response.status < 300
            ? onSuccess(response, requestId)
            : failure(response, requestId)
        )
      )
    })
  }
}
