/**
 * Sends one identity operation: builds the URL and body, then per attempt signs afresh, executes on
 * the caller's `HttpClient` under the attempt timeout and maps the response; retries follow the
 * request policy, all inside the overall deadline. Every request carries `Accept`, `User-Agent` and
 * an `x-ms-client-request-id` that stays the same for all attempts of one call, as do the
 * `Repeatability-*` headers of a repeatable call. Redirects are never followed, and no error keeps
 * the request (its credential or body).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type { ApiVersion } from "../ApiVersion.js"
import * as AttemptTransport from "../AttemptTransport.js"
import {
  type CommunicationIdentityError,
  CredentialError,
  type InvalidArgumentError,
  TransportError,
  type TransportErrorReason
} from "../Errors.js"
import {
  currentRequestPolicy,
  type ResolvedRequestPolicy,
  resolveRequestPolicy,
  retrySchedule
} from "../RequestPolicy.js"
import type { RequestSigner } from "../RequestSigner.js"
import { userAgent } from "../Version.js"
import { failure, markInMemory, maxBodyBytes, type ResponseFailure } from "./response.js"
import { scrubCause, secretsOf } from "./scrub.js"

/**
 * One call to the service. `path` is already percent-encoded; `body` is JSON, or absent for no body.
 *
 * @since 0.1.0
 * @category requester
 */
export interface Call {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  /** More query parameters, already encoded (e.g. a `nextLink`'s continuation), sent after `api-version`. */
  readonly query?: string | undefined
  readonly body?: unknown
  /** The body's content type; `application/json` by default. */
  readonly contentType?: string | undefined
  /**
   * Send `Repeatability-Request-ID` / `Repeatability-First-Sent`, fixed for all attempts of the
   * call. A repeatable call whose 2xx reply cannot be read is retried too (the service answers a
   * repeated request with the first one's result).
   */
  readonly repeatable?: boolean
  /** Authenticate with this bearer token (the end user's Entra token) instead of the signer. */
  readonly bearer?: Redacted.Redacted<string> | undefined
}

/**
 * Where and how requests go. The policy has been checked (`resolveRequestPolicy`).
 *
 * @since 0.1.0
 * @category requester
 */
export interface Target {
  readonly endpoint: URL
  readonly apiVersion: ApiVersion
  readonly policy: ResolvedRequestPolicy
}

/**
 * Runs a call and hands a 2xx response to `onSuccess`; everything else becomes a typed error.
 *
 * @since 0.1.0
 * @category requester
 */
export type Requester = <A, E extends CommunicationIdentityError>(
  call: Call,
  onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>
) => Effect.Effect<A, E | ResponseFailure | CredentialError | InvalidArgumentError>

const encoder = new TextEncoder()
const noBody = new Uint8Array(0)

const reasonOf = (error: HttpClientError.HttpClientError): TransportErrorReason =>
  error._tag === "RequestError" && (error.reason === "Encode" || error.reason === "InvalidUrl")
    ? error.reason
    : "Network"

const transportError = (requestId: string, secrets: () => ReadonlyArray<string>) =>
(
  error: HttpClientError.HttpClientError
) => {
  const reason = reasonOf(error)
  return new TransportError({
    reason,
    message: reason === "Network"
      ? `the request could not be completed (${error.reason})`
      : `the request could not be sent (${error.reason})`,
    requestId,
    cause: scrubCause(error.cause ?? error, secrets())
  })
}

const timeoutError = (requestId: string, what: string, limit: Duration.Duration) => () =>
  new TransportError({
    reason: "Timeout",
    message: `${what} did not complete within ${Duration.format(limit)}`,
    requestId
  })

/** A header value `node:http` and `fetch` both accept: visible Latin-1, spaces and tabs, no CR, LF or NUL. */
const validHeaderValue = /^[\t\x20-\x7e\x80-\xff]*$/

const invalidCredentialHeader = (auth: Readonly<Record<string, string>>): string | undefined => {
  for (const name in auth) if (!validHeaderValue.test(auth[name]!)) return name
  return undefined
}

/** No error may keep the platform's request: every transport error's cause is re-made without secrets. */
const scrubbed = (secrets: () => ReadonlyArray<string>) => <E>(error: E): E =>
  error instanceof TransportError && error.cause !== undefined
    ? new TransportError({
      reason: error.reason,
      message: error.message,
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      cause: scrubCause(error.cause, secrets())
    }) as E
    : error

/** `fetch` follows redirects unless told not to; the service never redirects, so a 3xx is an error. */
const noRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.contextWithEffect((context: Context.Context<never>) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, {
      ...Option.getOrUndefined(Context.getOption(context, FetchHttpClient.RequestInit)),
      redirect: "manual"
    })
  )

const isUnreadableSuccess = (error: CommunicationIdentityError): boolean =>
  error._tag === "UnexpectedResponseError" && error.status >= 200 && error.status < 300

const noSigner = Effect.fail(new CredentialError({ message: "this client has no credential for this operation" }))

/**
 * Builds the requester for a target, transport and signer (absent: only calls with a `bearer` can
 * be sent). A transport that offers the
 * `AttemptTransport` fast path runs each attempt under its own timer with the body read ahead; any
 * other `HttpClient` runs through its `execute` under a racing timeout, as before. Retries are
 * driven only after a failure, so a call that succeeds at once pays for no schedule.
 *
 * @since 0.1.0
 * @category requester
 */
export const makeRequester = (
  target: Target,
  http: HttpClient.HttpClient,
  signer: RequestSigner["Type"] | undefined
): Requester => {
  const base = target.endpoint.origin
  const query = `?api-version=${encodeURIComponent(target.apiVersion)}`
  const fast = AttemptTransport.fromClient(http)
  // No trace headers to Azure, and no second span: the platform's per-request span records the
  // request (its Authorization header and body) in its exit; the operation's span is the only one.
  const client = http.pipe(HttpClient.withTracerPropagation(false), HttpClient.withTracerDisabledWhen(() => true))

  const run = <A, E extends CommunicationIdentityError>(
    call: Call,
    onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>,
    policy: ResolvedRequestPolicy,
    start: number
  ): Effect.Effect<A, E | ResponseFailure | CredentialError> => {
    type Failure = E | ResponseFailure | CredentialError
    const requestId = globalThis.crypto.randomUUID()
    const href = `${base}${call.path}${query}${call.query ? `&${call.query}` : ""}`
    const url = new URL(href)
    const body = call.body === undefined ? noBody : encoder.encode(JSON.stringify(call.body))
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-ms-client-request-id": requestId
    }
    if (call.repeatable === true) {
      headers["repeatability-request-id"] = globalThis.crypto.randomUUID()
      headers["repeatability-first-sent"] = new Date(start).toUTCString()
    }
    const requestBody = body.length > 0
      ? HttpBody.uint8Array(body, call.contentType ?? "application/json")
      : HttpBody.empty
    // Method, URL (a string: `make` would otherwise clone a URL object and re-parse its query) and
    // body are the same for every attempt; each attempt only sets its headers.
    const baseRequest = HttpClientRequest.make(call.method)(href, { body: requestBody })
    const bearer = call.bearer
    const authenticate = bearer !== undefined
      ? Effect.sync(() => ({ authorization: `Bearer ${Redacted.value(bearer)}` }))
      : signer === undefined
      ? noSigner
      : signer.sign({ method: call.method, url, body })
    const deadline = start + Duration.toMillis(policy.timeout)
    const attemptLimit = Duration.toMillis(policy.attemptTimeout)
    const callTimeout = timeoutError(requestId, "the call", policy.timeout)
    const attemptTimeout = timeoutError(requestId, "the attempt", policy.attemptTimeout)
    let attempts = 0

    const handle = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<A, E | ResponseFailure> => {
      const outcome: Effect.Effect<A, E | ResponseFailure> = response.status >= 200 && response.status < 300
        ? onSuccess(response, requestId)
        : failure(response, requestId)
      return Effect.zipRight(
        Effect.annotateCurrentSpan({
          "acs.request_id": requestId,
          "http.response.status_code": response.status,
          "acs.attempts": attempts
        }),
        outcome
      )
    }

    /** One attempt: sign afresh, then send under the time left (the attempt's limit or the call's). */
    const attempt = (now: number): Effect.Effect<A, Failure> => {
      attempts++
      const remaining = deadline - now
      if (remaining <= 0) return Effect.fail(callTimeout())
      const limit = Math.min(remaining, attemptLimit)
      const onTimeout = remaining < attemptLimit ? callTimeout : attemptTimeout
      const send = Effect.flatMap(
        authenticate,
        (auth): Effect.Effect<A, Failure> => {
          const invalid = invalidCredentialHeader(auth)
          if (invalid !== undefined) {
            return Effect.fail(
              new CredentialError({
                message: `the credential produced a ${invalid} header value with characters HTTP forbids ` +
                  "(CR, LF, NUL or beyond Latin-1)"
              })
            )
          }
          // Worked out only when an error needs scrubbing: the success path pays nothing for it.
          const secrets = () => secretsOf(auth, call.body)
          const request = HttpClientRequest.setHeaders(baseRequest, { ...headers, ...auth })
          if (fast !== undefined) {
            // One frame for the exchange's outcome (rather than map-error, flat-map, map-error).
            return Effect.matchEffect(fast.attempt(request, { url, timeoutMillis: limit, maxBodyBytes, onTimeout }), {
              onFailure: (error) =>
                Effect.fail(
                  scrubbed(secrets)(
                    error instanceof TransportError ? error : transportError(requestId, secrets)(error)
                  )
                ),
              onSuccess: (response) => Effect.mapError(handle(markInMemory(response)), scrubbed(secrets))
            })
          }
          return client.execute(request).pipe(
            noRedirects,
            Effect.mapError(transportError(requestId, secrets)),
            Effect.flatMap(handle),
            Effect.mapError(scrubbed(secrets))
          )
        }
      )
      // The fast path's timer covers the exchange; any other transport races one timer per attempt.
      return fast !== undefined ? send : Effect.timeoutFail(send, { duration: limit, onTimeout })
    }

    /** Entered only after a failure: the policy's schedule decides, waits, and runs the next attempt. */
    const retry = (first: Failure): Effect.Effect<A, Failure> =>
      Effect.flatMap(
        Schedule.driver(
          retrySchedule(policy, deadline, call.repeatable === true ? isUnreadableSuccess : undefined).pipe(
            Schedule.intersect(Schedule.identity<CommunicationIdentityError>()),
            Schedule.modifyDelayEffect(([, error], delay) =>
              Effect.as(logRetry(call, requestId, attempts, error, delay), delay)
            )
          )
        ),
        (driver) => {
          // Made only here, after a failure: a call that succeeds at once allocates nothing for retries.
          const nextAttempt = Effect.flatMap(Clock.currentTimeMillis, attempt)
          const loop = (error: Failure): Effect.Effect<A, Failure> =>
            Effect.matchEffect(driver.next(error), {
              onFailure: () => Effect.fail(error),
              onSuccess: () => Effect.catchAll(nextAttempt, loop)
            })
          return loop(first)
        }
      )

    return Effect.catchAll(attempt(start), retry)
  }

  return <A, E extends CommunicationIdentityError>(
    call: Call,
    onSuccess: (response: HttpClientResponse.HttpClientResponse, requestId: string) => Effect.Effect<A, E>
  ): Effect.Effect<A, E | ResponseFailure | CredentialError | InvalidArgumentError> =>
    // The policy overrides and the start time read in one step from the fiber (its Clock service,
    // so a `TestClock` is honoured), rather than two effects per call.
    Effect.withFiberRuntime((fiber): Effect.Effect<
      A,
      E | ResponseFailure | CredentialError | InvalidArgumentError
    > => {
      const overrides = fiber.getFiberRef(currentRequestPolicy)
      const start = Context.get(fiber.currentDefaultServices, Clock.Clock).unsafeCurrentTimeMillis()
      if (Object.keys(overrides).length === 0) return run(call, onSuccess, target.policy, start)
      const resolved = resolveRequestPolicy(overrides, target.policy)
      return resolved._tag === "Left" ? Effect.fail(resolved.left) : run(call, onSuccess, resolved.right, start)
    })
}

/** One debug line per retry: the operation, the attempt that failed, why, the wait and the request id. */
const logRetry = (
  call: Call,
  requestId: string,
  attempt: number,
  error: CommunicationIdentityError,
  wait: Duration.Duration
) =>
  Effect.flatMap(Effect.option(Effect.currentSpan), (span) =>
    Effect.logDebug("retrying an identity request").pipe(
      Effect.annotateLogs({
        operation: Option.match(span, { onNone: () => `${call.method} ${call.path}`, onSome: (s) => s.name }),
        attempt,
        error: error._tag,
        ...("status" in error ? { status: error.status } : {}),
        ...(error._tag === "TransportError" ? { reason: error.reason } : {}),
        wait: Duration.format(wait),
        requestId
      })
    ))
