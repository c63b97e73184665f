/**
 * An in-memory `Transport`: every exchange is answered with the canned token after a `setImmediate`
 * (one turn of the event loop, as a socket would), so the bench tools can measure the SDK's own
 * cost without a network.
 */
import { CommunicationIdentityClient, Transport } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { accessKey, tokenBody } from "./config.js"

const body = new TextEncoder().encode(tokenBody)
const headers = { "content-type": "application/json", "content-length": String(body.length) }

/** The in-memory transport. */
export const inMemoryTransport: Transport.Service = {
  send: () =>
    Effect.async((resume) => {
      const answer = setImmediate(() => resume(Effect.succeed({ status: 200, headers, body })))
      return Effect.sync(() => clearImmediate(answer))
    })
}

/** A runtime holding the SDK client on the in-memory transport, and what else the application installs. */
export const inMemoryRuntime = <T = never>(application: Layer.Layer<T> = Layer.empty as Layer.Layer<T>) =>
  ManagedRuntime.make(
    CommunicationIdentityClient.fromConnectionString(`endpoint=http://127.0.0.1:1/;accesskey=${accessKey}`).pipe(
      Layer.provide(Layer.succeed(Transport.Transport, inMemoryTransport)),
      Layer.merge(application)
    )
  )

/** An `@azure/identity`-shaped credential whose token lives an hour: the Entra signer holds it. */
const entraCredential = {
  getToken: () => Promise.resolve({ token: "entra-token", expiresOnTimestamp: Date.now() + 3_600_000 })
}

/** A runtime holding the SDK client on the in-memory transport, authenticated by an Entra credential. */
export const inMemoryEntraRuntime = () =>
  ManagedRuntime.make(
    CommunicationIdentityClient.layerEntra({ endpoint: "http://127.0.0.1:1", credential: entraCredential }).pipe(
      Layer.provide(Layer.succeed(Transport.Transport, inMemoryTransport))
    )
  )
