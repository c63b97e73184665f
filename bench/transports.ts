/**
 * `tsx bench/transports.ts [calls] [rounds]` (after a build): the transports alone, without the SDK —
 * one signed-looking POST and its body read per call, sequentially, in this process, interleaved over
 * rounds. Each platform `HttpClient` is measured on its own and through `HttpClientTransport`
 * (`fromHttpClient`), next to `transport-node`, Node's own `fetch` and the two raw floors (which also
 * sign and parse), so what a transport costs
 * is told apart from what the adapter and the SDK cost.
 */
import { Transport } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { NodeTransport } from "@acs-identity/transport-node"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { make as makeRawSocket } from "./clients/raw-socket.js"
import { make as makeRaw } from "./clients/raw.js"
import { apiVersion, userId } from "./config.js"
import { startStub } from "./processes.js"
import { median, num, ratio, table } from "./stats.js"

const calls = Number(process.argv[2] ?? 3000)
const rounds = Number(process.argv[3] ?? 3)

const platformClients: Record<string, Layer.Layer<HttpClient.HttpClient>> = {
  "FetchHttpClient.layer": FetchHttpClient.layer,
  "NodeHttpClient.layerUndici": NodeHttpClient.layerUndici,
  "NodeHttpClient + keep-alive agent": NodeHttpClient.layerWithoutAgent.pipe(
    Layer.provide(NodeHttpClient.makeAgentLayer({ keepAlive: true }))
  )
}

const stub = await startStub()
const origin = new URL(stub.endpoint)
const path = `/identities/${encodeURIComponent(userId)}/:issueAccessToken?api-version=${apiVersion}`
const headers = { "x-ms-date": new Date().toUTCString(), authorization: "HMAC-SHA256 x" }
const payload = { scopes: ["chat"], expiresInMinutes: 60 }
const request = HttpClientRequest.post(new URL(path, origin).href).pipe(
  HttpClientRequest.setHeaders(headers),
  HttpClientRequest.bodyUnsafeJson(payload)
)
const platformCall = Effect.flatMap(
  HttpClient.HttpClient,
  (client) => Effect.flatMap(client.execute(request), (r) => r.text)
)
const body = new TextEncoder().encode(JSON.stringify(payload))
const transportRequest: Transport.TransportRequest = {
  method: "POST",
  origin,
  path,
  headers: { ...headers, "content-type": "application/json", "content-length": String(body.length) },
  body,
  timeoutMillis: 30_000,
  maxBodyBytes: 1 << 20
}

const runners = new Map<string, () => Promise<unknown>>()
const raw = await makeRaw(stub.endpoint)
const rawSocket = await makeRawSocket(stub.endpoint)
runners.set("raw node:http (reference)", raw.getToken)
runners.set("raw net.Socket (reference)", rawSocket.getToken)
runners.set(
  "globalThis.fetch, no Effect (reference)",
  () =>
    fetch(new URL(path, origin), {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body,
      redirect: "manual"
    }).then(
      (response) => response.arrayBuffer()
    )
)
const runtimes: Array<{ readonly dispose: () => Promise<void> }> = []
const viaTransport = (name: string, layer: Layer.Layer<Transport.Transport>) => {
  const runtime = ManagedRuntime.make(layer)
  runtimes.push(runtime)
  const service = runtime.runSync(Transport.Transport)
  runners.set(name, () => runtime.runPromise(service.send(transportRequest)))
}
for (const [name, layer] of Object.entries(platformClients)) {
  const runtime = ManagedRuntime.make(layer)
  runtimes.push(runtime)
  runners.set(`${name} alone`, () => runtime.runPromise(platformCall))
  viaTransport(`${name} through fromHttpClient`, HttpClientTransport.layer.pipe(Layer.provide(layer)))
}
viaTransport("transport-node", NodeTransport.layer)

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
  ["transport (no SDK), sequential", "ops/s", "vs raw node:http", "CPU µs/call"],
  [...results].map(([name, r]) => [name, num(median(r.ops)), ratio(median(r.ops), floor), num(median(r.cpu))])
))
await Promise.all([raw.close(), rawSocket.close(), ...runtimes.map((runtime) => runtime.dispose())])
process.exit(0)
