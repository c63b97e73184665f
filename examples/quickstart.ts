/**
 * Quickstart: the whole identity lifecycle, printed step by step.
 *
 * With `COMMUNICATION_CONNECTION_STRING` set it talks to that resource; without it, it starts the
 * embedded stateful mock (signature-checking, in this process) and talks to that instead.
 *
 * Then the Teams Phone extension: an assignment is created and replaced, and a user's Entra token is
 * exchanged for an ACS token, once through the client and once through `TokenExchange` (what a
 * browser app uses, with no resource credential). On the mock the Entra token is an unsigned test
 * token; against a resource, set `TEAMS_EXTENSION_ENTRA_TOKEN` (a Teams Phone extension user's Entra
 * token) and that user's `TEAMS_EXTENSION_TENANT_ID` and `TEAMS_EXTENSION_OBJECT_ID`.
 *
 *   npm start
 *   COMMUNICATION_CONNECTION_STRING="endpoint=https://<resource>.communication.azure.com/;accesskey=<key>" npm start
 */
import * as Mock from "@acs-identity/mock-server"
import { type AccessToken, CommunicationIdentityClient, TokenExchange } from "@acs-identity/sdk"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Context, Effect, Layer, Option, Redacted } from "effect"

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

/** Where the resource is, and the Teams Phone extension user to show (absent: that part is skipped). */
class Demo extends Context.Tag("quickstart/Demo")<Demo, {
  readonly endpoint: string
  readonly teamsUser: Option.Option<{
    readonly tenantId: string
    readonly objectId: string
    readonly entraToken: Redacted.Redacted<string>
  }>
}>() {}

const teamsExtension = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient
  const demo = yield* Demo
  if (Option.isNone(demo.teamsUser)) {
    return yield* Console.log(
      "8. Teams Phone extension skipped: set TEAMS_EXTENSION_ENTRA_TOKEN, _TENANT_ID, _OBJECT_ID"
    )
  }
  const { entraToken, objectId, tenantId } = demo.teamsUser.value
  const first = yield* client.upsertTeamsExtensionAssignment({ tenantId, objectId, principalType: "resourceAccount" })
  yield* Console.log(`8. Teams Phone extension assignment of ${objectId}: ${first.created ? "created" : "replaced"}`)
  const second = yield* client.upsertTeamsExtensionAssignment({ tenantId, objectId, principalType: "user" })
  const read = yield* client.getTeamsExtensionAssignment({ tenantId, objectId })
  yield* Console.log(
    `9. assigned again: ${second.created ? "created" : "replaced"}, now principalType ${read.principalType}`
  )
  const exchanged = yield* client.getTokenForTeamsExtensionUser(entraToken)
  yield* Console.log(
    `10. exchanged the user's Entra token: ACS identity ${exchanged.user.communicationUserId}, ${
      describeToken(exchanged)
    }`
  )
  const exchange = yield* TokenExchange.make({ endpoint: demo.endpoint })
  const again = yield* exchange.teamsExtension(entraToken)
  yield* Console.log(`11. the same through TokenExchange (no resource key): ${again.user.communicationUserId}`)
  yield* client.deleteTeamsExtensionAssignment({ tenantId, objectId })
  const refused = yield* client.getTokenForTeamsExtensionUser(entraToken).pipe(
    Effect.as("unexpectedly accepted"),
    Effect.catchTag("AuthorizationError", (e) => Effect.succeed(`AuthorizationError ${e.status}: ${e.message}`))
  )
  yield* Console.log(`12. after deleting the assignment the exchange gives ${refused}`)
})

/** The example tenant and object of the service's documentation. */
const exampleTeamsUser = {
  tenantId: "c70d068c-2f32-484d-9455-73070cd5aadd",
  objectId: "b27b64b9-39d2-44a3-869d-67700b74e805"
}

/** The real resource when configured, otherwise the embedded stateful mock. */
const ClientLive = Layer.unwrapScoped(
  Effect.gen(function*() {
    const configured = yield* Config.option(Config.redacted("COMMUNICATION_CONNECTION_STRING"))
    if (Option.isSome(configured)) {
      yield* Console.log("Using the resource in COMMUNICATION_CONNECTION_STRING")
      const teamsUser = yield* Config.option(Config.all({
        entraToken: Config.redacted("TEAMS_EXTENSION_ENTRA_TOKEN"),
        tenantId: Config.string("TEAMS_EXTENSION_TENANT_ID"),
        objectId: Config.string("TEAMS_EXTENSION_OBJECT_ID")
      }))
      const endpoint = /endpoint=([^;]+)/i.exec(Redacted.value(configured.value))?.[1] ?? ""
      return Layer.merge(
        CommunicationIdentityClient.fromConnectionString(configured.value),
        Layer.succeed(Demo, { endpoint, teamsUser })
      )
    }
    const mock = yield* Mock.make({ stateful: true })
    yield* Console.log(`COMMUNICATION_CONNECTION_STRING is not set: using the embedded mock at ${mock.url}`)
    const entraToken = IdentityStore.entraTokenFor({
      ...exampleTeamsUser,
      clientId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
    })
    return Layer.merge(
      CommunicationIdentityClient.fromConnectionString(mock.connectionString),
      Layer.succeed(Demo, { endpoint: mock.url, teamsUser: Option.some({ ...exampleTeamsUser, entraToken }) })
    )
  })
).pipe(Layer.provideMerge(NodeTransport.layer))

Effect.zipRight(lifecycle, teamsExtension).pipe(
  Effect.provide(ClientLive),
  Effect.tapErrorCause(Effect.logError),
  NodeRuntime.runMain
)
