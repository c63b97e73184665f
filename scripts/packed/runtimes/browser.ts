/**
 * The scenario's entry in a browser page, bundled by esbuild: runs over the page's fetch (the mock
 * and the hostile servers are other origins, so every call goes through CORS) for the input in the
 * URL's fragment, and leaves the report on `window.__report` for the test to read.
 */
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { runScenario, type ScenarioInput } from "./scenario.ts"

declare global {
  interface Window {
    __report?: { readonly runtime: string; readonly checks?: unknown; readonly error?: string }
  }
}

const input = JSON.parse(decodeURIComponent(location.hash.slice(1))) as ScenarioInput
const runtime = navigator.userAgent

runScenario(input, [["fetch", HttpClientTransport.layerFetch], ["FetchTransport", FetchTransport.layer]]).then(
  (checks) => {
    window.__report = { runtime, checks }
  },
  (error: unknown) => {
    window.__report = { runtime, error: String(error) }
  }
)
