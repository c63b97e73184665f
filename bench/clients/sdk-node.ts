/** The SDK on `NodeHttpClient` over `node:http` with a keep-alive agent. */
import { Transport } from "@acs-identity/sdk"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { makeWith } from "./sdk.js"

/** The SDK on NodeHttpClient with keep-alive. */
export const make = makeWith(
  Transport.layerHttpClient.pipe(
    Layer.provide(NodeHttpClient.layerWithoutAgent),
    Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true }))
  )
)
