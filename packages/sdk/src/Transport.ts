/**
 * The transport contract: the one way the client sends a request. A `Transport` takes a plain
 * request (method, origin, path, a header record, the body's bytes, and the attempt's time budget
 * and body bound) and answers with the response, its body read into memory, or a `TransportError`
 * saying why there is none (`Network`, `Timeout`, `Encode`, `InvalidUrl`).
 *
 * What an implementation promises:
 * - it sends exactly the headers given (no tracing headers of its own) and never follows redirects;
 * - the whole exchange (request, head and body) ends within `timeoutMillis`, or it fails with
 *   `Timeout`, abandoning the connection;
 * - it reads at most `maxBodyBytes + 1` bytes of body (decoded bytes, if it decodes), so the client
 *   can tell that there was more;
 * - interrupting the effect aborts the exchange.
 *
 * `@acs-identity/transport-node` implements it over `node:http`. `fromHttpClient` adapts any
 * `@effect/platform` `HttpClient` (fetch, undici, a client you have wrapped) and is the only place
 * that knows the platform's request and response types.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { TransportError, type TransportErrorReason } from "./Errors.js"

/**
 * One attempt to send: where to, what, and its limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportRequest {
  readonly method: string
  /** The endpoint's origin (`https://host[:port]`). */
  readonly origin: URL
  /** The percent-encoded path and query, starting with `/`. */
  readonly path: string
  /** Lower-case header names, including `content-type` and `content-length` when there is a body. */
  readonly headers: Readonly<Record<string, string>>
  /** The body, or `undefined` for none. */
  readonly body: Uint8Array | undefined
  /** The time the whole exchange (request, head and body) may take. */
  readonly timeoutMillis: number
  /** Read at most this many bytes of body, plus one to tell that there was more. */
  readonly maxBodyBytes: number
}

/**
 * Response headers by lower-case name; a repeated header may come as a list (as `node:http` gives them).
 *
 * @since 0.1.0
 * @category models
 */
export type HeaderRecord = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * A response as the transport read it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportResponse {
  readonly status: number
  readonly headers: HeaderRecord
  /** The body, at most `maxBodyBytes + 1` bytes. */
  readonly body: Uint8Array
}

/**
 * The transport service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Runs one exchange; a failure names its reason (the client adds the request id and scrubs the cause). */
  readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, TransportError>
}

/**
 * The transport the client sends through.
 *
 * @since 0.1.0
 * @category tags
 */
export class Transport extends Context.Tag("@acs-identity/sdk/Transport")<Transport, Service>() {}

/**
 * A transport failure, for implementations: the client replaces the message with its own wording
 * and adds the request id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (reason: TransportErrorReason, cause?: unknown): TransportError =>
  new TransportError({ reason, message: reason, ...(cause === undefined ? {} : { cause }) })

const reasonOf = (error: HttpClientError.HttpClientError): TransportErrorReason =>
  error._tag === "RequestError" && (error.reason === "Encode" || error.reason === "InvalidUrl")
    ? error.reason
    : "Network"

/**
 * Reads at most `limit` bytes of a platform response body. A body whose `Content-Length` fits and
 * that is not content-encoded is read in one go; any other (unsized, larger, or compressed, which
 * `fetch` inflates) is streamed, counting decoded bytes as they arrive and stopping at the bound.
 */
const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Uint8Array, TransportError> => {
  const announced = Number(response.headers["content-length"] ?? Number.NaN)
  const encoding = response.headers["content-encoding"]
  return Number.isFinite(announced) && announced <= limit &&
      (encoding === undefined || encoding.trim().toLowerCase() === "identity")
    ? Effect.mapBoth(response.arrayBuffer, {
      onFailure: (cause) => failure("Network", cause),
      onSuccess: (buffer) => new Uint8Array(buffer)
    })
    : readStream(response, limit)
}

const readStream = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Uint8Array, TransportError> =>
  response.stream.pipe(
    Stream.mapAccum(0, (seen, chunk: Uint8Array) => [seen + chunk.length, { chunk, seen }] as const),
    Stream.takeUntil(({ chunk, seen }) => seen + chunk.length > limit),
    Stream.runCollect,
    Effect.map((chunks) => {
      const parts = Chunk.toReadonlyArray(chunks)
      const total = parts.reduce((n, { chunk }) => n + chunk.length, 0)
      const bytes = new Uint8Array(Math.min(total, limit))
      let offset = 0
      for (const { chunk } of parts) {
        const take = Math.min(chunk.length, bytes.length - offset)
        bytes.set(chunk.subarray(0, take), offset)
        offset += take
      }
      return bytes
    }),
    Effect.catchAll((cause) =>
      cause._tag === "ResponseError" && cause.reason === "EmptyBody"
        ? Effect.succeed(new Uint8Array(0))
        : Effect.fail(failure("Network", cause))
    )
  )

/** `fetch` follows redirects unless told not to (keeping any other `RequestInit` the caller set). */
const noRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.contextWithEffect((context: Context.Context<never>) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, {
      ...Option.getOrUndefined(Context.getOption(context, FetchHttpClient.RequestInit)),
      redirect: "manual"
    })
  )

/**
 * A transport over a platform `HttpClient`. The client's own tracing is turned off (its span would
 * record the request, `Authorization` header included; the operation's span is the only one), and
 * `fetch`-based clients are told not to follow redirects.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromHttpClient = (client: HttpClient.HttpClient): Service => {
  const quiet = client.pipe(HttpClient.withTracerPropagation(false), HttpClient.withTracerDisabledWhen(() => true))
  return {
    send: (request) => {
      // The body carries its type and length; the platform client sets both headers from it.
      const { "content-length": _length, "content-type": contentType, ...headers } = request.headers
      const platformRequest = HttpClientRequest.make(request.method as HttpClientRequest.HttpClientRequest["method"])(
        new URL(request.path, request.origin).href,
        {
          body: request.body === undefined
            ? HttpBody.empty
            : HttpBody.uint8Array(request.body, contentType ?? "application/octet-stream"),
          headers
        }
      )
      return quiet.execute(platformRequest).pipe(
        Effect.mapError((error) => failure(reasonOf(error), error.cause ?? error)),
        Effect.flatMap((response) =>
          Effect.map(
            readBounded(response, request.maxBodyBytes + 1),
            (body): TransportResponse => ({ status: response.status, headers: response.headers, body })
          )
        ),
        noRedirects,
        Effect.timeoutFail({ duration: request.timeoutMillis, onTimeout: () => failure("Timeout") })
      )
    }
  }
}

/**
 * The transport over the `HttpClient` in context (a fetch, undici or wrapped client).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<Transport, never, HttpClient.HttpClient> = Layer.effect(
  Transport,
  Effect.map(HttpClient.HttpClient, fromHttpClient)
)

/**
 * The transport over the runtime's `fetch` (browsers, Workers, Deno, Bun; on Node prefer
 * `@acs-identity/transport-node`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFetch: Layer.Layer<Transport> = layerHttpClient.pipe(Layer.provide(FetchHttpClient.layer))
