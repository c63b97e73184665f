/**
 * CORS for the mocks, so a browser app under test on another origin can call them: any origin, the
 * methods of the Identity API and the request headers this SDK and the official
 * `@azure/communication-identity` client send; the response headers a client reads are exposed.
 * No credentials mode is needed (the `Authorization` header is an explicit header, not a cookie).
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Reply from "./Reply.js"

/**
 * The methods of the Identity API (PUT and PATCH for the Entra assignment operations).
 *
 * @since 0.1.0
 * @category constants
 */
export const allowedMethods: ReadonlyArray<string> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

/**
 * The request headers the SDK and the official client send (signing, request ids, repeatability,
 * tracing), plus Prism's `Prefer`.
 *
 * @since 0.1.0
 * @category constants
 */
export const allowedHeaders: ReadonlyArray<string> = [
  "accept",
  "authorization",
  "content-type",
  "x-ms-date",
  "x-ms-content-sha256",
  "x-ms-client-request-id",
  "x-ms-return-client-request-id",
  "x-ms-useragent",
  "repeatability-request-id",
  "repeatability-first-sent",
  "traceparent",
  "tracestate",
  "b3",
  "prefer"
]

/**
 * The response headers a client reads: request ids, retry hints, repeatability and versions.
 *
 * @since 0.1.0
 * @category constants
 */
export const exposedHeaders: ReadonlyArray<string> = [
  "x-ms-client-request-id",
  "x-ms-request-id",
  "ms-cv",
  "retry-after",
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "repeatability-result",
  "api-supported-versions",
  "sl-violations"
]

/**
 * Whether a request is a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isPreflight = (request: HttpServerRequest.HttpServerRequest): boolean =>
  request.method === "OPTIONS" && request.headers["origin"] !== undefined &&
  request.headers["access-control-request-method"] !== undefined

/**
 * The answer to a preflight: 204 with the allowed origin (any), methods and headers, cached for 10 minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const preflight: Reply.Reply = Reply.empty(204, {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": allowedMethods.join(", "),
  "access-control-allow-headers": allowedHeaders.join(", "),
  "access-control-max-age": "600"
})

/**
 * Adds the headers of an actual (non-preflight) CORS response.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withHeaders = (reply: Reply.Reply): Reply.Reply => ({
  ...reply,
  headers: {
    ...reply.headers,
    "access-control-allow-origin": "*",
    "access-control-expose-headers": exposedHeaders.join(", ")
  }
})
