import { assert, describe, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Effect, Layer } from "effect"
import { CommunicationIdentityClient } from "../src/index.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="

const withEnvironment = (values: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(values))))

describe("CommunicationIdentityClient.layerConfig", () => {
  it.effect("reads COMMUNICATION_CONNECTION_STRING and signs with its key", () =>
    Effect.gen(function*() {
      const t = yield* ScriptedTransport
      const client = yield* CommunicationIdentityClient
      t.reply({ status: 204 })
      yield* client.deleteUser({ communicationUserId: "8:acs:r_u" })
      assert.strictEqual(
        t.sent[0]!.url,
        "https://contoso.communication.azure.com/identities/8%3Aacs%3Ar_u?api-version=2023-10-01"
      )
      assert.match(t.sent[0]!.headers["authorization"]!, /^HMAC-SHA256 /)
    }).pipe(
      Effect.provide(
        CommunicationIdentityClient.layerConfig({ apiVersion: "2023-10-01" }).pipe(
          Layer.provideMerge(ScriptedTransport.layer),
          Layer.provide(
            withEnvironment({
              COMMUNICATION_CONNECTION_STRING: `endpoint=https://contoso.communication.azure.com/;accesskey=${key}`
            })
          )
        )
      )
    ))

  it.effect("a missing variable is a ConfigError; a bad one an InvalidConnectionStringError without the key", () =>
    Effect.gen(function*() {
      const build = (values: Record<string, string>) =>
        Layer.build(
          CommunicationIdentityClient.layerConfig().pipe(
            Layer.provide(ScriptedTransport.layer),
            Layer.provide(withEnvironment(values))
          )
        ).pipe(Effect.scoped, Effect.flip)
      const missing = yield* build({})
      assert.isTrue(ConfigError.isConfigError(missing))
      assert.include(String(missing), "COMMUNICATION_CONNECTION_STRING")
      const bad = yield* build({ COMMUNICATION_CONNECTION_STRING: `accesskey=${key}` })
      assert.strictEqual(bad._tag, "InvalidConnectionStringError")
      assert.notInclude(String(bad), key)
    }))
})
