/**
 * `tsx bench/alloc.ts [calls] [top]`: bytes allocated per `getToken` through `ManagedRuntime.runPromise`
 * with the in-memory `Transport` of `memory-transport.ts`, from V8's sampling heap
 * profiler with collected objects included, so it counts every allocation, not only survivors. Prints
 * the total per call, then the top functions by bytes allocated in them and in what they call.
 * Unlike CPU time, the figure hardly moves between runs on a loaded machine.
 */
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as Inspector from "node:inspector/promises"
import { userId } from "./config.js"
import { inMemoryRuntime } from "./memory-transport.js"

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly selfSize: number
  readonly children: ReadonlyArray<ProfileNode>
}

const calls = Number(process.argv[2] ?? 5000)
const top = Number(process.argv[3] ?? 40)
const runtime = inMemoryRuntime()
const client = await runtime.runPromise(CommunicationIdentityClient)
const user = { communicationUserId: userId }
const one = () => runtime.runPromise(client.getToken(user, ["chat"], { expiresInMinutes: 60 }))
for (let i = 0; i < 3000; i++) await one()

const session = new Inspector.Session()
session.connect()
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true
} as Inspector.HeapProfiler.StartSamplingParameterType)
for (let i = 0; i < calls; i++) await one()
const { profile } = await session.post("HeapProfiler.stopSampling")
session.disconnect()
await runtime.dispose()

const label = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`
const inclusive = new Map<string, number>()
const walk = (node: ProfileNode, above: ReadonlySet<string>): number => {
  const key = label(node)
  const inner = new Set(above).add(key)
  const size = node.children.reduce((sum, child) => sum + walk(child, inner), node.selfSize)
  if (!above.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + size)
  return size
}
const total = walk(profile.head as unknown as ProfileNode, new Set())
console.log(`${(total / calls / 1000).toFixed(1)} KB allocated per getToken (${calls} calls)`)
for (const [key, size] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${(size / calls).toFixed(0).padStart(8)} B  ${key}`)
}
