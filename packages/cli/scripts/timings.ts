/**
 * Cold start-up of `acs-identity`: runs `--help` and `token issue --mock --scope chat` as fresh
 * processes, several times each, and prints the median wall time and CPU time (user + system, of the
 * child, from /proc on Linux) per form of the executable:
 *
 * - `bundle`: the package's bin (`build/bundle/bin.js`, bundled afresh first);
 * - `modules`: the tsc output (`build/esm/bin.js`, made by `npm run build` at the root), if present;
 * - `az`: the Azure CLI, if installed: `az --help` (its `communication` commands are an extension
 *   that `az extension add` downloads, and they have no mock to issue a token against).
 *
 * Usage: `npm run timings -w @acs-identity/cli [-- --runs 5]`. On a shared machine, read the CPU
 * column: wall time includes waiting for a core.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { bundle } from "./bundle.js"

const packageDir = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } })
const runs = Number(values.runs)

/** CPU time of reaped children so far (cutime + cstime), in ms; undefined off Linux. */
const childrenCpuMs = (): number | undefined => {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const time = (command: string, args: ReadonlyArray<string>) => {
  const walls: Array<number> = []
  const cpus: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const cpuBefore = childrenCpuMs()
    const start = performance.now()
    const result = spawnSync(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" }
    })
    walls.push(performance.now() - start)
    const cpuAfter = childrenCpuMs()
    if (cpuBefore !== undefined && cpuAfter !== undefined) cpus.push(cpuAfter - cpuBefore)
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`)
  }
  return { wall: median(walls), cpu: cpus.length === 0 ? undefined : median(cpus) }
}

const rows: Array<readonly [string, string, { wall: number; cpu: number | undefined }]> = []
const node = process.execPath
const bundled = await bundle()
const forms: ReadonlyArray<readonly [string, string]> = [
  ["bundle", bundled],
  ...(existsSync(Path.join(packageDir, "build/esm/bin.js"))
    ? [["modules", Path.join(packageDir, "build/esm/bin.js")] as const]
    : [])
]
for (const [form, entry] of forms) {
  rows.push([form, "acs-identity --help", time(node, [entry, "--help"])])
  rows.push([
    form,
    "acs-identity token issue --mock --scope chat",
    time(node, [entry, "token", "issue", "--mock", "--scope", "chat"])
  ])
}
if (spawnSync("az", ["--version"], { stdio: "ignore" }).status === 0) {
  rows.push(["az", "az --help", time("az", ["--help"])])
}

console.log(`node ${process.version}, ${runs} runs each, medians\n`)
console.log("| form | command | wall ms | CPU ms |\n| --- | --- | ---: | ---: |")
for (const [form, command, { cpu, wall }] of rows) {
  console.log(`| ${form} | \`${command}\` | ${Math.round(wall)} | ${cpu === undefined ? "n/a" : Math.round(cpu)} |`)
}
