/**
 * One round trip over `node:http`/`node:https`, as the SDK's `Transport` contract describes it: the
 * request written, the head awaited and the body read (at most a bound), all under one timer and
 * inside one `Effect.async`, whose cleanup destroys the request and its socket when the fiber is
 * interrupted. The headers go out as the plain record they are; the response's are
 * `IncomingMessage.headers` as they are.
 */
import { Transport, type TransportError } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import * as Https from "node:https"
import { readAll } from "./readBody.js"

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
 * Per-transport settings.
 *
 * @since 0.1.0
 * @category internal
 */
export interface Settings {
  /** Destroy the request when its socket is idle this many milliseconds; 0 for no limit. */
  readonly idleTimeoutMillis: number
}

const open = (agents: Agents, settings: Settings, request: Transport.TransportRequest): Http.ClientRequest => {
  const origin = request.origin
  const secure = origin.protocol === "https:"
  const nodeRequest = (secure ? Https.request : Http.request)({
    agent: secure ? agents.https : agents.http,
    protocol: origin.protocol,
    // `node:http` wants an IPv6 host without its brackets.
    hostname: origin.hostname.startsWith("[") ? origin.hostname.slice(1, -1) : origin.hostname,
    port: origin.port,
    path: request.path,
    method: request.method,
    headers: request.headers
  })
  if (settings.idleTimeoutMillis > 0) {
    nodeRequest.setTimeout(
      settings.idleTimeoutMillis,
      () => nodeRequest.destroy(new Error(`the socket was idle for ${settings.idleTimeoutMillis} ms`))
    )
  }
  return nodeRequest
}

/**
 * Runs one round trip through `agents`.
 *
 * @since 0.1.0
 * @category internal
 */
export const roundTrip = (
  agents: Agents,
  settings: Settings,
  request: Transport.TransportRequest
): Effect.Effect<Transport.TransportResponse, TransportError> =>
  Effect.async((resume) => {
    let finished = false
    const finish = (result: Effect.Effect<Transport.TransportResponse, TransportError>) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      resume(result)
    }
    let nodeRequest: Http.ClientRequest
    try {
      nodeRequest = open(agents, settings, request)
    } catch (cause) {
      // node:http throws synchronously on a header value with CR, LF, NUL or characters beyond Latin-1.
      resume(Effect.fail(Transport.failure("Encode", cause)))
      return
    }
    const timer = setTimeout(() => {
      finish(Effect.fail(Transport.failure("Timeout")))
      nodeRequest.destroy()
    }, request.timeoutMillis)
    nodeRequest.on("error", (cause) => finish(Effect.fail(Transport.failure("Network", cause))))
    nodeRequest.on("response", (incoming) =>
      readAll(
        incoming,
        (body) => finish(Effect.succeed({ status: incoming.statusCode ?? 0, headers: incoming.headers, body })),
        (cause) => finish(Effect.fail(Transport.failure("Network", cause))),
        request.maxBodyBytes + 1
      ))
    nodeRequest.end(request.body)
    return Effect.sync(() => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      nodeRequest.destroy()
    })
  })
