/**
 * What a user of the published packages writes: the lifecycle against COMMUNICATION_CONNECTION_STRING,
 * with options as strict code builds them (`| undefined` values under exactOptionalPropertyTypes).
 * Type-checked with NodeNext and Bundler resolution, then run against `acs-identity-mock`.
 */
import { type AccessToken, CommunicationIdentityClient, type GetTokenOptions, packageVersion } from "@acs-identity/sdk"
import { layerStatic, OfficialCredential } from "@acs-identity/token-credential"
import { NodeTransport } from "@acs-identity/transport-node"
import { Console, Effect, Layer, Redacted } from "effect"

const expiresInMinutes: number | undefined = process.env.TOKEN_MINUTES === undefined
  ? undefined
  : Number(process.env.TOKEN_MINUTES)
const tokenOptions: GetTokenOptions = { expiresInMinutes }

const describe = (token: AccessToken) =>
  `${Redacted.value(token.token).length} chars, printed as ${String(token.token)}`

const program = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient
  const user = yield* client.createUser({ customId: undefined })
  const token = yield* client.getToken(user, ["chat", "voip"], tokenOptions)
  yield* Console.log(`sdk ${packageVersion}: user ${user.communicationUserId}, token ${describe(token)}`)
  // A client app's credential over the issued token, through the official interface.
  const credential = OfficialCredential.fromLayer(
    layerStatic({ token: token.token, expiresOn: token.expiresOn })
  )
  const official = yield* Effect.promise(() => credential.getToken({ abortSignal: undefined }))
  credential.dispose()
  if (official.token !== Redacted.value(token.token)) {
    return yield* Effect.die("the credential handed out another token")
  }
  yield* Console.log(`credential: the issued token, expiring at ${new Date(official.expiresOnTimestamp).toISOString()}`)
  yield* client.revokeTokens(user)
  yield* client.deleteUser(user)
  const rejected = yield* client.getToken(user, ["chat"], { expiresInMinutes: 30 }).pipe(
    Effect.as("accepted"),
    Effect.catchTag("InvalidArgumentError", (e) => Effect.succeed(`InvalidArgumentError (${e.argument})`))
  )
  yield* Console.log(`30 minutes: ${rejected}`)
  if (rejected === "accepted") return yield* Effect.die("a 30-minute token was accepted")
  yield* Console.log("lifecycle ok")
})

const ClientLive = CommunicationIdentityClient.layerConfig({ apiVersion: undefined, policy: undefined }).pipe(
  Layer.provide(NodeTransport.layerWith({ keepAlive: undefined }))
)

Effect.runPromise(Effect.provide(program, ClientLive)).catch((error: unknown) => {
  console.error("consumer failed:", error)
  process.exitCode = 1
})
