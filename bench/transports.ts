/**
 * `tsx bench/transports.ts [calls] [rounds]` (after a build): the transports alone, without the SDK —
 * one signed-looking POST and a text read per call through each `HttpClient`, sequentially, in
 * this process, interleaved over rounds. Isolates what a transport costs from what the SDK costs.
 */
import { NodeTransport } from "@acs-identity/transport-node"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { make as makeRaw } from "./clients/raw.js"
import { apiVersion, userId } from "./config.js"
import { startStub } from "./processes.js"
import { median, num, ratio, table } from "./stats.js"

const calls = Number(process.argv[2] ?? 3000)
const rounds = Number(process.argv[3] ?? 3)

const transports = {
  "FetchHttpClient.layer": FetchHttpClient.layer,
  "NodeHttpClient.layerUndici": NodeHttpClient.layerUndici,
  "NodeHttpClient + keep-alive agent": NodeHttpClient.layerWithoutAgent.pipe(
    Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true }))
  ),
  "transport-node (lean)": NodeTransport.layer
} as const

const stub = await startStub()
const url = `${stub.endpoint}/identities/${encodeURIComponent(userId)}/:issueAccessToken?api-version=${apiVersion}`
const request = HttpClientRequest.post(url).pipe(
  HttpClientRequest.setHeaders({ "x-ms-date": new Date().toUTCString(), authorization: "HMAC-SHA256 x" }),
  HttpClientRequest.bodyUnsafeJson({ scopes: ["chat"], expiresInMinutes: 60 })
)
const call = Effect.flatMap(HttpClient.HttpClient, (client) => Effect.flatMap(client.execute(request), (r) => r.text))

const runners = new Map<string, () => Promise<unknown>>()
const raw = await makeRaw(stub.endpoint)
runners.set("raw node:http (reference)", raw.getToken)
for (const [name, layer] of Object.entries(transports)) {
  const runtime = ManagedRuntime.make(layer as Layer.Layer<HttpClient.HttpClient>)
  runners.set(name, () => runtime.runPromise(call))
  runners.set(`${name}, tracer off`, () => runtime.runPromise(Effect.withTracerEnabled(call, false)))
}

const results = new Map<string, { ops: Array<number>; cpu: Array<number> }>()
for (const [name, run] of runners) {
  for (let i = 0; i < 500; i++) await run()
  results.set(name, { ops: [], cpu: [] })
}
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of runners) {
    const cpu = process.cpuUsage()
    const start = performance.now()
    for (let i = 0; i < calls; i++) await run()
    const wall = performance.now() - start
    const used = process.cpuUsage(cpu)
    results.get(name)!.ops.push((calls / wall) * 1000)
    results.get(name)!.cpu.push((used.user + used.system) / calls)
  }
}
stub.stop()
const floor = median(results.get("raw node:http (reference)")!.ops)
console.log(table(
  ["transport (no SDK), sequential", "ops/s", "vs raw", "CPU µs/call"],
  [...results].map(([name, r]) => [name, num(median(r.ops)), ratio(median(r.ops), floor), num(median(r.cpu))])
))
await raw.close()
process.exit(0)
