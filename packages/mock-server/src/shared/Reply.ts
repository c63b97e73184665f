/**
 * A response before it is written: what the stateful mock and the fault proxy produce, so a fault
 * can still rewrite it (truncate it, change its content type) or drop it (reset the connection).
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Redacted from "effect/Redacted"

/**
 * A response to be written.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes; absent for 204. */
  readonly body?: Uint8Array
}

/**
 * The content type of the service's success bodies.
 *
 * @since 0.1.0
 * @category constants
 */
export const jsonContentType = "application/json; charset=utf-8"

const encoder = new TextEncoder()

/**
 * A reply with `body` serialized as JSON and the service's JSON content type.
 *
 * @since 0.1.0
 * @category constructors
 */
export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": jsonContentType, ...headers },
  body: encoder.encode(JSON.stringify(body))
})

/**
 * A reply with a decoded value written as the service writes it: dates with 7 fractional digits and
 * `+00:00` (`formatDate`), `Redacted` values revealed (a token the mock issues is its answer).
 *
 * @since 0.1.0
 * @category constructors
 */
export const service = (status: number, value: unknown): Reply => ({
  status,
  headers: { "content-type": jsonContentType },
  body: encoder.encode(JSON.stringify(value, asService))
})

/** `JSON.stringify`'s replacer for `service`: it sees the raw value as `this[key]`, before any `toJSON`. */
function asService(this: Readonly<Record<string, unknown>>, key: string, encoded: unknown): unknown {
  const raw = this[key]
  if (raw instanceof Date) return formatDate(raw)
  return Redacted.isRedacted(raw) ? Redacted.value(raw) : encoded
}

/**
 * A reply without a body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty = (status: number, headers: Readonly<Record<string, string>> = {}): Reply => ({ status, headers })

/**
 * The service's error envelope, `{ error: { code, message, target? } }`, served as `application/json`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const error = (
  status: number,
  code: string,
  message: string,
  options: { readonly target?: string | undefined; readonly headers?: Readonly<Record<string, string>> } = {}
): Reply => ({
  status,
  headers: { "content-type": "application/json", ...options.headers },
  body: encoder.encode(
    JSON.stringify({ error: { code, message, ...(options.target === undefined ? {} : { target: options.target }) } })
  )
})

/**
 * Writes a reply as an `HttpServerResponse`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toResponse = (reply: Reply): HttpServerResponse.HttpServerResponse => {
  const { "content-type": contentType, ...headers } = reply.headers
  return reply.body === undefined
    ? HttpServerResponse.empty({ status: reply.status, headers })
    : HttpServerResponse.uint8Array(reply.body, {
      status: reply.status,
      headers,
      ...(contentType === undefined ? {} : { contentType })
    })
}

/**
 * A date the way the service writes it: 7 fractional digits and an explicit `+00:00` offset.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatDate = (date: Date): string => date.toISOString().replace(/\.(\d{3})Z$/, ".$10000+00:00")
