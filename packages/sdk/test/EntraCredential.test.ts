import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Ref } from "effect"
import { CommunicationIdentityClient, EntraCredential } from "../src/index.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const user = { communicationUserId: "8:acs:r_u" }

const clientWith = <E>(token: Effect.Effect<Redacted.Redacted<string> | string, E>) =>
  CommunicationIdentityClient.layer({ endpoint: "https://contoso.communication.azure.com", policy: { maxRetries: 0 } })
    .pipe(Layer.provide(EntraCredential.layer(token)), Layer.provideMerge(ScriptedTransport.layer))

describe("Entra ID bearer credential", () => {
  it.effect("sends Authorization: Bearer from the token effect, run for each request, and no HMAC headers", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const token = Ref.updateAndGet(calls, (n) => n + 1).pipe(Effect.map((n) => Redacted.make(`entra-${n}`)))
      yield* Effect.gen(function*() {
        const t = yield* ScriptedTransport
        const client = yield* CommunicationIdentityClient
        t.reply({ status: 204 }, { status: 204 })
        yield* client.revokeTokens(user)
        yield* client.deleteUser(user)
        assert.deepStrictEqual(t.sent.map((s) => s.headers["authorization"]), ["Bearer entra-1", "Bearer entra-2"])
        assert.isUndefined(t.sent[0]!.headers["x-ms-content-sha256"])
        assert.isUndefined(t.sent[0]!.headers["x-ms-date"])
      }).pipe(Effect.provide(clientWith(token)))
    }))

  it.effect("a failing or empty token source is a CredentialError, and nothing is sent", () =>
    Effect.gen(function*() {
      for (const source of [Effect.fail("msal exploded"), Effect.succeed("")]) {
        yield* Effect.gen(function*() {
          const t = yield* ScriptedTransport
          const client = yield* CommunicationIdentityClient
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          assert.strictEqual(error._tag, "CredentialError")
          assert.strictEqual(t.sent.length, 0)
        }).pipe(Effect.provide(clientWith(source)))
      }
    }))

  it("asks for the documented scope", () => {
    assert.strictEqual(EntraCredential.scope, "https://communication.azure.com//.default")
  })
})
