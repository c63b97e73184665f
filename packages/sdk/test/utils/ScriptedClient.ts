/**
 * The client over a `ScriptedTransport`, signing with a test key for the contoso endpoint, with the
 * `TestClock` set to 2024-01-01: what the wire-level unit tests run their calls through.
 */
import { Effect, Layer, Redacted, TestClock } from "effect"
import { CommunicationIdentityClient, type ConnectionOptions } from "../../src/index.js"
import { ScriptedTransport } from "./ScriptedTransport.js"

/** A base64 access key that is not a real one. */
export const testKey = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="

/** The endpoint the scripted client talks to. */
export const testEndpoint = "https://contoso.communication.azure.com"

/** Runs `f` with the client and the transport's handle. */
export const withScriptedClient = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], transport: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  options: ConnectionOptions = {}
) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(Date.UTC(2024, 0, 1))
    return yield* f(yield* CommunicationIdentityClient, yield* ScriptedTransport)
  }).pipe(
    Effect.provide(
      CommunicationIdentityClient.fromConnectionString(
        Redacted.make(`endpoint=${testEndpoint}/;accesskey=${testKey}`),
        options
      ).pipe(Layer.provideMerge(ScriptedTransport.layer))
    )
  )
