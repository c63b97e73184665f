/** Bundle-size program: this SDK on the lean Node transport creates a user and gets a token. */
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import * as Effect from "effect/Effect"

const program = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient
  const user = yield* client.createUser()
  const token = yield* client.getToken(user, ["chat"], { expiresInMinutes: 60 })
  console.log(user.communicationUserId, token.expiresOn)
})

program.pipe(
  Effect.provide(CommunicationIdentityClient.fromConnectionString(String(Reflect.get(globalThis, "ACS_CONNECTION")))),
  Effect.provide(NodeTransport.layer),
  Effect.runPromise
)
