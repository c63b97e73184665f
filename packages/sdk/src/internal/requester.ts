/**
 * Sends one identity operation: builds the URL and body, then per attempt signs afresh, executes on
 * the caller's `HttpClient` under the attempt timeout and maps the response; retries follow the
 * request policy, all inside the overall deadline. Every request carries `Accept`, `User-Agent` and
 * an `x-ms-client-request-id` that stays the same for all attempts of one call, as do the
 * `Repeatability-*` headers of a repeatable call.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import type { ApiVersion } from "../ApiVersion.js"
import { type CommunicationIdentityError, CredentialError, TransportError } from "../Errors.js"
import { currentRequestPolicy, type RequestPolicy, retrySchedule } from "../RequestPolicy.js"
import type { RequestSigner } from "../RequestSigner.js"
import { userAgent } from "../Version.js"
import { failure, type ResponseFailure } from "./response.js"

/** One call to the service. `path` is already percent-encoded; `body` is JSON, or absent for no body. */
export interface Call {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  /** More query parameters, already encoded (e.g. a `nextLink`'s continuation), sent after `api-version`. */
  readonly query?: string | undefined
  readonly body?: unknown
  /** The body's content type; `application/json` by default. */
  readonly contentType?: string | undefined
  /** Send `Repeatability-Request-ID` / `Repeatability-First-Sent`, fixed for all attempts of the call. */
  readonly repeatable?: boolean
  /** Authenticate with this bearer token (the end user's Entra token) instead of the signer. */
  readonly bearer?: Redacted.Redacted<string> | undefined
}

/** Where and how requests go. */
export interface Target {
  readonly endpoint: URL
  readonly apiVersion: ApiVersion
  readonly policy: RequestPolicy
}

/** Runs a call and hands a 2xx response to `onSuccess`; everything else becomes a typed error. */
export type Requester = <A, E extends CommunicationIdentityError>(
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

const timeoutError = (requestId: string, what: string, limit: RequestPolicy["timeout"]) => () =>
  new TransportError({ reason: "Timeout", message: `${what} did not complete within ${String(limit)}`, requestId })

const noSigner = Effect.fail(new CredentialError({ message: "this client has no credential for this operation" }))

/** Builds the requester for a target, transport and signer (absent: only calls with a `bearer` can be sent). */
export const makeRequester = (
  target: Target,
  http: HttpClient.HttpClient,
  signer: RequestSigner["Type"] | undefined
): Requester => {
  const base = target.endpoint.origin
  const query = `?api-version=${encodeURIComponent(target.apiVersion)}`
  return <A, E extends CommunicationIdentityError>(
    call: Call,
    onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>
  ) =>
    Effect.gen(function*() {
      const policy: RequestPolicy = { ...target.policy, ...(yield* FiberRef.get(currentRequestPolicy)) }
      const requestId = globalThis.crypto.randomUUID()
      const url = new URL(`${base}${call.path}${query}${call.query ? `&${call.query}` : ""}`)
      const body = call.body === undefined ? noBody : encoder.encode(JSON.stringify(call.body))
      const headers: Record<string, string> = {
        accept: "application/json",
        "user-agent": userAgent,
        "x-ms-client-request-id": requestId
      }
      if (call.repeatable === true) {
        headers["repeatability-request-id"] = globalThis.crypto.randomUUID()
        headers["repeatability-first-sent"] = new Date(yield* Clock.currentTimeMillis).toUTCString()
      }
      const bearer = call.bearer
      const authenticate = bearer !== undefined
        ? Effect.sync(() => ({ authorization: `Bearer ${Redacted.value(bearer)}` }))
        : signer === undefined
        ? noSigner
        : signer.sign({ method: call.method, url, body })
      const send = Effect.flatMap(authenticate, (auth) => {
        const request = HttpClientRequest.make(call.method)(url, {
          headers: { ...headers, ...auth },
          body: body.length > 0 ? HttpBody.uint8Array(body, call.contentType ?? "application/json") : HttpBody.empty
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
      // One timer per attempt: the attempt timeout, or the time left before the call's deadline.
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(policy.timeout)
      const attemptLimit = Duration.toMillis(policy.attemptTimeout)
      const callTimeout = timeoutError(requestId, "the call", policy.timeout)
      const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const remaining = deadline - now
        if (remaining <= 0) return Effect.fail(callTimeout())
        return Effect.timeoutFail(send, {
          duration: Math.min(remaining, attemptLimit),
          onTimeout: remaining < attemptLimit
            ? callTimeout
            : timeoutError(requestId, "the attempt", policy.attemptTimeout)
        })
      })
      return yield* Effect.retry(attempt, retrySchedule(policy, deadline))
    })
}
