/**
 * The conformance suite from `@acs-identity/sdk/testing`, run by vitest in the consumer project with
 * its defaults, as the README presents it: over `InMemoryIdentity.layer()` and over the stateful mock
 * from `MockServer.layerStateful()`, on the default api-version and on the preview. Then the
 * `TelemetryRecorder` over the stateful mock, as an application's secret-hygiene test would use it.
 */
import { MockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { Conformance, InMemoryIdentity, TelemetryRecorder } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"

const overStateful = (apiVersion?: "2025-03-02-preview") =>
  Layer.unwrapEffect(
    Effect.map(
      MockServer,
      (server) => CommunicationIdentityClient.fromConnectionString(server.connectionString, { apiVersion })
    )
  ).pipe(Layer.provide(NodeTransport.layer), Layer.provide(MockServer.layerStateful()))

describe("conformance from the packed packages", () => {
  layer(InMemoryIdentity.layer())("in memory", (it) => {
    Conformance.register(it)
  })
  layer(InMemoryIdentity.layer({ apiVersion: "2025-03-02-preview" }))("in memory, preview", (it) => {
    Conformance.register(it, { apiVersion: "2025-03-02-preview" })
  })
  layer(overStateful(), { excludeTestServices: true })("stateful mock", (it) => {
    Conformance.register(it)
  })
  layer(overStateful("2025-03-02-preview"), { excludeTestServices: true })("stateful mock, preview", (it) => {
    Conformance.register(it, { apiVersion: "2025-03-02-preview" })
  })
  layer(overStateful(), { excludeTestServices: true })("telemetry", (it) => {
    it.effect("the recorder sees the operation's span and its request id, and never the issued token", () =>
      Effect.gen(function*() {
        const lines: Array<string> = []
        const issued = yield* Effect.flatMap(
          CommunicationIdentityClient,
          (client) => client.createUserAndToken(["chat"])
        )
          .pipe(Effect.provide(TelemetryRecorder.layer(lines)))
        const span = lines.find((line) => line.startsWith("span CommunicationIdentityClient.createUserAndToken"))
        assert.match(span ?? "no span recorded", /"az\.client_request_id":"[0-9a-f-]{36}"/)
        assert.notInclude(lines.join("\n"), Redacted.value(issued.token))
      }))
  })
})
