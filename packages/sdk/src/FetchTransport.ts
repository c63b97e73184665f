/**
 * The SDK's `Transport` straight over the runtime's `fetch` (browsers, Workers, Deno, Bun, Node),
 * without `@effect/platform`: one `fetch` per attempt under one timer and one `AbortController`,
 * redirects not followed, the body read up to the attempt's bound and then cancelled. When `fetch`
 * reports that the connection closed before any answer (Node's and Bun's do, for a pooled
 * connection the server had just closed; workerd's says "Network connection lost.", of a refused
 * connection too), the request is sent again once, at once. It is the
 * lightest transport where `node:net` is missing; `HttpClientTransport` stays the way to send
 * through a platform `HttpClient` you have configured or wrapped.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { TransportError } from "./Errors.js"
import { attemptDeadline } from "./internal/attemptDeadline.js"
import { joinBounded } from "./internal/boundedBytes.js"
import { failure, type HeaderRecord, type Service, Transport, type TransportResponse } from "./Transport.js"

/**
 * The `fetch` a transport calls: the global one, or one you pass (a test double, a runtime's own).
 *
 * @since 0.1.0
 * @category models
 */
export type Fetch = (input: URL, init: RequestInit) => Promise<Response>

/** The response's headers as a record; `set-cookie` stays a list. */
const headersOf = (headers: Headers): HeaderRecord => {
  const record: Record<string, string | ReadonlyArray<string>> = Object.create(null)
  headers.forEach((value, name) => {
    record[name] = value
  })
  if (typeof headers.getSetCookie === "function" && record["set-cookie"] !== undefined) {
    record["set-cookie"] = headers.getSetCookie()
  }
  return record
}

/** At most `limit` bytes of the (decoded) body; the rest is cancelled, not read. */
const readBounded = async (response: Response, limit: number): Promise<Uint8Array> => {
  if (response.body === null) return new Uint8Array(0)
  const reader = response.body.getReader()
  const parts: Array<Uint8Array> = []
  let total = 0
  while (total < limit) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value)
    total += value.length
  }
  if (total >= limit) void reader.cancel().catch(() => undefined)
  return joinBounded(parts, limit)
}

/** Error codes with which `fetch` reports a connection closed before any answer: Node's (undici), Bun's. */
const closedCodes: ReadonlySet<unknown> = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"])
/** How workerd's `fetch` says so: no code, only this message, which it gives a refused connection too. */
const workerdConnectionLost = "Network connection lost."

/**
 * Whether `fetch` failed because the connection closed before the answer's head: most often a
 * pooled keep-alive connection the server had just closed. `fetch` says neither whether the
 * connection was reused nor whether part of a head had come, so any such failure is sent again, once.
 */
const closedUnanswered = (cause: unknown): boolean => {
  for (let error = cause, depth = 0; error instanceof Error && depth < 3; error = error.cause, depth++) {
    if (closedCodes.has((error as { readonly code?: unknown }).code) || error.message === workerdConnectionLost) {
      return true
    }
  }
  return false
}

/** The request's headers as `fetch` takes them: `content-length` and `host` are fetch's to set. */
const headersFor = (record: Readonly<Record<string, string>>): Headers | TransportError => {
  try {
    const headers = new Headers()
    for (const name in record) {
      if (name !== "content-length" && name !== "host") headers.set(name, record[name]!)
    }
    return headers
  } catch (cause) {
    return failure("Encode", cause)
  }
}

/**
 * The transport over `fetch` (default: the global one, looked up at each call).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fetch?: Fetch): Service => ({
  send: (request) =>
    Effect.async<TransportResponse, TransportError>((resume) => {
      let url: URL
      try {
        url = new URL(request.path, request.origin)
      } catch (cause) {
        return resume(Effect.fail(failure("InvalidUrl", cause)))
      }
      const headers = headersFor(request.headers)
      if (!(headers instanceof Headers)) return resume(Effect.fail(headers))
      const controller = new AbortController()
      const { cancel, settle } = attemptDeadline(resume, request.timeoutMillis, () => controller.abort())
      const init: RequestInit = {
        method: request.method,
        headers,
        // The SDK's bodies are made by a `TextEncoder`, on an `ArrayBuffer` (not a shared one).
        ...(request.body === undefined ? {} : { body: request.body as Uint8Array<ArrayBuffer> }),
        redirect: "manual",
        signal: controller.signal
      }
      const failed = (cause: unknown) => settle(Effect.fail(failure("Network", cause)))
      const attempt = (resent: boolean): void => {
        let pending: Promise<Response>
        try {
          // A `fetch` that throws rather than rejecting (a missing global, a hand-written one) is a
          // `Network` failure like any other, not a defect.
          pending = (fetch ?? globalThis.fetch)(url, init)
        } catch (cause) {
          return failed(cause)
        }
        pending.then(
          (response) =>
            readBounded(response, request.maxBodyBytes + 1).then((body) =>
              settle(Effect.succeed({ status: response.status, headers: headersOf(response.headers), body }))
            ).catch(failed),
          (cause: unknown) =>
            resent || controller.signal.aborted || !closedUnanswered(cause) ? failed(cause) : attempt(true)
        )
      }
      attempt(false)
      return cancel
    })
})

/**
 * The transport over the global `fetch`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transport> = Layer.sync(Transport, () => make())
