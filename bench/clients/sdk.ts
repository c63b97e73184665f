/**
 * This SDK over a given transport layer. Each call goes through `ManagedRuntime.runPromise`, as a
 * non-Effect server (an Express handler, say) would call it on every sign-in; or, for the
 * "inside Effect" client, all calls run in one Effect program, as an Effect application's would.
 */
import { CommunicationIdentityClient, type Transport } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { connectionString, expiresInMinutes, userId } from "../config.js"
import type { MakeClient } from "./types.js"

/**
 * The SDK client on the transport `transport`, in a runtime built from the client's layer (merged with
 * `application` when one is given). With `insideEffect`, the harness's calls run as one
 * Effect program (`Effect.forEach` with the concurrency asked for), as an Effect application calls it.
 */
export const makeWith = <E>(
  transport: Layer.Layer<Transport.Transport, E>,
  insideEffect = false,
  /** What else the application installs (a tracer, say). */
  application?: Layer.Layer<never>
): MakeClient =>
async (endpoint) => {
  const identity = CommunicationIdentityClient.fromConnectionString(connectionString(endpoint)).pipe(
    Layer.provide(transport)
  )
  const runtime = ManagedRuntime.make(application === undefined ? identity : Layer.merge(identity, application))
  const client = await runtime.runPromise(CommunicationIdentityClient)
  const user = { communicationUserId: userId }
  return {
    getToken: () => runtime.runPromise(client.getToken(user, ["chat"], { expiresInMinutes })),
    createUserAndToken: () => runtime.runPromise(client.createUserAndToken(["chat"])),
    ...(insideEffect
      ? {
        drive: (ops: number, concurrency: number) =>
          runtime.runPromise(
            Effect.forEach(
              Array.from({ length: ops }),
              () => client.getToken(user, ["chat"], { expiresInMinutes }),
              { concurrency, discard: true }
            )
          )
      }
      : {}),
    close: () => runtime.dispose()
  }
}
