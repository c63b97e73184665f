/** The conformance suite from `@acs-identity/sdk/testing`, run by vitest in the consumer project. */
import { StatefulServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { Conformance, InMemoryIdentity } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import { describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"

const teamsTokens = [Conformance.exampleTeamsUser]

describe("conformance from the packed packages", () => {
  layer(InMemoryIdentity.layer({ teamsTokens }))("in memory", (it) => {
    Conformance.register(it)
  })

  const overStateful = Layer.unwrapEffect(
    Effect.map(
      StatefulServer.StatefulMockServer,
      (server) => CommunicationIdentityClient.fromConnectionString(server.connectionString)
    )
  ).pipe(
    Layer.provide(NodeTransport.layer),
    Layer.provideMerge(StatefulServer.StatefulMockServer.layer({ teamsTokens }))
  )
  layer(overStateful, { excludeTestServices: true })("stateful mock", (it) => {
    Conformance.register(it)
  })
})
