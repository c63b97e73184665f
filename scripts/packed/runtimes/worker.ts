/**
 * The scenario's entry on Cloudflare workerd, bundled by esbuild as a user would bundle a Worker
 * (no `nodejs_compat`): a module Worker that runs the scenario over the Worker's fetch for the
 * input POSTed to it and answers the JSON report.
 */
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { runScenario, type ScenarioInput } from "./scenario.ts"

export default {
  async fetch(request: Request): Promise<Response> {
    const runtime = `workerd (${navigator.userAgent})`
    const input = await request.json() as ScenarioInput
    try {
      const checks = await runScenario(input, [
        ["fetch", HttpClientTransport.layerFetch],
        ["FetchTransport", FetchTransport.layer]
      ])
      return Response.json({ runtime, checks })
    } catch (error) {
      return Response.json({ runtime, error: String(error) })
    }
  }
}
