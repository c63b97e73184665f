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
import { type Agents, send } from "./internal/send.js"

export type { Agents } from "./internal/send.js"

/** Transport settings. */
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

/** The default `readAheadBytes`. */
export const defaultReadAheadBytes = 64 * 1024

const sendOptions = (options: Options | undefined) => ({
  idleTimeoutMillis: options?.idleTimeout === undefined ? 0 : Duration.toMillis(options.idleTimeout),
  readAheadBytes: options?.readAheadBytes ?? defaultReadAheadBytes
})

/** A client over agents you own (and destroy). */
export const fromAgents = (agents: Agents, options?: Options): HttpClient.HttpClient => {
  const settings = sendOptions(options)
  return HttpClient.make((request, url, signal) => send(agents, settings, request, url, signal))
}

/** A client with its own agents, destroyed when the scope closes. */
export const make = (options?: Options): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> => {
  const agentOptions = { keepAlive: options?.keepAlive ?? true, maxSockets: options?.maxSockets ?? Infinity }
  return Effect.map(
    Effect.all([
      Effect.acquireRelease(
        Effect.sync(() => new Http.Agent(agentOptions)),
        (agent) => Effect.sync(() => agent.destroy())
      ),
      Effect.acquireRelease(
        Effect.sync(() => new Https.Agent(agentOptions)),
        (agent) => Effect.sync(() => agent.destroy())
      )
    ]),
    ([http, https]) => fromAgents({ http, https }, options)
  )
}

/** The transport with custom settings, as the `HttpClient` layer. */
export const layerWith = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/** The transport with keep-alive and the default settings, as the `HttpClient` layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
