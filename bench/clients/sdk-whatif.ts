/**
 * The SDK on the lean transport, built with the what-if internals of bench/whatif (a bounded
 * `arrayBuffer` read for sized bodies, one timer per attempt, node:crypto HMAC) swapped in by the
 * bench build. It measures the changes proposed to the SDK; it is not the shipped SDK.
 */
import { NodeTransport } from "@acs-identity/transport-node"
import { makeWith } from "./sdk.js"

/** The patched SDK on the lean transport. */
export const make = makeWith(NodeTransport.layer)
