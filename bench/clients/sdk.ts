/**
 * This SDK over a given transport layer. Each call goes through `ManagedRuntime.runPromise`, as a
 * non-Effect server (an Express handler, say) would call it on every sign-in.
 */
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { connectionString, expiresInMinutes, userId } from "../config.js"
import type { MakeClient } from "./types.js"

/** The SDK client on the transport `transport`. */
export const makeWith = <E>(transport: Layer.Layer<HttpClient.HttpClient, E>): MakeClient => async (endpoint) => {
  const runtime = ManagedRuntime.make(
    CommunicationIdentityClient.fromConnectionString(connectionString(endpoint)).pipe(Layer.provide(transport))
  )
  const client = await runtime.runPromise(CommunicationIdentityClient)
  const user = { communicationUserId: userId }
  return {
    getToken: () => runtime.runPromise(client.getToken(user, ["chat"], { expiresInMinutes })),
    createUserAndToken: () => runtime.runPromise(client.createUserAndToken(["chat"])),
    close: () => runtime.dispose()
  }
}
