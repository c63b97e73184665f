/**
 * `--verbose`: one line on stderr per HTTP attempt (retries included) with the method, the URL, the
 * status or the failure, the time taken and the `x-ms-client-request-id`. Headers and bodies are
 * never printed, so neither the signature, the Entra token nor an issued token can appear.
 *
 * @since 0.1.0
 */
import { Transport } from "@acs-identity/sdk"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const describe = (request: Transport.TransportRequest): string => {
  const id = request.headers["x-ms-client-request-id"]
  return `${request.method} ${new URL(request.path, request.origin).href}${
    id === undefined ? "" : ` [request id ${id}]`
  }`
}

/**
 * Wraps a transport so that every attempt is logged on stderr.
 *
 * @since 0.1.0
 * @category combinators
 */
export const logRequests = (transport: Transport.Service): Transport.Service => ({
  send: (request) =>
    Effect.timed(transport.send(request)).pipe(
      Effect.tapBoth({
        onSuccess: ([elapsed, response]) =>
          Console.error(`${describe(request)} -> ${response.status} in ${Math.round(Duration.toMillis(elapsed))} ms`),
        onFailure: (error) => Console.error(`${describe(request)} -> failed (${error.reason})`)
      }),
      Effect.map(([, response]) => response)
    )
})

/**
 * Replaces the `Transport` of the layer below with one that logs every attempt.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transport.Transport, never, Transport.Transport> = Layer.effect(
  Transport.Transport,
  Effect.map(Transport.Transport, logRequests)
)
