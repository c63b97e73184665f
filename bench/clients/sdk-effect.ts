/** The SDK on the lean transport, called from inside an Effect program rather than per-call promises. */
import { NodeTransport } from "@acs-identity/transport-node"
import { makeWith } from "./sdk.js"

/** The SDK on the lean transport, driven by `Effect.forEach`. */
export const make = makeWith(NodeTransport.layer, true)
