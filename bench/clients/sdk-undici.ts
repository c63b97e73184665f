/** The SDK on `NodeHttpClient.layerUndici` (the `undici` package's pooled dispatcher). */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeWith } from "./sdk.js"

/** The SDK on undici. */
export const make = makeWith(NodeHttpClient.layerUndici)
