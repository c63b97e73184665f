/** The SDK on this repo's lean transport, `@acs-identity/transport-node`. */
import { NodeTransport } from "@acs-identity/transport-node"
import { makeWith } from "./sdk.js"

/** The SDK on the lean transport. */
export const make = makeWith(NodeTransport.layer)
