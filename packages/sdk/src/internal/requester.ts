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
  /** The operation's trace: its span is annotated with the request id, the final status and the attempt count. */
  readonly trace?: Trace | undefined
}

/**
 * What `traced` (in `operation.ts`) hands an operation: its name (`CommunicationIdentityClient.<method>`,
 * for logs) and its span, `undefined` when none is made.
 *
 * @since 0.1.0
 * @category requester
 */
export interface Trace {
  readonly name: string
  readonly span: Tracer.Span | undefined
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
  const sender: Sender = {
    origin: new URL(target.endpoint.origin),
    query: `?api-version=${encodeURIComponent(target.apiVersion)}`,
    fast: AttemptTransport.fromClient(http),
    // No trace headers to Azure, and no second span: the platform's per-request span records the
    // request (its Authorization header and body) in its exit; the operation's span is the only one.
    client: http.pipe(HttpClient.withTracerPropagation(false), HttpClient.withTracerDisabledWhen(() => true)),
    signer
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
      if (Object.keys(overrides).length === 0) return new Exchange(sender, call, onSuccess, target.policy, clock).run()
      const resolved = resolveRequestPolicy(overrides, target.policy)
      return resolved._tag === "Left"
        ? Effect.fail(resolved.left)
        : new Exchange(sender, call, onSuccess, resolved.right, clock).run()
    })
}

/** What every call of one requester shares. */
interface Sender {
  readonly origin: URL
  readonly query: string
  readonly fast: AttemptTransport.AttemptTransport | undefined
  readonly client: HttpClient.HttpClient
  readonly signer: RequestSigner["Type"] | undefined
}

type Failure = ResponseFailure | CredentialError

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

/**
 * One call: its request, built once, and its attempts. A class, so that a call allocates its state
 * and nothing else up front (the methods are shared; closures per call would be made whether or not
 * a failure ever needs them).
 */
class Exchange<A> {
  readonly start: number
  readonly requestId: string
  readonly body: Uint8Array | undefined
  readonly outgoing: Outgoing
  readonly headers: Record<string, string>
  readonly bearer: Readonly<Record<string, string>> | undefined
  readonly deadline: number
  /**
   * The operation's span, annotated directly. It is made the parent span only around code that may
   * look for it (a signer that may wait, a general transport, retries and their logs): on the fast
   * path nothing does, and providing it would copy the fiber's refs twice per call.
   */
  readonly span: Tracer.Span | undefined
  attempts = 0

  constructor(
    readonly sender: Sender,
    readonly call: Call,
    readonly onSuccess: (received: Received, requestId: string) => Either.Either<A, UnexpectedResponseError>,
    readonly policy: ResolvedRequestPolicy,
    readonly clock: Clock.Clock
  ) {
    this.start = clock.unsafeCurrentTimeMillis()
    this.requestId = globalThis.crypto.randomUUID()
    this.body = call.body === undefined ? undefined : encoder.encode(JSON.stringify(call.body))
    this.outgoing = new Outgoing(
      call.method,
      sender.origin,
      `${call.path}${sender.query}${call.query ? `&${call.query}` : ""}`,
      this.body ?? noBytes
    )
    this.headers = {
      accept: "application/json",
      "user-agent": userAgent,
      "x-ms-client-request-id": this.requestId
    }
    if (call.repeatable === true) {
      this.headers["repeatability-request-id"] = globalThis.crypto.randomUUID()
      this.headers["repeatability-first-sent"] = new Date(this.start).toUTCString()
    }
    this.bearer = call.bearer === undefined ? undefined : { authorization: `Bearer ${Redacted.value(call.bearer)}` }
    this.deadline = this.start + Duration.toMillis(policy.timeout)
    this.span = call.trace?.span
  }

  /** The first attempt, then retries if it fails. */
  run(): Effect.Effect<A, Failure> {
    return Effect.catchAll(this.attempt(this.start), (error) => this.inSpan(this.retry(error)))
  }

  inSpan<X, Y>(effect: Effect.Effect<X, Y>): Effect.Effect<X, Y> {
    return this.span === undefined ? effect : Effect.withParentSpan(effect, this.span)
  }

  /** The timeout error: the call's deadline came first, or the attempt's limit. */
  timedOut(deadlineFirst: boolean): TransportError {
    return deadlineFirst
      ? timeoutError(this.requestId, "the call", this.policy.timeout)
      : timeoutError(this.requestId, "the attempt", this.policy.attemptTimeout)
  }

  /** A response, read: the success decoded, or the status's error. The span records the last one. */
  settle(received: Received): Either.Either<A, ResponseFailure> {
    const span = this.span
    if (span !== undefined) {
      span.attribute("acs.request_id", this.requestId)
      span.attribute("http.response.status_code", received.status)
      span.attribute("acs.attempts", this.attempts)
    }
    return received.status >= 200 && received.status < 300
      ? this.onSuccess(received, this.requestId)
      : Either.left(failureOf(received, this.requestId, this.clock.unsafeCurrentTimeMillis()))
  }

  /**
   * One attempt: sign afresh, then send under the time left (the attempt's limit or the call's).
   * A bearer or a signer that signs at once (`signNow`) costs no effect step. On the fast path the
   * transport's timer covers the exchange; a signer that may wait (a token source, say) runs under
   * a timer of its own, and the exchange gets what is left.
   */
  attempt(now: number): Effect.Effect<A, Failure> {
    this.attempts++
    const remaining = this.deadline - now
    if (remaining <= 0) return Effect.fail(this.timedOut(true))
    const attemptLimit = Duration.toMillis(this.policy.attemptTimeout)
    const limit = Math.min(remaining, attemptLimit)
    const deadlineFirst = remaining < attemptLimit
    const signer = this.sender.signer
    const signed = this.bearer ?? signer?.signNow?.(this.outgoing, now)
    if (signed !== undefined) return this.send(signed, limit, deadlineFirst)
    if (signer === undefined) return noSigner
    return Effect.flatMap(
      Effect.timeoutFail(this.inSpan(signer.sign(this.outgoing)), {
        duration: limit,
        onTimeout: () => this.timedOut(deadlineFirst)
      }),
      (auth) => {
        const left = limit - (this.clock.unsafeCurrentTimeMillis() - now)
        return left <= 0 ? Effect.fail(this.timedOut(deadlineFirst)) : this.send(auth, left, deadlineFirst)
      }
    )
  }

  /** Sends with the credential's headers (unless HTTP forbids them) through the fast path or the general one. */
  send(
    auth: Readonly<Record<string, string>>,
    timeoutMillis: number,
    deadlineFirst: boolean
  ): Effect.Effect<A, Failure> {
    const invalid = invalidCredentialHeader(auth)
    if (invalid !== undefined) {
      return Effect.fail(
        new CredentialError({
          message: `the credential produced a ${invalid} header value with characters HTTP forbids ` +
            "(CR, LF, NUL or beyond Latin-1)"
        })
      )
    }
    const fast = this.sender.fast
    return fast !== undefined
      ? this.attemptFast(fast, auth, timeoutMillis, deadlineFirst)
      : Effect.timeoutFail(this.inSpan(this.attemptGeneral(auth)), {
        duration: timeoutMillis,
        onTimeout: () => this.timedOut(deadlineFirst)
      })
  }

  /** One attempt on the fast path: a single `Effect.async` around the transport's own attempt. */
  attemptFast(
    transport: AttemptTransport.AttemptTransport,
    auth: Readonly<Record<string, string>>,
    timeoutMillis: number,
    deadlineFirst: boolean
  ): Effect.Effect<A, Failure> {
    return Effect.async<A, Failure>((resume) => {
      // `Object.assign` rather than `{ ...headers, ...auth }`: V8 takes a slow path (about a
      // microsecond per object) for a spread followed by more properties.
      const sent: Record<string, string> = Object.assign({}, this.headers, auth)
      const body = this.body
      if (body !== undefined) {
        sent["content-type"] = this.call.contentType ?? "application/json"
        sent["content-length"] = String(body.length)
      }
      const abort = transport.start(
        {
          method: this.call.method,
          origin: this.sender.origin,
          path: this.outgoing.target,
          headers: sent,
          body,
          timeoutMillis,
          maxBodyBytes
        },
        (result) => {
          switch (result._tag) {
            case "Response": {
              const { body: bytes, headers: received, status } = result.response
              const outcome = this.settle(receivedFrom(status, received, bytes))
              return resume(outcome._tag === "Right" ? Effect.succeed(outcome.right) : Effect.fail(outcome.left))
            }
            case "Timeout":
              return resume(Effect.fail(this.timedOut(deadlineFirst)))
            case "Failed": {
              const cause = scrubCause(result.cause, secretsOf(auth, this.call.body))
              return resume(Effect.fail(
                result.reason === "Encode"
                  ? transportError(this.requestId, "Encode", "Encode", cause)
                  : transportError(this.requestId, "Network", "Transport", cause)
              ))
            }
          }
        }
      )
      return Effect.sync(abort)
    })
  }

  /** One attempt on any other `HttpClient`: its `execute` (raced by the attempt's timer in `send`). */
  attemptGeneral(auth: Readonly<Record<string, string>>): Effect.Effect<A, Failure> {
    // Worked out only when an error needs scrubbing: the success path pays nothing for it.
    const secrets = () => secretsOf(auth, this.call.body)
    const body = this.body
    const request = HttpClientRequest.make(this.call.method)(this.outgoing.url.href, {
      body: body === undefined
        ? HttpBody.empty
        : HttpBody.uint8Array(body, this.call.contentType ?? "application/json"),
      headers: { ...this.headers, ...auth }
    })
    return this.sender.client.execute(request).pipe(
      noRedirects,
      Effect.mapError((error) =>
        transportError(this.requestId, reasonOf(error), error.reason, scrubCause(error.cause ?? error, secrets()))
      ),
      Effect.flatMap((response) => receive(response, this.requestId)),
      Effect.flatMap((received) => this.settle(received)),
      Effect.mapError(scrubbed(secrets))
    )
  }

  /** Entered only after a failure: the policy's schedule decides, waits, and runs the next attempt. */
  retry(first: Failure): Effect.Effect<A, Failure> {
    return Effect.flatMap(
      Schedule.driver(
        retrySchedule(this.policy, this.deadline, this.call.repeatable === true ? isUnreadableSuccess : undefined)
          .pipe(
            Schedule.intersect(Schedule.identity<CommunicationIdentityError>()),
            Schedule.modifyDelayEffect(([, error], delay) =>
              Effect.as(logRetry(this.call, this.requestId, this.attempts, error, delay), delay)
            )
          )
      ),
      (driver) => {
        const nextAttempt = Effect.flatMap(Clock.currentTimeMillis, (now) => this.attempt(now))
        const loop = (error: Failure): Effect.Effect<A, Failure> =>
          Effect.matchEffect(driver.next(error), {
            onFailure: () => Effect.fail(error),
            onSuccess: () => Effect.catchAll(nextAttempt, loop)
          })
        return loop(first)
      }
    )
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
