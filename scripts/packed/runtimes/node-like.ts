/**
 * The scenario's entry on Bun and Deno: both runtimes run TypeScript and implement `node:http`, so
 * it runs over the runtime's own fetch (through the platform and as `FetchTransport`) and over `NodeTransport`. Reads the input from
 * `SCENARIO_INPUT`, prints one JSON report line, exits 1 when a check fails.
 */
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { NodeTransport } from "@acs-identity/transport-node"
import process from "node:process"
import { runScenario, type ScenarioInput } from "./scenario.ts"

const runtime = (globalThis as { Bun?: { version: string } }).Bun !== undefined
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`

const input = JSON.parse(process.env.SCENARIO_INPUT ?? "{}") as ScenarioInput

try {
  const checks = await runScenario(input, [
    ["fetch", HttpClientTransport.layerFetch],
    ["FetchTransport", FetchTransport.layer],
    ["NodeTransport", NodeTransport.layer]
  ])
  console.log(JSON.stringify({ runtime, checks }))
} catch (error) {
  console.log(JSON.stringify({ runtime, error: String(error) }))
  process.exitCode = 1
}
