import * as ChildProcess from "node:child_process"
import * as Readline from "node:readline"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Scheduler from "effect/Scheduler"
import { make as makeRaw } from "./clients/raw.ts"
import { connectionString, expiresInMinutes, userId } from "./config.ts"
const child = ChildProcess.fork("/work/main/bench/build/stub-server.mjs", [], { stdio: ["ignore", "pipe", "inherit", "ipc"] })
const line = await new Promise<string>((r) => Readline.createInterface({ input: child.stdout! }).once("line", r))
const { port } = JSON.parse(line); const endpoint = `http://127.0.0.1:${port}`
const raw = await makeRaw(endpoint)
const runtime = ManagedRuntime.make(CommunicationIdentityClient.fromConnectionString(connectionString(endpoint)).pipe(Layer.provide(NodeTransport.layer)))
const client = await runtime.runPromise(CommunicationIdentityClient)
const user = { communicationUserId: userId }
const micro = Scheduler.make((task) => queueMicrotask(task))
const one = () => client.getToken(user, ["chat"], { expiresInMinutes })
const n = 4000
const cases: Record<string, () => Promise<unknown>> = {
  raw: async () => { for (let i = 0; i < n; i++) await raw.getToken() },
  "sdk runPromise": async () => { for (let i = 0; i < n; i++) await runtime.runPromise(one()) },
  "sdk runPromise withScheduler(microtask)": async () => { for (let i = 0; i < n; i++) await runtime.runPromise(Effect.withScheduler(one(), micro)) },
  "sdk inside one fiber": () => runtime.runPromise(Effect.forEach(Array.from({ length: n }), one, { discard: true })),
}
for (let r = 0; r < 4; r++) for (const [name, f] of Object.entries(cases)) {
  const cpu = process.cpuUsage(); const t = performance.now()
  await f()
  const u = process.cpuUsage(cpu)
  if (r > 0) console.log(name.padEnd(42), ((performance.now() - t) * 1000 / n).toFixed(1), "µs wall", ((u.user + u.system) / n).toFixed(1), "µs cpu")
}
child.kill(); process.exit(0)
