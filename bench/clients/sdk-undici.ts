/** The SDK on `NodeHttpClient.layerUndici` (the `undici` package's pooled dispatcher). */
import { Transport } from "@acs-identity/sdk"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import { makeWith } from "./sdk.js"

/** The SDK on undici. */
export const make = makeWith(Transport.layerHttpClient.pipe(Layer.provide(NodeHttpClient.layerUndici)))
