/**
 * The Entra exchange credential over real HTTP on loopback against the stateful mock: an admin
 * client assigns the user, then the credential exchanges the user's (unsigned) Entra token.
 */
import { MockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { CommunicationTokenCredential, EntraExchange, jwtExpiry } from "../src/index.js"

const claims = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  objectId: "0f6b3f0e-6d0e-4a8e-9f51-5a2f7d1f3c11",
  clientId: "1fd5118e-2576-4263-8130-9503064c837a"
}
const teamsScopes = ["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls"] as const

const admin = Effect.flatMap(MockServer, (server) =>
  CommunicationIdentityClient.pipe(
    Effect.provide(
      CommunicationIdentityClient.fromConnectionString(Redacted.value(server.connectionString), {
        apiVersion: "2025-03-02-preview"
      }).pipe(Layer.provide(HttpClientTransport.layerFetch))
    )
  ))

const tokenFor = (options: { readonly entraToken: Redacted.Redacted<string>; readonly scopes?: typeof teamsScopes }) =>
  Effect.flatMap(
    MockServer,
    (server) =>
      Effect.flatMap(CommunicationTokenCredential, (credential) => credential.token).pipe(
        Effect.provide(
          EntraExchange.layer({
            resourceEndpoint: server.url,
            policy: { maxRetries: 0 },
            entraToken: Effect.succeed(options.entraToken),
            ...(options.scopes === undefined ? {} : { scopes: options.scopes })
          }).pipe(
            Layer.provide(HttpClientTransport.layerFetch)
          )
        )
      )
  )

describe("Entra exchange against the stateful mock", () => {
  layer(MockServer.layerStateful(), { excludeTestServices: true })("stateful mock", (it) => {
    it.effect("an assigned Entra ID user gets an ACS token; an unassigned one a RefreshFailed error", () =>
      Effect.gen(function*() {
        const entraToken = IdentityStore.entraTokenFor(claims)
        const refused = yield* Effect.flip(tokenFor({ entraToken }))
        assert.strictEqual(refused.reason, "RefreshFailed")
        assert.include(["AuthenticationError", "AuthorizationError"], (refused.cause as { _tag: string })._tag)

        const client = yield* admin
        yield* client.upsertEntraAssignment({ ...claims, principalType: "user", clientIds: [claims.clientId] })
        const token = yield* tokenFor({ entraToken })
        assert.isAbove(token.expiresOn.getTime(), Date.now())
        assert.strictEqual(jwtExpiry(Redacted.value(token.token))?.getTime(), token.expiresOn.getTime())
      }))

    it.effect("Teams scopes go through the Teams Phone extension exchange", () =>
      Effect.gen(function*() {
        const user = { ...claims, objectId: "5d1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b" }
        const client = yield* admin
        yield* client.upsertTeamsExtensionAssignment({
          tenantId: user.tenantId,
          objectId: user.objectId,
          principalType: "user",
          clientIds: [user.clientId]
        })
        const token = yield* tokenFor({ entraToken: IdentityStore.entraTokenFor(user), scopes: teamsScopes })
        assert.isAbove(token.expiresOn.getTime(), Date.now())
      }))
  })
})
