/**
 * `HttpClientResponse` over a `node:http` `IncomingMessage`. A small body is read before the
 * response is handed over (`buffered`), so reading it costs no further I/O; a large or unsized one is
 * read lazily from the socket, once.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"

const decoder = new TextDecoder()
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

/** The whole body as an effect; interrupting it destroys the message (and its socket). */
const readAllEffect = (source: Http.IncomingMessage): Effect.Effect<Uint8Array, unknown> =>
  Effect.async((resume) => {
    let settled = false
    readAll(source, (body) => {
      settled = true
      resume(Effect.succeed(body))
    }, (cause) => {
      settled = true
      resume(Effect.fail(cause))
    })
    return Effect.sync(() => {
      if (!settled) source.destroy()
    })
  })

/**
 * The body as a stream of chunks straight from the message's `data` events. Ending the stream early
 * (a bounded reader, a timeout, an interruption) destroys the message and its socket at once, even
 * while a read is pending, unlike an async iterator, whose `return()` waits for that read.
 */
const streamOf = (
  source: Http.IncomingMessage,
  onError: (cause: unknown) => HttpClientError.ResponseError
): Stream.Stream<Uint8Array, HttpClientError.ResponseError> =>
  Stream.asyncPush<Uint8Array, HttpClientError.ResponseError>((emit) =>
    Effect.acquireRelease(
      Effect.sync(() => {
        let ended = false
        source.on("data", (chunk: Buffer) => emit.single(chunk))
        source.once("end", () => {
          ended = true
          emit.end()
        })
        source.once("error", (cause) => emit.fail(onError(cause)))
        source.once("aborted", () => emit.fail(onError(new Error("the response was aborted"))))
        source.once("close", () => {
          if (!ended) emit.fail(onError(new Error("the response closed before its end")))
        })
        return () => ended
      }),
      (ended) =>
        Effect.sync(() => {
          if (!ended()) source.destroy()
        })
    ), { bufferSize: "unbounded" })

/** A response from `node:http`. `buffered` is the whole body when it was read ahead. */
export class NodeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly remoteAddress: Option.Option<string>
  private cachedHeaders: Headers.Headers | undefined
  private readBody: Uint8Array | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly source: Http.IncomingMessage,
    buffered: Uint8Array | undefined
  ) {
    super()
    this.status = source.statusCode ?? 0
    this.remoteAddress = Option.fromNullable(source.socket?.remoteAddress)
    this.buffered = buffered
  }

  private readonly buffered: Uint8Array | undefined

  private readonly onError = (cause: unknown) =>
    new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source.headers as Headers.Input)
  }

  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
  }

  /** The whole body, read once. */
  get bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    if (this.buffered !== undefined) return Effect.succeed(this.buffered)
    if (this.readBody !== undefined) return Effect.succeed(this.readBody)
    return readAllEffect(this.source).pipe(
      Effect.mapError(this.onError),
      Effect.tap((body) => {
        this.readBody = body
      })
    )
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => decoder.decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) => Effect.try({ try: () => text === "" ? null : JSON.parse(text) as unknown, catch: this.onError })
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => new Uint8Array(bytes).buffer)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) => Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: this.onError })
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => new Response(new Uint8Array(bytes), { headers: this.headers, status: this.status }).formData(),
        catch: this.onError
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    if (this.buffered !== undefined) return this.buffered.length === 0 ? Stream.empty : Stream.succeed(this.buffered)
    if (this.readBody !== undefined) return Stream.succeed(this.readBody)
    return streamOf(this.source, this.onError)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
