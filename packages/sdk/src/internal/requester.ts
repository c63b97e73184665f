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
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import type * as Tracer from "effect/Tracer"
import type { ApiVersion } from "../ApiVersion.js"
import * as AttemptTransport from "../AttemptTransport.js"
import {
  type CommunicationIdentityError,
  CredentialError,
  type InvalidArgumentError,
  TransportError,
  type TransportErrorReason,
  type UnexpectedResponseError
} from "../Errors.js"
import {
  currentRequestPolicy,
  type ResolvedRequestPolicy,
  resolveRequestPolicy,
  retrySchedule
} from "../RequestPolicy.js"
import type { RequestSigner, SignableRequest } from "../RequestSigner.js"
import { userAgent } from "../Version.js"
import { failureOf, maxBodyBytes, receive, type Received, receivedFrom, type ResponseFailure } from "./response.js"
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
  /**
   * The operation's name (for logs) and span, which is annotated with the request id, the final
   * status and the attempt count.
   */
  readonly trace?: { readonly name: string; readonly span: Tracer.Span | undefined } | undefined
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
 * Runs a call and hands a 2xx response, read into memory, to `onSuccess`, which decodes it (or says
 * why it cannot); everything else becomes a typed error.
 *
 * @since 0.1.0
 * @category requester
 */
export type Requester = <A>(
  call: Call,
  onSuccess: (received: Received, requestId: string) => Either.Either<A, UnexpectedResponseError>
) => Effect.Effect<A, ResponseFailure | CredentialError | InvalidArgumentError>

const encoder = new TextEncoder()

const reasonOf = (error: HttpClientError.HttpClientError): TransportErrorReason =>
  error._tag === "RequestError" && (error.reason === "Encode" || error.reason === "InvalidUrl")
    ? error.reason
    : "Network"

const transportError = (requestId: string, reason: TransportErrorReason, detail: string, cause: Error) =>
  new TransportError({
    reason,
    message: reason === "Network"
      ? `the request could not be completed (${detail})`
      : `the request could not be sent (${detail})`,
    requestId,
    cause
  })

const timeoutError = (requestId: string, what: string, limit: Duration.Duration) =>
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
 * be sent). A transport that offers the `AttemptTransport` fast path runs each attempt under its
 * own timer with the body read ahead, and the client waits for it in a single `Effect.async`; any
 * other `HttpClient` runs through its `execute` under a racing timeout. Retries are driven only
 * after a failure, so a call that succeeds at once pays for no schedule.
 *
 * @since 0.1.0
 * @category requester
 */
export const makeRequester = (
  target: Target,
  http: HttpClient.HttpClient,
  signer: RequestSigner["Type"] | undefined
): Requester => {
  const origin = new URL(target.endpoint.origin)
  const query = `?api-version=${encodeURIComponent(target.apiVersion)}`
  const fast = AttemptTransport.fromClient(http)
  // No trace headers to Azure, and no second span: the platform's per-request span records the
  // request (its Authorization header and body) in its exit; the operation's span is the only one.
  const client = http.pipe(HttpClient.withTracerPropagation(false), HttpClient.withTracerDisabledWhen(() => true))

  const run = <A>(
    call: Call,
    onSuccess: (received: Received, requestId: string) => Either.Either<A, UnexpectedResponseError>,
    policy: ResolvedRequestPolicy,
    clock: Clock.Clock
  ): Effect.Effect<A, ResponseFailure | CredentialError> => {
    type Failure = ResponseFailure | CredentialError
    const start = clock.unsafeCurrentTimeMillis()
    const requestId = globalThis.crypto.randomUUID()
    const path = `${call.path}${query}${call.query ? `&${call.query}` : ""}`
    const body = call.body === undefined ? undefined : encoder.encode(JSON.stringify(call.body))
    const outgoing = new Outgoing(call.method, origin, path, body ?? noBytes)
    const contentType = call.contentType ?? "application/json"
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-ms-client-request-id": requestId
    }
    if (call.repeatable === true) {
      headers["repeatability-request-id"] = globalThis.crypto.randomUUID()
      headers["repeatability-first-sent"] = new Date(start).toUTCString()
    }
    const bearer = call.bearer === undefined ? undefined : { authorization: `Bearer ${Redacted.value(call.bearer)}` }
    const deadline = start + Duration.toMillis(policy.timeout)
    const attemptLimit = Duration.toMillis(policy.attemptTimeout)
    /** The timeout error: the call's deadline came first, or the attempt's limit. */
    const timedOut = (deadlineFirst: boolean) =>
      deadlineFirst
        ? timeoutError(requestId, "the call", policy.timeout)
        : timeoutError(requestId, "the attempt", policy.attemptTimeout)
    // The operation's span, annotated directly. It is made the parent span only around code that may
    // look for it (a signer that may wait, a general transport, retries and their logs): on the fast
    // path nothing does, and providing it would copy the fiber's refs twice per call.
    const span = call.trace?.span
    const inSpan = <X, Y>(effect: Effect.Effect<X, Y>): Effect.Effect<X, Y> =>
      span === undefined ? effect : Effect.withParentSpan(effect, span)
    let attempts = 0

    /** A response, read: the success decoded, or the status's error. The span records the last one. */
    const settle = (received: Received): Either.Either<A, ResponseFailure> => {
      if (span !== undefined) {
        span.attribute("acs.request_id", requestId)
        span.attribute("http.response.status_code", received.status)
        span.attribute("acs.attempts", attempts)
      }
      return received.status >= 200 && received.status < 300
        ? onSuccess(received, requestId)
        : Either.left(failureOf(received, requestId, clock.unsafeCurrentTimeMillis()))
    }

    /** One attempt on the fast path: a single `Effect.async` around the transport's own attempt. */
    const attemptFast = (
      transport: AttemptTransport.AttemptTransport,
      auth: Readonly<Record<string, string>>,
      timeoutMillis: number,
      deadlineFirst: boolean
    ) =>
      Effect.async<A, Failure>((resume) => {
        // `Object.assign` rather than `{ ...headers, ...auth }`: V8 takes a slow path (about a
        // microsecond per object) for a spread followed by more properties.
        const sent: Record<string, string> = Object.assign({}, headers, auth)
        if (body !== undefined) {
          sent["content-type"] = contentType
          sent["content-length"] = String(body.length)
        }
        const abort = transport.start(
          { method: call.method, origin, path, headers: sent, body, timeoutMillis, maxBodyBytes },
          (result) => {
            switch (result._tag) {
              case "Response": {
                const { body: bytes, headers: received, status } = result.response
                const outcome = settle(receivedFrom(status, received, bytes))
                return resume(outcome._tag === "Right" ? Effect.succeed(outcome.right) : Effect.fail(outcome.left))
              }
              case "Timeout":
                return resume(Effect.fail(timedOut(deadlineFirst)))
              case "Failed": {
                const cause = scrubCause(result.cause, secretsOf(auth, call.body))
                return resume(Effect.fail(
                  result.reason === "Encode"
                    ? transportError(requestId, "Encode", "Encode", cause)
                    : transportError(requestId, "Network", "Transport", cause)
                ))
              }
            }
          }
        )
        return Effect.sync(abort)
      })

    /** One attempt on any other `HttpClient`: its `execute`, raced by the attempt's timer. */
    const attemptGeneral = (auth: Readonly<Record<string, string>>): Effect.Effect<A, Failure> => {
      // Worked out only when an error needs scrubbing: the success path pays nothing for it.
      const secrets = () => secretsOf(auth, call.body)
      const request = HttpClientRequest.make(call.method)(outgoing.url.href, {
        body: body === undefined ? HttpBody.empty : HttpBody.uint8Array(body, contentType),
        headers: { ...headers, ...auth }
      })
      return client.execute(request).pipe(
        noRedirects,
        Effect.mapError((error) =>
          transportError(requestId, reasonOf(error), error.reason, scrubCause(error.cause ?? error, secrets()))
        ),
        Effect.flatMap((response) => receive(response, requestId)),
        Effect.flatMap(settle),
        Effect.mapError(scrubbed(secrets))
      )
    }

    /** A failure when the credential's headers cannot be sent; `undefined` when they can. */
    const refusal = (auth: Readonly<Record<string, string>>): Effect.Effect<never, CredentialError> | undefined => {
      const invalid = invalidCredentialHeader(auth)
      return invalid === undefined ? undefined : Effect.fail(
        new CredentialError({
          message: `the credential produced a ${invalid} header value with characters HTTP forbids ` +
            "(CR, LF, NUL or beyond Latin-1)"
        })
      )
    }

    /**
     * One attempt: sign afresh, then send under the time left (the attempt's limit or the call's).
     * A bearer or a signer that signs at once (`signNow`) costs no effect step. On the fast path the
     * transport's timer covers the exchange; a signer that may wait (a token source, say) runs under
     * a timer of its own, and the exchange gets what is left.
     */
    const attempt = (now: number): Effect.Effect<A, Failure> => {
      attempts++
      const remaining = deadline - now
      if (remaining <= 0) return Effect.fail(timedOut(true))
      const limit = Math.min(remaining, attemptLimit)
      const deadlineFirst = remaining < attemptLimit
      const send = (auth: Readonly<Record<string, string>>, timeoutMillis: number): Effect.Effect<A, Failure> =>
        refusal(auth) ??
          (fast !== undefined
            ? attemptFast(fast, auth, timeoutMillis, deadlineFirst)
            : Effect.timeoutFail(inSpan(attemptGeneral(auth)), {
              duration: timeoutMillis,
              onTimeout: () => timedOut(deadlineFirst)
            }))
      const signed = bearer ?? signer?.signNow?.(outgoing, now)
      if (signed !== undefined) return send(signed, limit)
      if (signer === undefined) return noSigner
      return Effect.flatMap(
        Effect.timeoutFail(inSpan(signer.sign(outgoing)), {
          duration: limit,
          onTimeout: () => timedOut(deadlineFirst)
        }),
        (auth) => {
          const left = limit - (clock.unsafeCurrentTimeMillis() - now)
          return left <= 0 ? Effect.fail(timedOut(deadlineFirst)) : send(auth, left)
        }
      )
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

    return Effect.catchAll(attempt(start), (error) => inSpan(retry(error)))
  }

  return <A>(
    call: Call,
    onSuccess: (received: Received, requestId: string) => Either.Either<A, UnexpectedResponseError>
  ): Effect.Effect<A, ResponseFailure | CredentialError | InvalidArgumentError> =>
    // The policy overrides and the clock (its Clock service, so a `TestClock` is honoured) are read in
    // one step from the fiber, rather than one effect each per call.
    Effect.withFiberRuntime((fiber): Effect.Effect<A, ResponseFailure | CredentialError | InvalidArgumentError> => {
      const overrides = fiber.getFiberRef(currentRequestPolicy)
      const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
      if (Object.keys(overrides).length === 0) return run(call, onSuccess, target.policy, clock)
      const resolved = resolveRequestPolicy(overrides, target.policy)
      return resolved._tag === "Left" ? Effect.fail(resolved.left) : run(call, onSuccess, resolved.right, clock)
    })
}

const noBytes = new Uint8Array(0)

/**
 * The request as a signer sees it: method, body, and the host and target as sent; the `URL` is
 * parsed only if a signer (or the general transport) asks for it.
 */
class Outgoing implements SignableRequest {
  private parsed: URL | undefined
  readonly host: string
  constructor(
    readonly method: string,
    private readonly origin: URL,
    readonly target: string,
    readonly body: Uint8Array
  ) {
    this.host = origin.host
  }
  get url(): URL {
    return this.parsed ??= new URL(this.target, this.origin)
  }
}

/** One debug line per retry: the operation, the attempt that failed, why, the wait and the request id. */
const logRetry = (
  call: Call,
  requestId: string,
  attempt: number,
  error: CommunicationIdentityError,
  wait: Duration.Duration
) =>
  Effect.logDebug("retrying an identity request").pipe(
    Effect.annotateLogs({
      operation: call.trace?.name ?? `${call.method} ${call.path}`,
      attempt,
      error: error._tag,
      ...("status" in error ? { status: error.status } : {}),
      ...(error._tag === "TransportError" ? { reason: error.reason } : {}),
      wait: Duration.format(wait),
      requestId
    })
  )
