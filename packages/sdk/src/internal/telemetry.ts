/**
 * How the pipeline records its metrics and span attributes: label sets made once per value and
 * reused (so a metric finds its series through its own identity cache, without hashing labels on
 * every call), the `error.type` of a failure, the sanitized `url.full`, the service's request id and
 * the `traceparent` of a span.
 */
import * as MetricLabel from "effect/MetricLabel"
import type * as Tracer from "effect/Tracer"
import * as Telemetry from "../Telemetry.js"
import type { HeaderRecord } from "../Transport.js"

type Labels = ReadonlyArray<MetricLabel.MetricLabel>

const cache = new Map<string, Labels>()

/** The label set for `pairs` (`undefined` values left out), the same array for the same pairs. */
const labels = (key: string, pairs: ReadonlyArray<readonly [string, string | undefined]>): Labels => {
  let found = cache.get(key)
  if (found === undefined) {
    found = pairs.flatMap(([name, value]) => value === undefined ? [] : [MetricLabel.make(name, value)])
    cache.set(key, found)
  }
  return found
}

/** The application's own labels (`Effect.tagMetrics`) after ours; ours alone when it has none. */
const withFiberLabels = (ours: Labels, fiber: Labels): Labels => fiber.length === 0 ? ours : [...fiber, ...ours]

/**
 * The `error.type` of a failure, by the OpenTelemetry conventions: the status code of an HTTP error
 * answer, the reason of a transport failure (`Timeout`, `Network`, …), otherwise the error's tag.
 */
export const errorType = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return "_OTHER"
  const { _tag, status, reason } = error as { _tag?: unknown; status?: unknown; reason?: unknown }
  if (typeof status === "number" && status >= 400) return String(status)
  if (_tag === "TransportError" && typeof reason === "string") return reason
  return typeof _tag === "string" ? _tag : "_OTHER"
}

/** Where a request goes, for labels and span attributes. */
export interface Server {
  readonly address: string
  readonly port: number
}

/** The host and port of an origin (the scheme's default port when it names none). */
export const serverOf = (origin: URL): Server => ({
  address: origin.hostname,
  port: origin.port === "" ? (origin.protocol === "http:" ? 80 : 443) : Number(origin.port)
})

/** The request's URL for `url.full`: query values other than `api-version` (continuations) redacted. */
export const urlFull = (origin: URL, target: string): string => {
  const mark = target.indexOf("?")
  // Most requests have `api-version` alone.
  if (mark < 0 || target.indexOf("&", mark) < 0 && target.startsWith("api-version=", mark + 1)) {
    return `${origin.origin}${target}`
  }
  const query = target.slice(mark + 1).split("&").map((pair) => {
    const name = pair.split("=", 1)[0]!
    return name === "api-version" ? pair : `${name}=REDACTED`
  })
  return `${origin.origin}${target.slice(0, mark)}?${query.join("&")}`
}

/** The service's request id as it sends it: `x-ms-request-id`, else `ms-cv`. */
export const serviceRequestId = (headers: HeaderRecord): string | undefined => {
  const value = headers["x-ms-request-id"] ?? headers["ms-cv"]
  return typeof value === "string" ? value : value?.[0]
}

const hex32 = /^[0-9a-f]{32}$/
const hex16 = /^[0-9a-f]{16}$/

/** The W3C `traceparent` naming `span`, or `undefined` for a span whose ids are not W3C ids. */
export const traceparent = (span: Tracer.Span): string | undefined =>
  hex32.test(span.traceId) && hex16.test(span.spanId) && !/^0+$/.test(span.traceId)
    ? `00-${span.traceId}-${span.spanId}-${span.sampled ? "01" : "00"}`
    : undefined

const seconds = (startNanos: bigint, endNanos: bigint): number => Number(endNanos - startNanos) / 1e9

/** One HTTP request ended: its duration, and a throttling answer counted. */
export const requestEnded = (
  fiberLabels: Labels,
  operation: string,
  method: string,
  server: Server,
  outcome: { readonly status: number } | { readonly errorType: string },
  startNanos: bigint,
  endNanos: bigint
): void => {
  const status = "status" in outcome ? String(outcome.status) : undefined
  const failure = "errorType" in outcome ? outcome.errorType : undefined
  const key = `request ${operation} ${method} ${server.address} ${server.port} ${status ?? ""} ${failure ?? ""}`
  const ours = labels(key, [
    ["acs.operation", operation],
    ["http.request.method", method],
    ["server.address", server.address],
    ["server.port", String(server.port)],
    ["http.response.status_code", status],
    ["error.type", failure]
  ])
  Telemetry.requestDuration.unsafeUpdate(seconds(startNanos, endNanos), withFiberLabels(ours, fiberLabels))
  if (status === "429") {
    Telemetry.throttled.unsafeUpdate(
      1,
      withFiberLabels(labels(`throttled ${operation}`, [["acs.operation", operation]]), fiberLabels)
    )
  }
}

/** An operation that sent a request ended, in success or with `error` (its `error.type`). */
export const operationEnded = (
  fiberLabels: Labels,
  operation: string,
  failure: string | undefined,
  startNanos: bigint,
  endNanos: bigint
): void => {
  const ours = labels(`operation ${operation} ${failure ?? ""}`, [["acs.operation", operation], [
    "error.type",
    failure
  ]])
  Telemetry.operationDuration.unsafeUpdate(seconds(startNanos, endNanos), withFiberLabels(ours, fiberLabels))
}

/** A retry is about to be made after a failure of `failure`'s type. */
export const retried = (fiberLabels: Labels, operation: string, failure: string): void => {
  const ours = labels(`retry ${operation} ${failure}`, [["acs.operation", operation], ["error.type", failure]])
  Telemetry.retries.unsafeUpdate(1, withFiberLabels(ours, fiberLabels))
}

/** A request to `server` started (`+1`) or ended (`-1`). */
export const active = (fiberLabels: Labels, server: Server, change: 1 | -1): void => {
  const ours = labels(`active ${server.address} ${server.port}`, [
    ["server.address", server.address],
    ["server.port", String(server.port)]
  ])
  Telemetry.activeRequests.unsafeUpdate(change, withFiberLabels(ours, fiberLabels))
}
