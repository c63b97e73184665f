/** The SDK on the lean transport under an OpenTelemetry tracer (see `bench/tracing.ts`). */
import { NodeTransport } from "@acs-identity/transport-node"
import { openTelemetry } from "../tracing.js"
import { makeWith } from "./sdk.js"

/** The SDK on the lean transport, traced. */
export const make = makeWith(NodeTransport.layer, false, openTelemetry)
