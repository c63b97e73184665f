/**
 * The conformance suite from `@acs-identity/sdk/testing`, run by vitest in the consumer project with
 * its defaults, as the README presents it: over `InMemoryIdentity.layer()` and over the stateful mock
 * from `MockServer.layerStateful()`, on the default api-version and on the preview.
 */
import { MockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { Conformance, InMemoryIdentity } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import { describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"

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
})
