/**
 * A request as HTTP/1.1 bytes: request line, `Host`, the given headers and the body, in one buffer
 * so it goes out in one write. Anything HTTP cannot carry (a method or header name that is not a
 * token, a value with CR, LF, NUL or characters beyond Latin-1, a path with spaces or controls) is
 * refused here, before a connection is opened.
 */
import type { Transport } from "@acs-identity/sdk"
import { forbiddenInValue, token } from "./httpSyntax.js"

const validPath = /^\/[\x21-\x7e]*$/

/** Headers the transport writes itself, whatever the request says. */
const skipped = new Set(["host", "connection", "content-length", "transfer-encoding"])

/** Methods whose requests carry a body, so an empty one is sent as `content-length: 0`. */
const withBody = new Set(["POST", "PUT", "PATCH"])

/** Why a request cannot be written. */
export interface Refusal {
  readonly reason: "Encode" | "InvalidUrl"
  readonly message: string
}

/**
 * The request's bytes, or why it cannot be sent. `close` adds `connection: close` (no keep-alive).
 */
export const encodeRequest = (request: Transport.TransportRequest, close: boolean): Buffer | Refusal => {
  if (!token.test(request.method)) return { reason: "Encode", message: "the method is not an HTTP token" }
  if (!validPath.test(request.path)) {
    return { reason: "InvalidUrl", message: "the path has spaces, controls or characters beyond ASCII" }
  }
  let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${request.origin.host}\r\n`
  const headers = request.headers
  for (const name in headers) {
    const value = headers[name]!
    if (!token.test(name)) {
      return { reason: "Encode", message: `the header name ${JSON.stringify(name)} is not a token` }
    }
    if (forbiddenInValue.test(value)) {
      return { reason: "Encode", message: `the ${name} header's value has characters HTTP forbids` }
    }
    // Framing is the transport's: the length is the body's own, and the connection its to manage.
    if (skipped.has(name.toLowerCase())) continue
    head += `${name}: ${value}\r\n`
  }
  const body = request.body
  if (body !== undefined || withBody.has(request.method)) {
    head += `content-length: ${body?.length ?? 0}\r\n`
  }
  if (close) head += "connection: close\r\n"
  head += "\r\n"
  const headLength = Buffer.byteLength(head, "latin1")
  const bytes = Buffer.allocUnsafe(headLength + (body?.length ?? 0))
  bytes.write(head, 0, headLength, "latin1")
  if (body !== undefined) bytes.set(body, headLength)
  return bytes
}
