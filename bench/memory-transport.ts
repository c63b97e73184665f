/**
 * An in-memory `HttpClient` offering only the SDK's `AttemptTransport` fast path: every attempt is
 * answered with the canned token after a `setImmediate` (one turn of the event loop, as a socket
 * would), so the bench tools can measure the SDK's own cost without a network.
 */
import { AttemptTransport, CommunicationIdentityClient } from "@acs-identity/sdk"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { accessKey, tokenBody } from "./config.js"

const body = new TextEncoder().encode(tokenBody)
const headers = { "content-type": "application/json", "content-length": String(body.length) }

/** The in-memory transport. */
export const inMemoryTransport: HttpClient.HttpClient = AttemptTransport.attach(
  HttpClient.make(() => Effect.die("the fast path only")),
  {
    start: (_request, done) => {
      const answer = setImmediate(() => done({ _tag: "Response", response: { status: 200, headers, body } }))
      return () => clearImmediate(answer)
    }
  }
)

/** A runtime holding the SDK client on the in-memory transport. */
export const inMemoryRuntime = () =>
  ManagedRuntime.make(
    CommunicationIdentityClient.fromConnectionString(`endpoint=http://127.0.0.1:1/;accesskey=${accessKey}`).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, inMemoryTransport))
    )
  )
