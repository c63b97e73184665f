/**
 * `tsx bench/cold-ab.ts <other bench/build> [runs] [clients]`: cold start of two checkouts side by
 * side, for an A/B of a change. Each run starts every client (`clients`, default
 * `sdk-lean,schema-floor,official`) from both checkouts' `bench/build` (the other's given, this
 * one's), from `node_modules` and bundled, alternating which checkout goes first, all against one
 * stub; prints the median wall time and phases. Build both first: `npm run build` in each checkout,
 * then `npm run bench` or `buildPrograms()` of `bench/build.ts` there.
 */
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { outDir } from "./build.js"
import type { ColdPhases } from "./processes.js"
import { startStub } from "./processes.js"
import { median } from "./stats.js"

const [other, runs = "15", names = "sdk-lean,schema-floor,official"] = process.argv.slice(2)
if (other === undefined) throw new Error("usage: tsx bench/cold-ab.ts <other checkout's bench/build> [runs] [clients]")
const checkouts = [["other", Path.resolve(other)], ["this", outDir]] as const
const stub = await startStub()

const coldStart = (dir: string, client: string, bundled: boolean) =>
  new Promise<ColdPhases & { readonly ms: number }>((done, fail) => {
    const start = process.hrtime.bigint()
    const module = Path.join(dir, bundled ? "clients-bundled" : "clients", `${client}.mjs`)
    const child = ChildProcess.spawn(process.execPath, [Path.join(dir, "cold.mjs"), module, stub.endpoint], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      if (!out.includes("\n")) return
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      child.once("exit", () => done({ ms, ...JSON.parse(out) as ColdPhases }))
    })
    child.once("error", fail)
  })

const samples = new Map<string, Array<ColdPhases & { readonly ms: number }>>()
for (let run = 0; run < Number(runs); run++) {
  for (const [name, dir] of run % 2 === 0 ? checkouts : [...checkouts].reverse()) {
    for (const client of names.split(",")) {
      for (const bundled of [false, true]) {
        const key = `${name} ${client}${bundled ? " bundled" : ""}`
        samples.set(key, [...samples.get(key) ?? [], await coldStart(dir, client, bundled)])
      }
    }
  }
}
stub.stop()
for (const [key, xs] of [...samples].sort(([a], [b]) => a.localeCompare(b))) {
  const m = (f: (x: ColdPhases & { readonly ms: number }) => number) => median(xs.map(f)).toFixed(1)
  console.log(
    `${key.padEnd(28)} wall ${m((x) => x.ms)}  import ${m((x) => x.importMs)}  build ${m((x) => x.buildMs)}  first ${
      m((x) => x.firstCallMs)
    }`
  )
}
