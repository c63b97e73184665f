/**
 * `tsx bench/profile.ts [client] [ops] [concurrency]`: runs one client worker under `--cpu-prof`
 * against the stub and prints where its CPU time goes. Profiles land in bench/build/profiles.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { buildPrograms, clientModule, type ClientName, outDir } from "./build.js"
import { startStub } from "./processes.js"
import { summarize } from "./profile-summary.js"

const [name = "sdk-lean", ops = "20000", concurrency = "1"] = process.argv.slice(2)
const dir = Path.join(outDir, "profiles", name)

await buildPrograms()
Fs.rmSync(dir, { recursive: true, force: true })
const stub = await startStub()
await new Promise<void>((resolve, reject) => {
  const child = ChildProcess.spawn(process.execPath, [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    "--cpu-prof-interval=200",
    Path.join(outDir, "profile-worker.mjs"),
    clientModule(name as ClientName),
    stub.endpoint,
    ops,
    concurrency
  ], { stdio: "inherit" })
  child.once("exit", (code) => code === 0 ? resolve() : reject(new Error(`profiled worker exited with ${code}`)))
})
stub.stop()
const file = Path.join(dir, Fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!)
const summary = summarize(file)
const print = (title: string, rows: ReadonlyArray<{ readonly label: string; readonly percent: number }>) => {
  console.log(`\n${title}`)
  for (const row of rows) console.log(`${row.percent.toFixed(1).padStart(6)}%  ${row.label}`)
}
console.log(`${name}: ${summary.busySamples} busy samples (${file})`)
print("self time by file", summary.files)
print("self time by function", summary.self)
print("inclusive time by function", summary.inclusive)
