/** Reading a `node:http` response body into memory, up to a bound. */
import type * as Http from "node:http"

const emptyBytes = new Uint8Array(0)

/** Joins body chunks into one array (no copy when there is a single chunk). */
const concat = (chunks: ReadonlyArray<Uint8Array>, length: number): Uint8Array => {
  if (chunks.length === 0) return emptyBytes
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Reads a whole message body, calling back once with the bytes or the failure. With `limit`, stops
 * (and destroys the message) once that many bytes have arrived, handing over what came.
 *
 * @since 0.1.0
 * @category internal
 */
export const readAll = (
  source: Http.IncomingMessage,
  onBody: (body: Uint8Array) => void,
  onError: (cause: unknown) => void,
  limit = Number.POSITIVE_INFINITY
): void => {
  const chunks: Array<Uint8Array> = []
  let length = 0
  let done = false
  const finish = (cause: unknown, body?: Uint8Array) => {
    if (done) return
    done = true
    if (body !== undefined) onBody(body)
    else onError(cause)
  }
  source.on("data", (chunk: Buffer) => {
    chunks.push(chunk)
    length += chunk.length
    if (length >= limit) {
      // Enough to tell the body is too long: keep what came, drop the rest and the socket.
      finish(undefined, concat(chunks, length))
      source.destroy()
    }
  })
  // `on`, not `once`: each fires at most once, `finish` ignores all but the first call, and `once`
  // would wrap every listener in another closure.
  source.on("end", () => finish(undefined, concat(chunks, length)))
  source.on("error", (cause) => finish(cause))
  // `close` follows every `end`: make the error (and its stack) only when the body really broke off.
  source.on("aborted", () => done || finish(new Error("the response was aborted")))
  source.on("close", () => done || finish(new Error("the response closed before its end")))
}
