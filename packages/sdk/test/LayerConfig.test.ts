import { assert, describe, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import {
  CommunicationIdentityClient,
  connectionStringConfig,
  defaultConnectionStringVariable,
  type Transport
} from "../src/index.js"
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
      const bad = yield* build({ COMMUNICATION_CONNECTION_STRING: `accesskey=${key}` })
      assert.strictEqual(bad._tag, "InvalidConnectionStringError")
      assert.notInclude(String(bad), key)
    }))

  it.effect("a missing connection string says it is not set and how to set it, not \"<redacted>\"", () =>
    Effect.gen(function*() {
      const build = (layer: Layer.Layer<CommunicationIdentityClient, unknown, Transport.Transport>) =>
        Layer.build(layer.pipe(Layer.provide(ScriptedTransport.layer), Layer.provide(withEnvironment({})))).pipe(
          Effect.scoped,
          Effect.flip
        )
      const missing = yield* build(CommunicationIdentityClient.layerConfig())
      assert.isTrue(ConfigError.isConfigError(missing))
      const message = String(missing)
      assert.include(message, "COMMUNICATION_CONNECTION_STRING is not set")
      assert.include(
        message,
        "COMMUNICATION_CONNECTION_STRING=\"endpoint=https://<resource>.communication.azure.com/;accesskey=<key>\""
      )
      assert.notInclude(message, "<redacted>")
      const named = yield* build(
        CommunicationIdentityClient.layerConfig({ connectionString: connectionStringConfig("ACS_CONNECTION") })
      )
      assert.include(String(named), "ACS_CONNECTION is not set")
    }))

  it.effect("a value that is set stays Redacted and out of every error", () =>
    Effect.gen(function*() {
      const value = `endpoint=https://contoso.communication.azure.com/;accesskey=${key}`
      const read = yield* Effect.withConfigProvider(
        connectionStringConfig(),
        ConfigProvider.fromMap(new Map([[defaultConnectionStringVariable, value]]))
      )
      assert.isTrue(Redacted.isRedacted(read))
      assert.strictEqual(Redacted.value(read), value)
      assert.notInclude(String(read), key)
    }))

  it.effect("built eagerly with ManagedRuntime (as the README shows), a missing setting fails at start-up", () =>
    Effect.gen(function*() {
      const runtime = ManagedRuntime.make(
        CommunicationIdentityClient.layerConfig().pipe(
          Layer.provide(ScriptedTransport.layer),
          Layer.provide(withEnvironment({}))
        )
      )
      const startUp = yield* Effect.flip(runtime.runtimeEffect)
      yield* runtime.disposeEffect
      assert.isTrue(ConfigError.isConfigError(startUp), String(startUp))
      assert.include(String(startUp), "is not set")
    }))
})
