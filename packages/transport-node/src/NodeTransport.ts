/**
 * The SDK's `Transport` over `node:http`/`node:https` with keep-alive agents: one round trip
 * (request, head and bounded body) under one timer in a single `Effect.async`, with no platform
 * request or response object per call. Interrupting a call destroys its request and socket.
 *
 * @since 0.1.0
 */
import { Transport } from "@acs-identity/sdk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Https from "node:https"
import { type Agents, roundTrip } from "./internal/roundTrip.js"

export type {
  /**
   * The agents requests go through, one per protocol.
   *
   * @since 0.1.0
   * @category models
   */
  Agents
} from "./internal/roundTrip.js"

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
}

/**
 * A transport over agents you own (and destroy).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAgents = (agents: Agents, options?: Options): Transport.Service => {
  const settings = {
    idleTimeoutMillis: options?.idleTimeout === undefined ? 0 : Duration.toMillis(options.idleTimeout)
  }
  return { send: (request) => roundTrip(agents, settings, request) }
}

/**
 * A transport with its own agents, destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Transport.Service, never, Scope.Scope> => {
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
 * The transport with custom settings, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<Transport.Transport> =>
  Layer.scoped(Transport.Transport, make(options))

/**
 * The transport with keep-alive and the default settings, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transport.Transport> = layerWith()
