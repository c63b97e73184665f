/** The SDK on `FetchHttpClient.layer` (global `fetch`: undici inside Node 20). */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { makeWith } from "./sdk.js"

/** The SDK on fetch. */
export const make = makeWith(FetchHttpClient.layer)
