/** The SDK on `NodeHttpClient` over `node:http` with a keep-alive agent. */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { makeWith } from "./sdk.js"

/** The SDK on NodeHttpClient with keep-alive. */
export const make = makeWith(
  HttpClientTransport.layer.pipe(
    Layer.provide(NodeHttpClient.layerWithoutAgent),
    Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true }))
  )
)
