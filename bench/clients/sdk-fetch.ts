/** The SDK on `HttpClientTransport.layerFetch` (global `fetch`: undici inside Node 20, through `HttpClientTransport.fromHttpClient`). */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { makeWith } from "./sdk.js"

/** The SDK on fetch. */
export const make = makeWith(HttpClientTransport.layerFetch)
