/** The program every SDK bundle-size entry runs: create a user and get a token, on a given transport. */
import { CommunicationIdentityClient, type Transport } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"

/** Creates a user and gets a token through `transport`. */
export const run = <E>(transport: Layer.Layer<Transport.Transport, E>) =>
  Effect.gen(function*() {
    const client = yield* CommunicationIdentityClient
    const user = yield* client.createUser()
    const token = yield* client.getToken(user, ["chat"], { expiresInMinutes: 60 })
    console.log(user.communicationUserId, token.expiresOn)
  }).pipe(
    Effect.provide(CommunicationIdentityClient.fromConnectionString(String(Reflect.get(globalThis, "ACS_CONNECTION")))),
    Effect.provide(transport),
    Effect.runPromise
  )
