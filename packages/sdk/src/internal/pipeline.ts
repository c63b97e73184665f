/**
 * The one call pipeline every operation takes: gate by api-version, build the request from the
 * operation's row, then per attempt sign afresh, send through the `Transport` within the attempt's
 * budget and the call's deadline, and interpret the answer; retries follow the request policy under
 * `Effect.retry`. Every request carries `Accept`, `User-Agent` and an `x-ms-client-request-id` that
 * stays the same for all attempts of one call, as do the `Repeatability-*` headers of a repeatable
 * operation. No error keeps the request's credential or body.
 *
 * The HTTP client and the in-memory layer both run operations through `operation` (span, then the
 * api-version gate, then the arguments), so the two refuse the same calls in the same order.
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import type * as MetricLabel from "effect/MetricLabel"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import type * as Tracer from "effect/Tracer"
import * as Tracer_ from "effect/Tracer"
import type { ApiVersion } from "../ApiVersion.js"
import {
  type CommunicationIdentityError,
  CredentialError,
  InvalidArgumentError,
  type NotFoundError,
  TransportError,
  type UnexpectedResponseError
} from "../Errors.js"
import { buildPath, type Definition, isAvailable, type OperationId, operations } from "../Operations.js"
import {
  currentRequestPolicy,
  type ResolvedRequestPolicy,
  resolveRequestPolicy,
  retrySchedule
} from "../RequestPolicy.js"
import type { RequestSigner, SignableRequest } from "../RequestSigner.js"
import * as Telemetry from "../Telemetry.js"
import type * as Transport from "../Transport.js"
import { decodeBody, failureOf, maxBodyBytes, type Received, receivedFrom, type ResponseFailure } from "./interpret.js"
import { scrubCause, secretsOf } from "./scrub.js"
import * as telemetry from "./telemetry.js"

/** Where and how requests go. The policy has been checked (`resolveRequestPolicy`). */
export interface Target {
  readonly endpoint: URL
  readonly apiVersion: ApiVersion
  readonly policy: ResolvedRequestPolicy
  /** The `User-Agent` to send: the SDK's product token, after the application's prefix if it has one. */
  readonly userAgent: string
}

/** What a call needs besides its operation: path parameters, the body, more query, the user's bearer. */
export interface Input {
  readonly params?: Readonly<Record<string, string>>
  readonly body?: unknown
  /** More query parameters, already encoded (a `nextLink`'s continuation), sent after `api-version`. */
  readonly query?: string | undefined
  /** Authenticate with this bearer token (the end user's Entra token) instead of the signer. */
  readonly bearer?: Redacted.Redacted<string>
  /** The operation's trace (from `operation`). */
  readonly trace: Trace
}

/**
 * What `operation` hands its body: the operation's name (`CommunicationIdentityClient.<method>`, for
 * logs) and its span, which gets the request id, final status and attempts (none under the
 * built-in tracer).
 */
export interface Trace {
  readonly name: string
  readonly span: Tracer.Span | undefined
}

/** The decoded 2xx body of an operation (`void` for the 204 ones). */
export type Output<K extends OperationId> = (typeof operations)[K]["response"] extends infer S
  ? S extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<S> : void
  : never

/** A decoded answer and the success status it came with (200 or 201 tells updated from created). */
export interface Answer<A> {
  readonly value: A
  readonly status: number
}

/** The errors of sending an operation: `NotFoundError` only where the table says it has a 404. */
export type InvokeError<K extends OperationId> =
  | InvalidArgumentError
  | CredentialError
  | ((typeof operations)[K]["notFound"] extends true ? ResponseFailure : Exclude<ResponseFailure, NotFoundError>)

/** Sends operations of the table. */
export type Invoke = <K extends OperationId>(
  operation: K,
  input: Input
) => Effect.Effect<Answer<Output<K>>, InvokeError<K>>

/**
 * Runs `body` as one client operation (`method`: the table's `clientMethod`, unless a variant
 * such as `createUserAndToken` names itself): in its span (`CommunicationIdentityClient.<method>`, kind
 * client, no stack capture; none under the built-in tracer), after the api-version gate (nothing is sent, and no argument is
 * checked, for a version that lacks the operation). The span is handed to `body` rather than put
 * in the fiber's context (which would copy the fiber's refs twice per call); the pipeline makes it
 * the parent span only around code that may look for it.
 */
export const operation = <A, E, R>(
  apiVersion: ApiVersion,
  id: OperationId,
  body: (trace: Trace) => Effect.Effect<A, E, R>,
  method: string = operations[id].clientMethod
): Effect.Effect<A, E | InvalidArgumentError, R> =>
  Effect.withFiberRuntime((fiber) => {
    const name = `CommunicationIdentityClient.${method}`
    const gated = (span: Tracer.Span | undefined): Effect.Effect<A, E | InvalidArgumentError, R> =>
      isAvailable(id, apiVersion)
        ? body({ name, span })
        : Effect.fail(
          new InvalidArgumentError({
            argument: "apiVersion",
            message: `${method} is not available in api-version ${apiVersion} (it is in ${
              operations[id].versions.join(", ")
            })`
          })
        )
    return fiber.currentTracer === nativeTracer
      ? gated(undefined)
      : Effect.useSpan(
        name,
        { kind: "client", captureStackTrace: false, attributes: spanAttributes(id) },
        (span) =>
          Effect.catchAll(gated(span), (error) => {
            span.attribute("error.type", telemetry.errorType(error))
            return Effect.fail(error)
          })
      )
  })

const spanAttributes = (id: OperationId) => ({
  "az.namespace": Telemetry.namespace,
  "acs.operation": operations[id].operationId
})

/**
 * Effect's built-in tracer. Its spans reach no exporter and are put in no context here, so nothing
 * could see one; making it would cost about 14 µs a call (its clock reads and bookkeeping, measured
 * with `bench/overhead.ts`), half the SDK's own cost. Under it, no span is made.
 */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer_.Tracer)

/** How an operation's bodies go to and from the wire, compiled on the operation's first call. */
interface Codec {
  /** Type to wire; `undefined` when the body needs no encoding (none, or one that encodes as itself). */
  readonly encode: ((body: unknown) => unknown) | undefined
  readonly decode:
    | ((received: Received, requestId: string) => Either.Either<unknown, UnexpectedResponseError>)
    | undefined
  /** The decoded value of a 204, for operations that may answer one. */
  readonly noContent: unknown
}

/**
 * True when encoding a value of the schema's type gives it back unchanged: no transformation or
 * declaration (`Redacted`, classes, dates) anywhere in it, only structs, tuples, unions, literals
 * and filters. A body of such a schema (already decoded by the argument checks) is sent as it is.
 */
export const encodesAsItself = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Transformation":
    case "Declaration":
    case "Suspend":
      return false
    case "Refinement":
      return encodesAsItself(ast.from)
    case "TypeLiteral":
      return ast.propertySignatures.every((property) => encodesAsItself(property.type)) &&
        ast.indexSignatures.every((index) => encodesAsItself(index.type))
    case "TupleType":
      return ast.elements.every((element) => encodesAsItself(element.type)) &&
        ast.rest.every((rest) => encodesAsItself(rest.type))
    case "Union":
      return ast.types.every(encodesAsItself)
    default:
      return true
  }
}

const codecs = new Map<OperationId, Codec>()

const codecOf = (id: OperationId): Codec => {
  let codec = codecs.get(id)
  if (codec === undefined) {
    const definition: Definition = operations[id]
    codec = {
      encode: definition.request === undefined || encodesAsItself(definition.request.ast)
        ? undefined
        : Schema.encodeUnknownSync(definition.request),
      decode: definition.response === undefined ? undefined : decodeBody(definition.response, id),
      noContent: definition.response === undefined || definition.noContent === undefined
        ? undefined
        : Schema.decodeUnknownSync(definition.response)(definition.noContent)
    }
    codecs.set(id, codec)
  }
  return codec
}

const encoder = new TextEncoder()

const transportError = (requestId: string, reason: TransportError["reason"], cause: Error) =>
  new TransportError({
    reason,
    message: reason === "Network"
      ? "the request could not be completed (Transport)"
      : `the request could not be sent (${reason})`,
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

const isUnreadableSuccess = (error: CommunicationIdentityError): boolean =>
  error._tag === "UnexpectedResponseError" && error.status >= 200 && error.status < 300

// Made when first needed: building a Schema error class's first instance compiles its validation
// (about 2 ms of a cold start).
const noSigner = Effect.suspend(() =>
  Effect.fail(new CredentialError({ message: "this client has no credential for this operation" }))
)

/** What every call of one client shares. */
interface Sender {
  readonly origin: URL
  readonly server: telemetry.Server
  readonly query: string
  readonly userAgent: string
  readonly transport: Transport.Service
  readonly signer: RequestSigner["Type"] | undefined
}

/**
 * Builds the pipeline for a target, transport and signer (absent: only calls with a `bearer` can be
 * sent). Retries are driven only after a failure, so a call that succeeds at once builds no schedule.
 */
export const makeInvoke = (
  target: Target,
  transport: Transport.Service,
  signer: RequestSigner["Type"] | undefined
): Invoke => {
  const sender: Sender = {
    origin: new URL(target.endpoint.origin),
    server: telemetry.serverOf(target.endpoint),
    query: `?api-version=${encodeURIComponent(target.apiVersion)}`,
    userAgent: target.userAgent,
    transport,
    signer
  }
  return ((id: OperationId, input: Input): Effect.Effect<Answer<unknown>, Failure | InvalidArgumentError> =>
    // The policy overrides and the clock (its Clock service, so a `TestClock` is honoured) are read in
    // one step from the fiber, rather than one effect each per call.
    Effect.withFiberRuntime((fiber) => {
      const overrides = fiber.getFiberRef(currentRequestPolicy)
      const ambient: Ambient = {
        clock: Context.get(fiber.currentDefaultServices, Clock.Clock),
        metricLabels: fiber.getFiberRef(FiberRef.currentMetricLabels),
        propagate: fiber.getFiberRef(Telemetry.currentTracePropagation)
      }
      if (Object.keys(overrides).length === 0) return new Call(sender, id, input, target.policy, ambient).run()
      const resolved = resolveRequestPolicy(overrides, target.policy)
      return resolved._tag === "Left"
        ? Effect.fail(resolved.left)
        : new Call(sender, id, input, resolved.right, ambient).run()
    })) as Invoke
}

const noBytes = new Uint8Array(0)

/**
 * The request as a signer sees it: method, body, and the host and target as sent; the `URL` is
 * parsed only if a signer asks for it.
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

type Failure = ResponseFailure | CredentialError

/** What a call reads from its fiber when it starts. */
interface Ambient {
  /** The fiber's `Clock` (a `TestClock` is honoured). */
  readonly clock: Clock.Clock
  /** The application's metric labels (`Effect.tagMetrics`), added to the client's. */
  readonly metricLabels: ReadonlyArray<MetricLabel.MetricLabel>
  /** Whether to send `traceparent` (`Telemetry.withTracePropagation`). */
  readonly propagate: boolean
}

/**
 * One call: its request, built once, and its attempts. A class, so that a call allocates its state
 * and nothing else up front (closures per call would be made whether or not a failure needs them).
 */
class Call {
  readonly definition: Definition
  readonly codec: Codec
  readonly start: number
  readonly requestId: string
  /** The body as sent (JSON-ready), kept to cut its strings out of any transport error. */
  readonly wire: unknown
  readonly body: Uint8Array | undefined
  readonly outgoing: Outgoing
  readonly headers: Record<string, string>
  readonly bearer: Readonly<Record<string, string>> | undefined
  readonly deadline: number
  readonly clock: Clock.Clock
  /** When the first attempt started, for the operation's duration. */
  readonly startNanos: bigint
  attempts = 0
  /** The service's request id from the last answer. */
  serviceRequestId: string | undefined
  /** The one re-sign after a 401 has been used. */
  reauthenticated = false
  /** The `Authorization` of the last attempt sent. */
  sentAuthorization: string | undefined
  /** The 401 being answered by a re-sign, and the `Authorization` it refused. */
  refused: { readonly authorization: string | undefined; readonly error: Failure } | undefined

  constructor(
    readonly sender: Sender,
    readonly id: OperationId,
    readonly input: Input,
    readonly policy: ResolvedRequestPolicy,
    readonly ambient: Ambient
  ) {
    const definition: Definition = operations[id]
    const codec = codecOf(id)
    const clock = ambient.clock
    this.definition = definition
    this.codec = codec
    this.clock = clock
    this.start = clock.unsafeCurrentTimeMillis()
    this.startNanos = clock.unsafeCurrentTimeNanos()
    this.requestId = globalThis.crypto.randomUUID()
    const wire = input.body === undefined || codec.encode === undefined ? input.body : codec.encode(input.body)
    this.wire = wire
    this.body = wire === undefined ? undefined : encoder.encode(JSON.stringify(wire))
    const query = input.query
    this.outgoing = new Outgoing(
      definition.method,
      sender.origin,
      `${buildPath(definition.path, input.params ?? {})}${sender.query}${query ? `&${query}` : ""}`,
      this.body ?? noBytes
    )
    this.headers = {
      accept: "application/json",
      "user-agent": sender.userAgent,
      "x-ms-client-request-id": this.requestId
    }
    if (this.body !== undefined) {
      this.headers["content-type"] = definition.contentType
      this.headers["content-length"] = String(this.body.length)
    }
    if (definition.repeatable) {
      this.headers["repeatability-request-id"] = globalThis.crypto.randomUUID()
      this.headers["repeatability-first-sent"] = new Date(this.start).toUTCString()
    }
    this.bearer = input.bearer === undefined ? undefined : { authorization: `Bearer ${Redacted.value(input.bearer)}` }
    this.deadline = this.start + Duration.toMillis(policy.timeout)
    const span = input.trace.span
    if (span !== undefined) this.describe(span)
  }

  /** The span's request attributes, and the `traceparent` naming it when propagation is on. */
  describe(span: Tracer.Span): void {
    const { server } = this.sender
    span.attribute("az.client_request_id", this.requestId)
    span.attribute("http.request.method", this.definition.method)
    span.attribute("server.address", server.address)
    span.attribute("server.port", server.port)
    span.attribute("url.full", telemetry.urlFull(this.sender.origin, this.outgoing.target))
    const parent = this.ambient.propagate ? telemetry.traceparent(span) : undefined
    if (parent !== undefined) this.headers.traceparent = parent
  }

  /** The operation ended: its duration, labelled by its outcome. */
  ended(error: CommunicationIdentityError | undefined): void {
    telemetry.operationEnded(
      this.ambient.metricLabels,
      this.definition.operationId,
      error === undefined ? undefined : telemetry.errorType(error),
      this.startNanos,
      this.clock.unsafeCurrentTimeNanos()
    )
  }

  /** The first attempt, then retries if it fails. */
  run(): Effect.Effect<Answer<unknown>, Failure> {
    return Effect.catchAll(this.attemptSigned(this.start), (error) => this.inSpan(this.retry(error)))
  }

  /**
   * An attempt; if the service refuses the credential (401) and the signer can drop what it holds
   * (a cached token that was revoked or rotated), it is dropped and the attempt made again at once,
   * signed afresh: once per call, never more, and not at all when the fresh credential is the one
   * refused (a token source that has no other).
   */
  attemptSigned(now: number): Effect.Effect<Answer<unknown>, Failure> {
    const invalidate = this.sender.signer?.invalidate
    if (invalidate === undefined || this.bearer !== undefined || this.reauthenticated) return this.attempt(now)
    return Effect.catchIf(
      this.attempt(now),
      (error) => error._tag === "AuthenticationError" && !this.reauthenticated,
      (error) => {
        this.reauthenticated = true
        this.refused = { authorization: this.sentAuthorization, error }
        return Effect.zipRight(invalidate, Effect.flatMap(Clock.currentTimeMillis, (later) => this.attempt(later)))
      }
    )
  }

  inSpan<X, Y>(effect: Effect.Effect<X, Y>): Effect.Effect<X, Y> {
    const span = this.input.trace.span
    return span === undefined ? effect : Effect.withParentSpan(effect, span)
  }

  /** The timeout error: the call's deadline came first, or the attempt's limit. */
  timedOut(deadlineFirst: boolean): TransportError {
    return deadlineFirst
      ? timeoutError(this.requestId, "the call", this.policy.timeout)
      : timeoutError(this.requestId, "the attempt", this.policy.attemptTimeout)
  }

  /** A response: the success decoded, or the status's error. The span records the last one. */
  settle(response: Transport.TransportResponse): Effect.Effect<Answer<unknown>, ResponseFailure> {
    const received = receivedFrom(response.status, response.headers, response.body)
    const serviceRequestId = telemetry.serviceRequestId(response.headers)
    this.serviceRequestId = serviceRequestId
    const span = this.input.trace.span
    if (span !== undefined) {
      span.attribute("http.response.status_code", received.status)
      if (serviceRequestId !== undefined) span.attribute("az.service_request_id", serviceRequestId)
      if (this.attempts > 1) span.attribute("http.request.resend_count", this.attempts - 1)
    }
    const status = received.status
    if (status < 200 || status >= 300) {
      return Effect.fail(
        failureOf(received, this.requestId, this.clock.unsafeCurrentTimeMillis(), this.definition.notFound)
      )
    }
    const { decode, noContent } = this.codec
    if (decode === undefined || (status === 204 && noContent !== undefined)) {
      this.ended(undefined)
      return Effect.succeed({ value: noContent, status })
    }
    const decoded = decode(received, this.requestId)
    if (decoded._tag === "Left") return Effect.fail(decoded.left)
    this.ended(undefined)
    return Effect.succeed({ value: decoded.right, status })
  }

  /**
   * One attempt: sign afresh, then send within the time left (the attempt's limit or the call's).
   * A bearer or a signer that signs at once (`signNow`) costs no effect step; a signer that may
   * wait (a token source, say) runs under a timer of its own, and the round trip gets what is left.
   */
  attempt(now: number): Effect.Effect<Answer<unknown>, Failure> {
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

  /** Sends with the credential's headers (unless HTTP forbids them) and interprets the answer. */
  send(
    auth: Readonly<Record<string, string>>,
    timeoutMillis: number,
    deadlineFirst: boolean
  ): Effect.Effect<Answer<unknown>, Failure> {
    const invalid = invalidCredentialHeader(auth)
    if (invalid !== undefined) {
      return Effect.fail(
        new CredentialError({
          message: `the credential produced a ${invalid} header value with characters HTTP forbids ` +
            "(CR, LF, NUL or beyond Latin-1)"
        })
      )
    }
    const refused = this.refused
    if (refused !== undefined) {
      this.refused = undefined
      if (auth.authorization === refused.authorization) return Effect.fail(refused.error)
    }
    this.sentAuthorization = auth.authorization
    const { metricLabels } = this.ambient
    const { server } = this.sender
    const method = this.definition.method
    const operationId = this.definition.operationId
    const sent = this.clock.unsafeCurrentTimeNanos()
    telemetry.active(metricLabels, server, 1)
    // One masked match rather than `onExit` and then a match: the gauge goes down and the request's
    // duration is recorded whatever the outcome, interruption included, in the step that reads it.
    return Effect.uninterruptibleMask((restore) =>
      Effect.matchCauseEffect(
        restore(this.sender.transport.send({
          method,
          origin: this.sender.origin,
          path: this.outgoing.target,
          // `Object.assign` rather than a spread: V8 takes a slow path (about a microsecond per object)
          // for a spread followed by more properties.
          headers: Object.assign({}, this.headers, auth),
          body: this.body,
          timeoutMillis,
          maxBodyBytes
        })),
        {
          onFailure: (cause) => {
            telemetry.active(metricLabels, server, -1)
            // An interrupted request (the caller gave up) has no outcome to record.
            if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
            const reason = Cause.failureOption(cause)
            const ended = this.clock.unsafeCurrentTimeNanos()
            const errorType = reason._tag === "Some" ? reason.value.reason : "_OTHER"
            telemetry.requestEnded(metricLabels, operationId, method, server, { errorType }, sent, ended)
            if (reason._tag === "None") return Effect.failCause(cause)
            const error = reason.value
            return Effect.fail(
              error.reason === "Timeout"
                ? this.timedOut(deadlineFirst)
                : transportError(
                  this.requestId,
                  error.reason,
                  scrubCause(error.cause ?? error, secretsOf(auth, this.wire))
                )
            )
          },
          onSuccess: (response) => {
            telemetry.active(metricLabels, server, -1)
            const ended = this.clock.unsafeCurrentTimeNanos()
            telemetry.requestEnded(metricLabels, operationId, method, server, response, sent, ended)
            return this.settle(response)
          }
        }
      )
    )
  }

  /**
   * Entered only after a failure: `Effect.retry` under the policy's schedule, whose first input is
   * that failure (replayed once, so the first attempt itself runs outside any schedule).
   */
  retry(first: Failure): Effect.Effect<Answer<unknown>, Failure> {
    let replay: Failure | undefined = first
    const next = Effect.suspend((): Effect.Effect<Answer<unknown>, Failure> => {
      if (replay === undefined) return Effect.flatMap(Clock.currentTimeMillis, (now) => this.attemptSigned(now))
      const failure = replay
      replay = undefined
      return Effect.fail(failure)
    })
    const schedule = retrySchedule(
      this.policy,
      this.deadline,
      this.definition.repeatable ? isUnreadableSuccess : undefined
    )
      .pipe(
        Schedule.intersect(Schedule.identity<CommunicationIdentityError>()),
        Schedule.modifyDelayEffect(([, error], delay) => Effect.as(this.logRetry(error, delay), delay))
      )
    return Effect.catchAll(Effect.retry(next, schedule), (error) => {
      this.ended(error)
      return Effect.fail(error)
    })
  }

  /**
   * A retry is coming: counted, an event on the span, and a log record (debug; a warning when the
   * service throttled) with the operation, the attempt that failed, why, the wait and the request ids.
   */
  logRetry(error: CommunicationIdentityError, wait: Duration.Duration): Effect.Effect<void> {
    const errorType = telemetry.errorType(error)
    const status = "status" in error ? error.status : undefined
    telemetry.retried(this.ambient.metricLabels, this.definition.operationId, errorType)
    this.input.trace.span?.event("retry", this.clock.unsafeCurrentTimeNanos(), {
      "http.request.resend_count": this.attempts,
      "error.type": errorType,
      ...(status === undefined ? {} : { "http.response.status_code": status }),
      "acs.retry.delay_ms": Duration.toMillis(wait)
    })
    const record = status === 429
      ? Effect.logWarning("the service throttled an identity request; retrying")
      : Effect.logDebug("retrying an identity request")
    return record.pipe(
      // The retry is already an event of the span; the record stays correlated to it, but Effect's
      // tracer logger does not make it a second event.
      Effect.locallyWith(FiberRef.currentLoggers, HashSet.remove(Logger.tracerLogger)),
      Effect.annotateLogs({
        operation: this.input.trace.name,
        attempt: this.attempts,
        error: error._tag,
        ...(status === undefined ? {} : { status }),
        ...(error._tag === "TransportError" ? { reason: error.reason } : {}),
        wait: Duration.format(wait),
        requestId: this.requestId,
        ...(this.serviceRequestId === undefined ? {} : { serviceRequestId: this.serviceRequestId })
      })
    )
  }
}
