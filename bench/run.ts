/**
 * `npm run bench`: builds the programs, starts the stub server in its own process and one worker
 * process per client, then measures the clients interleaved (round-robin, one at a time, in a new
 * order each round): getToken throughput sequentially and at concurrency 64, CPU time per call,
 * heap growth over many calls, cold start and bundle size. Prints markdown tables with ratios
 * against the official client and the raw floor, all measured in this run, and writes them to
 * bench/results/latest.md.
 *
 * Flags: --rounds 5 --seconds 1.5 (per measurement) --min-ops 200 --warmup-ops 3000 --mem-ops 100000 --mem-rounds 3
 *        --cold-runs 7 --clients raw,official,sdk-lean,... --mem-clients raw,official,sdk-lean
 *        --cold-floors effect-floor,schema-floor (cold-start references; "" for none)
 *        --out bench/results/latest.md
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { benchDir, buildPrograms, clientModule, type ClientName, clients, coldFloors, throughputOnly } from "./build.js"
import { type ColdPhases, coldStart, startStub, startWorker, type Worker } from "./processes.js"
import { measureBundles, measureMarginal } from "./size.js"
import { kib, median, num, ratio, table } from "./stats.js"

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "1.5" },
    "min-ops": { type: "string", default: "200" },
    "warmup-ops": { type: "string", default: "3000" },
    "max-ops": { type: "string", default: "100000" },
    "mem-ops": { type: "string", default: "100000" },
    "mem-rounds": { type: "string", default: "3" },
    "cold-runs": { type: "string", default: "7" },
    clients: { type: "string", default: Object.keys(clients).join(",") },
    "cold-floors": { type: "string", default: Object.keys(coldFloors).join(",") },
    "mem-clients": { type: "string", default: "raw,official,sdk-lean" },
    out: { type: "string", default: Path.join(benchDir, "results", "latest.md") }
  }
})
const rounds = Number(flags.rounds)
const seconds = Number(flags.seconds)
const minOps = Number(flags["min-ops"])
const warmupOps = Number(flags["warmup-ops"])
const maxOps = Number(flags["max-ops"])
const memOps = Number(flags["mem-ops"])
const memRounds = Number(flags["mem-rounds"])
const coldRuns = Number(flags["cold-runs"])
const names = flags.clients.split(",") as Array<ClientName>
/** Every client measured for cold start: the clients, then the Effect and Schema references. */
const coldNames = [
  ...names.filter((name) => !throughputOnly.has(name)),
  ...flags["cold-floors"].split(",").filter((n) => n !== "") as Array<ClientName>
]
const memNames = flags["mem-clients"].split(",").filter((n) => names.includes(n as ClientName)) as Array<ClientName>
const concurrency = 64

const describeClient: Record<ClientName, string> = {
  raw: "raw floor (node:http keep-alive + node:crypto)",
  "raw-socket": "socket floor (HTTP/1.1 on net.Socket keep-alive + node:crypto)",
  official: "official @azure/communication-identity 1.3.1",
  "sdk-fetch": "SDK + HttpClientTransport.layerFetch (fromHttpClient)",
  "sdk-fetch-direct": "SDK + FetchTransport (fetch, no platform)",
  "sdk-undici": "SDK + NodeHttpClient.layerUndici (fromHttpClient)",
  "sdk-node": "SDK + NodeHttpClient keep-alive agent (fromHttpClient)",
  "sdk-lean": "SDK + @acs-identity/transport-node",
  "sdk-effect": "SDK + transport-node, called inside Effect",
  "sdk-otel": "SDK + transport-node under an OpenTelemetry tracer (BatchSpanProcessor)",
  "effect-floor": "reference: the floor run by Effect",
  "schema-floor": "reference: the floor run by Effect, checked by Schema"
}

const log = (message: string) => process.stderr.write(`${message}\n`)

/** Heap growth over the second batch of calls: "yes" under 1 KiB per 1,000 calls, else the growth per call. */
const flatness = (growth: number | undefined): string =>
  growth === undefined ? "–" : growth < memOps * 1.024 ? "yes" : `no (${(growth / memOps).toFixed(0)} B/call)`

/** Runs another engineer's credential-size script and returns its output (a markdown table). */
const runCredentialSize = (script: string): string => {
  const result = ChildProcess.spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" })
  return result.status === 0 ? result.stdout.trim() : `(bench/credential-size.ts failed: ${result.stderr.trim()})`
}

/** Rotates `list` by `by` so every client gets every position over the rounds. */
const rotate = <A>(list: ReadonlyArray<A>, by: number): Array<A> => list.map((_, i) => list[(i + by) % list.length]!)

interface Samples {
  seqOps: Array<number>
  seqCpu: Array<number>
  concOps: Array<number>
  concCpu: Array<number>
  growth: Array<number>
  cold: Array<number>
  coldBundled: Array<number>
}

/** The phases of each cold start, by loading mode. */
interface PhaseSamples {
  readonly nodeModules: Array<ColdPhases>
  readonly bundled: Array<ColdPhases>
}

const samples = new Map<ClientName, Samples>([...new Set([...names, ...coldNames])].map((name) => [name, {
  seqOps: [],
  seqCpu: [],
  concOps: [],
  concCpu: [],
  growth: [],
  cold: [],
  coldBundled: []
}]))
const phaseSamples = new Map<ClientName, PhaseSamples>(
  coldNames.map((name) => [name, { nodeModules: [], bundled: [] }])
)

/** Ops for a measurement of about `seconds`, from a rate seen in warm-up. */
const opsFor = (rate: number) => Math.max(minOps, Math.min(maxOps, Math.round(rate * seconds)))

const throughput = async (endpoint: string) => {
  const workers = new Map<ClientName, Worker>()
  for (const name of names) workers.set(name, await startWorker(clientModule(name), endpoint))
  const rates = new Map<ClientName, { seq: number; conc: number }>()
  for (const [name, worker] of workers) {
    // Warm the JIT up on both paths first, so no client is measured while still compiling.
    await worker.run(warmupOps, 1)
    await worker.run(warmupOps, concurrency)
    const seq = await worker.run(minOps, 1)
    const conc = await worker.run(minOps, concurrency)
    rates.set(name, { seq: (seq.ops / seq.wallMs) * 1000, conc: (conc.ops / conc.wallMs) * 1000 })
  }
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}/${rounds}`)
    for (const name of rotate(names, round)) {
      const worker = workers.get(name)!
      const rate = rates.get(name)!
      const s = samples.get(name)!
      const seq = await worker.run(opsFor(rate.seq), 1)
      s.seqOps.push((seq.ops / seq.wallMs) * 1000)
      s.seqCpu.push(seq.cpuMicros / seq.ops)
      const conc = await worker.run(opsFor(rate.conc), concurrency)
      s.concOps.push((conc.ops / conc.wallMs) * 1000)
      s.concCpu.push(conc.cpuMicros / conc.ops)
    }
  }
  for (let round = 0; round < memRounds; round++) {
    for (const name of rotate(memNames, round)) {
      log(`memory ${name} ${round + 1}/${memRounds}`)
      // The first batch warms caches and pools; the second, equally long, shows growth per call.
      if (round === 0) await workers.get(name)!.memory(memOps, concurrency)
      const result = await workers.get(name)!.memory(memOps, concurrency)
      samples.get(name)!.growth.push(result.heapAfter - result.heapBefore)
    }
  }
  for (const worker of workers.values()) await worker.exit()
}

const coldStarts = async (endpoint: string) => {
  for (let run = 0; run < coldRuns; run++) {
    log(`cold start ${run + 1}/${coldRuns}`)
    for (const name of rotate(coldNames, run)) {
      const fromModules = await coldStart(clientModule(name), endpoint)
      const bundled = await coldStart(clientModule(name, true), endpoint)
      samples.get(name)!.cold.push(fromModules.ms)
      samples.get(name)!.coldBundled.push(bundled.ms)
      phaseSamples.get(name)!.nodeModules.push(fromModules.phases)
      phaseSamples.get(name)!.bundled.push(bundled.phases)
    }
  }
}

const machine = () => {
  const cpu = Os.cpus()[0]?.model ?? "unknown CPU"
  return `${Os.cpus().length} × ${cpu}, ${
    Math.round(Os.totalmem() / 2 ** 30)
  } GiB, Node ${process.version}, ${Os.platform()} ${Os.release()}`
}

const report = async (): Promise<string> => {
  const m = (name: ClientName, key: keyof Samples) => {
    const values = samples.get(name)?.[key]
    return values === undefined || values.length === 0 ? undefined : median(values)
  }
  const has = (name: ClientName) => names.includes(name)
  /** A client's figure for `key`, then its ratios to the official client and to the floor. */
  const withRatios = (name: ClientName, key: keyof Samples, digits?: number) => {
    const value = m(name, key)
    return [
      num(value, digits),
      ratio(value, has("official") ? m("official", key) : undefined),
      ratio(value, has("raw") ? m("raw", key) : undefined)
    ]
  }
  const throughputTable = table(
    ["client", "seq ops/s", "vs official", "vs floor", "c64 ops/s", "vs official", "vs floor"],
    names.map((name) => [describeClient[name], ...withRatios(name, "seqOps"), ...withRatios(name, "concOps")])
  )
  const cpuTable = table(
    [
      "client",
      "CPU µs/op seq",
      "vs official",
      "vs floor",
      "CPU µs/op c64",
      "vs official",
      "vs floor",
      `heap growth / ${num(memOps)} ops`,
      "flat?"
    ],
    names.map((name) => [
      describeClient[name],
      ...withRatios(name, "seqCpu"),
      ...withRatios(name, "concCpu"),
      memNames.includes(name) ? kib(m(name, "growth")) : "–",
      memNames.includes(name) ? flatness(m(name, "growth")) : "–"
    ])
  )
  /** What tracing costs: the SDK under an OpenTelemetry tracer against the same SDK under Effect's built-in one. */
  const more = (key: keyof Samples) => {
    const traced = m("sdk-otel", key)
    const plain = m("sdk-lean", key)
    return traced === undefined || plain === undefined ? undefined : traced - plain
  }
  const tracingCost = has("sdk-otel") && has("sdk-lean")
    ? [
      "",
      "Tracing: under an OpenTelemetry tracer (spans made, batched and exported) the SDK spends " +
      `${num(more("seqCpu"), 1)} µs more CPU per call ` +
      `sequentially and ${num(more("concCpu"), 1)} µs at c64 ` +
      `than under Effect's built-in tracer (${ratio(m("sdk-otel", "seqCpu"), m("sdk-lean", "seqCpu"))} / ` +
      `${ratio(m("sdk-otel", "concCpu"), m("sdk-lean", "concCpu"))}); throughput ` +
      `${ratio(m("sdk-otel", "seqOps"), m("sdk-lean", "seqOps"))} / ${
        ratio(m("sdk-otel", "concOps"), m("sdk-lean", "concOps"))
      }.`
    ]
    : []
  const coldTable = table(
    [
      "client",
      "cold start ms (node_modules)",
      "vs official",
      "vs floor",
      "cold start ms (one bundle)",
      "vs official",
      "vs floor"
    ],
    coldNames.map((
      name
    ) => [describeClient[name], ...withRatios(name, "cold", 1), ...withRatios(name, "coldBundled", 1)])
  )
  const phaseTable = table(
    ["client", "loaded from", "Node start + harness", "import", "build client", "first getToken"],
    coldNames.flatMap((name) =>
      (["nodeModules", "bundled"] as const).flatMap((mode) => {
        const runs = phaseSamples.get(name)![mode]
        const phase = (key: keyof ColdPhases) => num(median(runs.map((run) => run[key])), 1)
        return runs.length === 0 ? [] : [[
          describeClient[name],
          mode === "bundled" ? "one bundle" : "node_modules",
          phase("bootMs"),
          phase("importMs"),
          phase("buildMs"),
          phase("firstCallMs")
        ]]
      })
    )
  )
  const bundles = await measureBundles()
  const official = (platform: string) => bundles.find((b) => b.program === "official" && b.platform === platform)
  const sizeTable = table(
    ["program (create user + get token)", "platform", "minified", "gzip", "gzip vs official"],
    bundles.map((
      b
    ) => [b.program, b.platform, kib(b.bytes), kib(b.gzipBytes), ratio(b.gzipBytes, official(b.platform)?.gzipBytes)])
  )
  const marginal = await measureMarginal()
  const marginalTable = table(
    [
      "added to an Effect app (effect + Schema + fetch HttpClient, retry, span)",
      "app alone gzip",
      "with SDK gzip",
      "marginal gzip"
    ],
    marginal.map((row) => [
      row.program === "effect-app-sdk"
        ? "the SDK, on the app's FetchHttpClient"
        : "the SDK + @acs-identity/transport-node",
      kib(row.baselineGzip),
      kib(row.withGzip),
      kib(row.marginalGzip)
    ])
  )
  const credentialScript = Path.join(benchDir, "credential-size.ts")
  const credentialSizes = Fs.existsSync(credentialScript)
    ? ["", "### Credential sizes (bench/credential-size.ts)", "", runCredentialSize(credentialScript)]
    : []
  return [
    `Machine: ${machine()}`,
    `Settings: ${rounds} interleaved rounds of ~${seconds} s per measurement, concurrency ${concurrency}; ` +
    `memory: ${memRounds} rounds of ${
      num(memOps)
    } calls at c${concurrency}; cold start: ${coldRuns} runs. Figures are medians.`,
    "",
    "### getToken throughput",
    "",
    throughputTable,
    "",
    "### CPU time per call (client process) and heap growth (heapUsed after GC, end − start)",
    "",
    cpuTable,
    ...tracingCost,
    "",
    "### Cold start: process spawn to first getToken response",
    "",
    coldTable,
    "",
    "Where it goes (ms, medians of each phase, as the cold-start program measured them):",
    "",
    phaseTable,
    "",
    "### Bundle size (esbuild --minify, gzip -9)",
    "",
    sizeTable,
    "",
    "### Marginal bundle size for an Effect application (esbuild --minify, gzip -9, node)",
    "",
    marginalTable,
    ...credentialSizes
  ].join("\n")
}

log("building programs")
await buildPrograms()
const stub = await startStub()
try {
  await throughput(stub.endpoint)
  if (coldRuns > 0) await coldStarts(stub.endpoint)
} finally {
  stub.stop()
}
const text = await report()
console.log(text)
Fs.mkdirSync(Path.dirname(flags.out), { recursive: true })
Fs.writeFileSync(flags.out, `${text}\n`)
