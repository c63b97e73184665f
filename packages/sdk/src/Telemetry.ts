/**
 * What the client emits for operators: the metrics it records with Effect's `Metric` (exported by
 * `@effect/opentelemetry` or read with `Metric.value`), the names of its span attributes, and the
 * switch for sending W3C trace context to the service.
 *
 * Spans follow the Azure SDK tracing conventions: one span per operation, kind `client`, named
 * `CommunicationIdentityClient.<method>`, with `az.namespace: Microsoft.Communication`, the client
 * and service request ids, and the OpenTelemetry HTTP client attributes. Each retry is a `retry`
 * event on it. The README's "Observability" section has the table of every attribute and metric.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * The `az.namespace` of every span: the Azure resource provider of the service.
 *
 * @since 0.1.0
 * @category constants
 */
export const namespace = "Microsoft.Communication"

/**
 * The boundaries (seconds) the OpenTelemetry HTTP conventions advise for request durations.
 *
 * @since 0.1.0
 * @category metrics
 */
export const durationBoundaries: MetricBoundaries.MetricBoundaries = MetricBoundaries.fromIterable([
  0.005,
  0.01,
  0.025,
  0.05,
  0.075,
  0.1,
  0.25,
  0.5,
  0.75,
  1,
  2.5,
  5,
  7.5,
  10
])

/**
 * `http.client.request.duration` (seconds): one sample per HTTP request sent (each attempt), labelled
 * `http.request.method`, `server.address`, `server.port`, `acs.operation` and either
 * `http.response.status_code` or `error.type` (no response: `Timeout`, `Network`, …).
 *
 * @since 0.1.0
 * @category metrics
 */
export const requestDuration = Metric.histogram(
  "http.client.request.duration",
  durationBoundaries,
  "Duration of HTTP client requests to Azure Communication Services Identity, in seconds"
)

/**
 * `acs.identity.operation.duration` (seconds): one sample per operation that sent a request, from its
 * first attempt to its answer, retries and waits included; labelled `acs.operation` (the client
 * method) and, when it failed, `error.type`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const operationDuration = Metric.histogram(
  "acs.identity.operation.duration",
  durationBoundaries,
  "Duration of Azure Communication Services Identity operations including retries, in seconds"
)

/**
 * `acs.identity.retries`: retries made, labelled `acs.operation` and `error.type` (the status, or the
 * transport's reason, of the attempt that failed).
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries = Metric.counter("acs.identity.retries", {
  description: "Retries of Azure Communication Services Identity requests",
  incremental: true
})

/**
 * `acs.identity.throttled`: `429` answers received, labelled `acs.operation`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const throttled = Metric.counter("acs.identity.throttled", {
  description: "Azure Communication Services Identity requests answered 429 (throttled)",
  incremental: true
})

/**
 * `http.client.active_requests`: HTTP requests in flight (an up-down counter), labelled
 * `server.address` and `server.port`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const activeRequests = Metric.counter("http.client.active_requests", {
  description: "Azure Communication Services Identity HTTP requests in flight"
})

/**
 * Whether requests carry a W3C `traceparent` naming the operation's span, as the official Azure
 * clients send it when tracing is on. On by default; it is only ever sent when the application has
 * a tracer that exports spans (under Effect's built-in tracer there is no span to name).
 *
 * @since 0.1.0
 * @category trace context
 */
export const currentTracePropagation: FiberRef.FiberRef<boolean> = FiberRef.unsafeMake(true)

/**
 * Runs `self` with trace-context propagation to the service turned on or off for the calls it makes.
 *
 * @example
 * ```ts
 * import { CommunicationIdentityClient, Telemetry } from "@acs-identity/sdk"
 * import { Effect } from "effect"
 *
 * // the span is still recorded; only the traceparent header is not sent
 * export const quietly = Effect.flatMap(CommunicationIdentityClient, (client) => client.createUser()).pipe(
 *   Telemetry.withTracePropagation(false)
 * )
 * ```
 *
 * @since 0.1.0
 * @category trace context
 */
export const withTracePropagation: {
  (enabled: boolean): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, enabled: boolean): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, enabled: boolean): Effect.Effect<A, E, R> =>
    Effect.locally(self, currentTracePropagation, enabled)
)
