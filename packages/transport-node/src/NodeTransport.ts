/**
 * A lean `HttpClient` for Node: `node:http`/`node:https` with keep-alive agents, built with
 * `HttpClient.make` (so spans, tracer propagation and abort-on-interrupt behave as with any platform
 * client). Small bodies are read in the same step as the response head, so reading them costs no
 * further I/O. Interrupting a call destroys its request and socket; request failures are
 * `HttpClientError.RequestError`s.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Https from "node:https"
import { type AttemptRequest, type AttemptResult, start } from "./internal/attempt.js"
import { type Agents, send } from "./internal/send.js"

export type {
  /**
   * The agents requests go through, one per protocol.
   *
   * @since 0.1.0
   * @category models
   */
  Agents
} from "./internal/send.js"

export type {
  /**
   * One attempt of the SDK's fast path: method, origin, path, headers, body and limits.
   *
   * @since 0.1.0
   * @category models
   */
  AttemptRequest,
  /**
   * How an attempt of the fast path ended: a response, the timer, or a failure.
   *
   * @since 0.1.0
   * @category models
   */
  AttemptResult
} from "./internal/attempt.js"

/**
 * Transport settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Keep connections open for reuse. Default `true`. */
  readonly keepAlive?: boolean | undefined
  /** The most sockets per origin. Default: no limit. */
  readonly maxSockets?: number | undefined
  /** Fail a request whose socket sees no activity for this long. Default: no limit. */
  readonly idleTimeout?: Duration.DurationInput | undefined
  /** Bodies whose `content-length` is at most this are read before the response is returned. Default 64 KiB. */
  readonly readAheadBytes?: number | undefined
}

/**
 * The default `readAheadBytes`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultReadAheadBytes = 64 * 1024

const sendOptions = (options: Options | undefined) => ({
  idleTimeoutMillis: options?.idleTimeout === undefined ? 0 : Duration.toMillis(options.idleTimeout),
  readAheadBytes: options?.readAheadBytes ?? defaultReadAheadBytes
})

/**
 * The key of `@acs-identity/sdk`'s `AttemptTransport` contract (`Symbol.for`, so no import of the
 * SDK is needed): the client runs whole attempts through it, under this transport's own timer.
 *
 * @since 0.1.0
 * @category symbols
 */
export const AttemptTransportId: unique symbol = Symbol.for("@acs-identity/sdk/AttemptTransport")

/**
 * The SDK's `AttemptTransport` contract, as this transport offers it: `start` runs one attempt
 * (request, head and at most `maxBodyBytes + 1` bytes of body) under one timer of `timeoutMillis`
 * and calls `done` once with the response (body in memory), `Timeout` or the failure; the returned
 * function aborts it. No span, no redirects, no tracing headers.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptTransport {
  readonly start: (request: AttemptRequest, done: (result: AttemptResult) => void) => () => void
}

/**
 * A client over agents you own (and destroy). It is a platform `HttpClient` (with spans and
 * abort-on-interrupt through `HttpClient.make`) and also offers the SDK's `AttemptTransport` fast
 * path under `AttemptTransportId`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAgents = (agents: Agents, options?: Options): HttpClient.HttpClient => {
  const settings = sendOptions(options)
  const client = HttpClient.make((request, url, signal) => send(agents, settings, request, url, signal))
  const fast: AttemptTransport = { start: (request, done) => start(agents, settings, request, done) }
  return Object.assign(client, { [AttemptTransportId]: fast })
}

/**
 * A client with its own agents, destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const agentOptions = { keepAlive: options?.keepAlive ?? true, maxSockets: options?.maxSockets ?? Infinity }
  return Effect.map(
    // Both agents in one step: a cold start pays for every effect step while Effect is not yet compiled.
    Effect.acquireRelease(
      Effect.sync((): Agents => ({ http: new Http.Agent(agentOptions), https: new Https.Agent(agentOptions) })),
      (agents) =>
        Effect.sync(() => {
          agents.http.destroy()
          agents.https.destroy()
        })
    ),
    (agents) => fromAgents(agents, options)
  )
}

/**
 * The transport with custom settings, as the `HttpClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/**
 * The transport with keep-alive and the default settings, as the `HttpClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
