import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { CommunicationIdentityClient } from "../src/index.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="
const TestLayer = CommunicationIdentityClient.fromConnectionString(
  Redacted.make(`endpoint=https://contoso.communication.azure.com/;accesskey=${key}`)
).pipe(Layer.provideMerge(ScriptedTransport.layer))

describe("smoke", () => {
  it.effect("getToken", () =>
    Effect.gen(function*() {
      const t = yield* ScriptedTransport
      t.reply({ status: 200, body: { token: "a.b.c", expiresOn: "2030-01-01T00:00:00.1234567+00:00" } })
      const client = yield* CommunicationIdentityClient
      const token = yield* client.getToken({ communicationUserId: "8:acs:x_y" }, ["chat", "voip"], {
        expiresInMinutes: 60
      })
      assert.strictEqual(Redacted.value(token.token), "a.b.c")
      console.log(t.sent, String(token), token)
    }).pipe(Effect.provide(TestLayer)))
})
