/** The SDK on `Transport.layerFetch` (global `fetch`: undici inside Node 20, through `Transport.fromHttpClient`). */
import { Transport } from "@acs-identity/sdk"
import { makeWith } from "./sdk.js"

/** The SDK on fetch. */
export const make = makeWith(Transport.layerFetch)
