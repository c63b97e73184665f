/** The SDK on `FetchTransport.layer`: the global `fetch` (undici inside Node 20) with no `@effect/platform`. */
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import { makeWith } from "./sdk.js"

/** The SDK straight on fetch. */
export const make = makeWith(FetchTransport.layer)
