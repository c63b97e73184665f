/**
 * One exchange over `node:http`/`node:https`: writes the request, waits for the response and, when
 * the body is announced small enough, reads it too — all inside one `Effect.async`, whose cleanup
 * destroys the request (and its socket) when the fiber is interrupted.
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as Https from "node:https"
import { pipeline, Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"
import { NodeResponse, readAll } from "./response.js"

/**
 * The agents requests go through, one per protocol.
 *
 * @since 0.1.0
 * @category internal
 */
export interface Agents {
  readonly http: Http.Agent
  readonly https: Https.Agent
}

/**
 * Per-client settings of `send`.
 *
 * @since 0.1.0
 * @category internal
 */
export interface SendOptions {
  /** Destroy the request when its socket is idle this many milliseconds; 0 for no limit. */
  readonly idleTimeoutMillis: number
  /** Read bodies announced (by `content-length`) at most this long before returning the response. */
  readonly readAheadBytes: number
}

const hasNoBody = (method: string, status: number) =>
  method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200)

const webToNode = (stream: ReadableStream<Uint8Array>): Readable =>
  Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>)

/**
 * Writes the body and ends the request; `onError` gets encoding failures. A streamed body runs on
 * `runtime`, the caller's (its logger, services and fiber refs), not on the default runtime.
 */
const writeBody = (
  nodeRequest: Http.ClientRequest,
  body: HttpBody.HttpBody,
  runtime: Runtime.Runtime<never>,
  onError: (reason: "Encode" | "Transport", cause: unknown) => void
): void => {
  switch (body._tag) {
    case "Empty":
      return void nodeRequest.end()
    case "Uint8Array":
      return void nodeRequest.end(body.body)
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string" || raw instanceof Uint8Array) return void nodeRequest.end(raw)
      nodeRequest.destroy()
      return onError("Encode", new TypeError("a Raw body must be a string or a Uint8Array"))
    }
    case "FormData": {
      const encoded = new Response(body.formData)
      nodeRequest.setHeader("content-type", encoded.headers.get("content-type")!)
      return void pipeline(webToNode(encoded.body!), nodeRequest, (error) => error && onError("Encode", error))
    }
    case "Stream":
      return void pipeline(
        webToNode(Stream.toReadableStreamRuntime(body.stream as Stream.Stream<Uint8Array>, runtime)),
        nodeRequest,
        (error) => error && onError("Encode", error)
      )
  }
}

/**
 * A request to `path` on `origin` through `agents`, destroyed when its socket is idle longer than
 * the settings allow. Throws, as `node:http` does, on a header value with CR, LF, NUL or characters
 * beyond Latin-1.
 *
 * @since 0.1.0
 * @category internal
 */
export const openRequest = (
  agents: Agents,
  options: SendOptions,
  origin: URL,
  path: string,
  method: string,
  headers: Http.OutgoingHttpHeaders
): Http.ClientRequest => {
  const secure = origin.protocol === "https:"
  const nodeRequest = (secure ? Https.request : Http.request)({
    agent: secure ? agents.https : agents.http,
    protocol: origin.protocol,
    // `node:http` wants an IPv6 host without its brackets.
    hostname: origin.hostname.startsWith("[") ? origin.hostname.slice(1, -1) : origin.hostname,
    port: origin.port,
    path,
    method,
    headers
  })
  if (options.idleTimeoutMillis > 0) {
    nodeRequest.setTimeout(
      options.idleTimeoutMillis,
      () => nodeRequest.destroy(new Error(`the socket was idle for ${options.idleTimeoutMillis} ms`))
    )
  }
  return nodeRequest
}

/** The headers to send: the request's, plus the body's type and length when it has them. */
const outgoingHeaders = (request: HttpClientRequest.HttpClientRequest): Record<string, string | number> => {
  const headers: Record<string, string | number> = { ...request.headers }
  const body = request.body
  if (body._tag !== "Empty" && body._tag !== "FormData") {
    if (headers["content-type"] === undefined && body.contentType !== undefined) {
      headers["content-type"] = body.contentType
    }
    if (body.contentLength !== undefined && headers["content-length"] === undefined) {
      headers["content-length"] = body.contentLength
    }
  }
  return headers
}

/**
 * Sends `request` to `url` through `agents`, as the `HttpClient.make` backend (the platform aborts
 * through `signal`; large or unsized bodies are read lazily).
 *
 * @since 0.1.0
 * @category internal
 */
export const send = (
  agents: Agents,
  options: SendOptions,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  request.body._tag === "Stream"
    ? Effect.flatMap(
      Effect.runtime<never>(),
      (runtime) => exchange(agents, options, request, url, runtime, signal)
    )
    : exchange(agents, options, request, url, Runtime.defaultRuntime, signal)

const exchange = (
  agents: Agents,
  options: SendOptions,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  runtime: Runtime.Runtime<never>,
  signal: AbortSignal
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    let settled = false
    const settle = (result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => {
      if (settled) return
      settled = true
      resume(result)
    }
    const fail = (reason: "Encode" | "Transport", cause: unknown) =>
      settle(Effect.fail(new HttpClientError.RequestError({ request, reason, cause })))
    const succeed = (response: NodeResponse) => settle(Effect.succeed(response))
    let nodeRequest: Http.ClientRequest
    try {
      nodeRequest = openRequest(
        agents,
        options,
        url,
        `${url.pathname}${url.search}`,
        request.method,
        outgoingHeaders(request)
      )
    } catch (cause) {
      // node:http throws synchronously on a header value with CR, LF, NUL or characters beyond Latin-1.
      fail("Encode", cause)
      return
    }
    nodeRequest.on("error", (cause) => fail("Transport", cause))
    nodeRequest.on("response", (incoming) => {
      const status = incoming.statusCode ?? 0
      const announced = Number(incoming.headers["content-length"])
      const readAhead = hasNoBody(request.method, status) ||
        (Number.isFinite(announced) && announced <= options.readAheadBytes)
      if (!readAhead) {
        const abort = () => incoming.destroy()
        signal.addEventListener("abort", abort, { once: true })
        incoming.once("close", () => signal.removeEventListener("abort", abort))
        return succeed(new NodeResponse(request, incoming, undefined))
      }
      readAll(
        incoming,
        (body) => succeed(new NodeResponse(request, incoming, body)),
        (cause) => fail("Transport", cause)
      )
    })
    writeBody(nodeRequest, request.body, runtime, fail)
    return Effect.sync(() => {
      if (!settled) nodeRequest.destroy()
    })
  })
