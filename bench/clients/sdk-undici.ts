/** The SDK on `NodeHttpClient.layerUndici` (the `undici` package's pooled dispatcher). */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { makeWith } from "./sdk.js"

/** The SDK on undici. */
export const make = makeWith(HttpClientTransport.layer.pipe(Layer.provide(NodeHttpClient.layerUndici)))
