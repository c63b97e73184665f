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

/** Reads a whole message body. */
export const readAll = (source: Http.IncomingMessage): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Uint8Array> = []
    let length = 0
    source.on("data", (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
    })
    source.once("end", () => resolve(concat(chunks, length)))
    source.once("error", reject)
    source.once("aborted", () => reject(new Error("the response was aborted")))
  })

/** A response from `node:http`. `buffered` is the whole body when it was read ahead. */
export class NodeResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly remoteAddress: Option.Option<string>
  private cachedHeaders: Headers.Headers | undefined
  private cachedBody: Promise<Uint8Array> | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly source: Http.IncomingMessage,
    buffered: Uint8Array | undefined
  ) {
    super()
    this.status = source.statusCode ?? 0
    this.remoteAddress = Option.fromNullable(source.socket?.remoteAddress)
    if (buffered !== undefined) this.cachedBody = Promise.resolve(buffered)
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
    return Effect.tryPromise({ try: () => this.cachedBody ??= readAll(this.source), catch: this.onError })
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
    if (this.cachedBody !== undefined) return Stream.fromEffect(this.bytes)
    return Stream.fromAsyncIterable(this.source as AsyncIterable<Uint8Array>, this.onError)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
