/**
 * Quickstart: the whole identity lifecycle, printed step by step.
 *
 * With `COMMUNICATION_CONNECTION_STRING` set it talks to that resource; without it, it starts the
 * embedded stateful mock (signature-checking, in this process) and talks to that instead.
 *
 *   npm start
 *   COMMUNICATION_CONNECTION_STRING="endpoint=https://<resource>.communication.azure.com/;accesskey=<key>" npm start
 */
import * as Mock from "@acs-identity/mock-server"
import { type AccessToken, CommunicationIdentityClient } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect, Layer, Option, Redacted } from "effect"

/** Describes a token without revealing it. */
const describeToken = (token: Pick<AccessToken, "token" | "expiresOn">) =>
  `${Redacted.value(token.token).length}-character token (printed as ${
    String(token.token)
  }), expires ${token.expiresOn.toISOString()}`

const lifecycle = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient

  const user = yield* client.createUser()
  yield* Console.log(`1. created user ${user.communicationUserId}`)

  const token = yield* client.getToken(user, ["chat", "voip"], { expiresInMinutes: 60 })
  yield* Console.log(`2. issued a chat+voip token for 60 minutes: ${describeToken(token)}`)

  const second = yield* client.createUserAndToken(["chat"])
  yield* Console.log(`3. created user ${second.user.communicationUserId} with a chat token: ${describeToken(second)}`)

  yield* client.revokeTokens(user)
  yield* Console.log(`4. revoked every token of ${user.communicationUserId}`)

  yield* client.deleteUser(user)
  yield* client.deleteUser(second.user)
  yield* Console.log("5. deleted both users")

  const rejected = yield* client.getToken(user, ["chat"], { expiresInMinutes: 30 }).pipe(
    Effect.as("unexpectedly accepted"),
    Effect.catchTag("InvalidArgumentError", (e) => Effect.succeed(`rejected before sending: ${e.message}`))
  )
  yield* Console.log(`6. a 30-minute token is ${rejected}`)

  const afterDelete = yield* client.getToken(user, ["chat"]).pipe(
    Effect.as("a token (the service does not remember deletions)"),
    Effect.catchTags({
      AuthenticationError: (e) => Effect.succeed(`AuthenticationError ${e.status} ${e.code}: ${e.message}`),
      NotFoundError: (e) => Effect.succeed(`NotFoundError ${e.status} ${e.code}: ${e.message}`)
    })
  )
  yield* Console.log(`7. a token for the deleted user gives ${afterDelete}`)
})

/** The real resource when configured, otherwise the embedded stateful mock. */
const ClientLive = Layer.unwrapScoped(
  Effect.gen(function*() {
    const configured = yield* Config.option(Config.redacted("COMMUNICATION_CONNECTION_STRING"))
    if (Option.isSome(configured)) {
      yield* Console.log("Using the resource in COMMUNICATION_CONNECTION_STRING")
      return CommunicationIdentityClient.fromConnectionString(configured.value)
    }
    const mock = yield* Mock.make({ stateful: true })
    yield* Console.log(`COMMUNICATION_CONNECTION_STRING is not set: using the embedded mock at ${mock.url}`)
    return CommunicationIdentityClient.fromConnectionString(mock.connectionString)
  })
).pipe(Layer.provide(NodeTransport.layer))

lifecycle.pipe(
  Effect.provide(ClientLive),
  Effect.tapErrorCause(Effect.logError),
  NodeRuntime.runMain
)
