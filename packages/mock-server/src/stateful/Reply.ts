/**
 * A response before it is written: what the stateful mock and the fault proxy produce, so a fault
 * can still rewrite it (truncate it, change its content type) or drop it (reset the connection).
 *
 * @module
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"

/** A response to be written. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes; absent for 204. */
  readonly body?: Uint8Array
}

/** The content type of the service's success bodies. */
export const jsonContentType = "application/json; charset=utf-8"

const encoder = new TextEncoder()

/** A JSON reply. */
export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": jsonContentType, ...headers },
  body: encoder.encode(JSON.stringify(body))
})

/** A reply without a body. */
export const empty = (status: number, headers: Readonly<Record<string, string>> = {}): Reply => ({ status, headers })

/** The service's error envelope, `{ error: { code, message, target? } }`, served as `application/json`. */
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

/** Writes a reply as an `HttpServerResponse`. */
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

/** A date the way the service writes it: 7 fractional digits and an explicit `+00:00` offset. */
export const formatDate = (date: Date): string => date.toISOString().replace(/\.(\d{3})Z$/, ".$10000+00:00")
