/**
 * Reading a request body with a bound: the declared `Content-Length` is checked before anything is
 * read, and the bytes are counted as they arrive (chunked bodies declare nothing), so an oversized
 * upload costs at most the bound in memory. The chunks are joined once, at the end. A body left
 * unread (a refused request) is discarded by Node as it arrives, after the reply is sent, so the
 * client reads the reply instead of a connection reset.
 *
 * @since 0.1.0
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Reply from "./Reply.js"

/**
 * The default bound: 1 MiB, far above any request of the Identity API (a few hundred bytes).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxBytes = 1024 * 1024

/**
 * The body is larger than the bound.
 *
 * @since 0.1.0
 * @category errors
 */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

/**
 * Reads the whole body, failing with `BodyTooLarge` as soon as it is known to exceed `limit`. A
 * body the client abandons half-way reads as empty (nobody is left to answer).
 *
 * Node's request stream is read directly rather than through `HttpServerRequest.stream`, whose
 * finalizer destroys the socket when reading stops early: the client would see a connection reset
 * instead of the 413. Here an oversized body is left flowing, and Node discards the rest.
 *
 * @since 0.1.0
 * @category constructors
 */
export const read = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<Uint8Array, BodyTooLarge> => {
  const declared = Number(request.headers["content-length"] ?? 0)
  if (declared > limit) return Effect.fail(new BodyTooLarge({ limit }))
  const source = NodeHttpServerRequest.toIncomingMessage(request)
  return Effect.async<Uint8Array, BodyTooLarge>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const stop = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onEnd)
      source.off("aborted", onEnd)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      stop()
      source.resume()
      resume(Effect.fail(new BodyTooLarge({ limit })))
    }
    const onEnd = () => {
      stop()
      resume(Effect.succeed(source.complete ? new Uint8Array(Buffer.concat(chunks, size)) : new Uint8Array(0)))
    }
    source.on("data", onData)
    source.once("end", onEnd)
    source.once("error", onEnd)
    source.once("aborted", onEnd)
    return Effect.sync(stop)
  })
}

/**
 * The service's 413 error envelope for a body over the bound.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tooLarge = (limit: number): Reply.Reply =>
  Reply.error(413, "RequestEntityTooLarge", `The request body is larger than ${limit} bytes.`)
