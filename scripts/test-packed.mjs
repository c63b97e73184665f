// `npm run test:packed`: what users install works. Packs every package (prepack builds it), lints
// each tarball with publint and attw (ESM-only profile), installs the tarballs and their registry
// dependencies into a fresh project outside the repository — with another patch of `effect` than
// the repository's, since Effect is the packages' peer dependency, and checks that the tree holds
// exactly one copy of `effect` and of `@effect/platform` — type-checks a consumer program under
// strict + exactOptionalPropertyTypes with NodeNext and with Bundler resolution, runs it against
// `acs-identity-mock` started from the installed bin in Prism and --stateful mode (and checks that
// SIGTERM stops the mock and frees its port), runs the installed `acs-identity` command, and runs
// with vitest in that project the conformance suite from `@acs-identity/sdk/testing` and the
// runtime matrix (runtimes.test.ts: Bun, Deno, workerd and Chromium, all installed from npm).
// Only the npm registry is needed.
//
// To cover a new package, add it to `packages` below (and use it in scripts/packed/).
import { execFileSync, spawn } from "node:child_process"
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const fixtures = path.join(root, "scripts/packed")

/** The published packages, by workspace folder. */
const packages = [
  { dir: "packages/sdk", name: "@acs-identity/sdk" },
  { dir: "packages/transport-node", name: "@acs-identity/transport-node" },
  { dir: "packages/mock-server", name: "@acs-identity/mock-server" },
  { dir: "packages/cli", name: "@acs-identity/cli" },
  { dir: "packages/token-credential", name: "@acs-identity/token-credential" }
]

/**
 * What the consumer project installs from the registry, at the versions this repository pins
 * (Effect and its platform packages are the packages' peer dependencies) — except `effect` itself.
 */
const registryDependencies = [
  "@effect/platform",
  "@effect/platform-node",
  "@effect/cli",
  "@effect/vitest",
  "vitest",
  "typescript",
  "@types/node",
  // the runtime matrix (runtimes.test.ts): the runtimes, and what bundles for and drives them
  "@oven/bun-linux-x64",
  "@deno/linux-x64-glibc",
  "miniflare",
  "esbuild",
  "puppeteer-core",
  "@sparticuz/chromium"
]

const started = Date.now()
const step = (title) => console.log(`\n== ${title} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
const run = (command, args, cwd, env = {}) =>
  execFileSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, ...env } })
const versionOf = (name) => JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version

/**
 * The consumer's own `effect`: another patch of the repository's minor (the newest that is not the
 * repository's), so a copy of Effect brought by one of the packages would show as a second copy.
 */
const consumerEffect = (() => {
  const ours = versionOf("effect")
  const minor = ours.split(".").slice(0, 2).join(".")
  const published = JSON.parse(execFileSync("npm", ["view", `effect@~${minor}.0`, "version", "--json"], { encoding: "utf8" }))
  const patch = (version) => Number(version.split(".")[2])
  const other = [published].flat()
    .filter((version) => version !== ours && /^\d+\.\d+\.\d+$/.test(version))
    .sort((a, b) => patch(a) - patch(b))
    .at(-1)
  if (other === undefined) throw new Error(`no published effect ${minor}.x other than ${ours}`)
  return other
})()

const work = mkdtempSync(path.join(tmpdir(), "acs-identity-packed-"))
const tarballs = path.join(work, "tarballs")
const project = path.join(work, "consumer")
mkdirSync(tarballs)
mkdirSync(project)

const children = new Set()
const cleanUp = () => {
  for (const child of children) child.kill("SIGKILL")
  if (process.env.KEEP_PACKED === undefined) rmSync(work, { recursive: true, force: true })
}
process.on("exit", cleanUp)
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130))

step("pack")
const tarballOf = {}
for (const { dir, name } of packages) {
  const before = new Set(readdirSync(tarballs))
  run("npm", ["pack", "--silent", "--pack-destination", tarballs], path.join(root, dir))
  const [file] = readdirSync(tarballs).filter((f) => !before.has(f))
  if (file === undefined) throw new Error(`npm pack produced no tarball for ${name}`)
  tarballOf[name] = path.join(tarballs, file)
}

step("tarball contents, publint and attw")
const required = [
  "package.json",
  "README.md",
  "LICENSE",
  "build/esm/index.js",
  "build/dts/index.d.ts",
  "src/index.ts",
  "docs/modules/index.ts.md"
]
const forbidden = /^(test\/|tsconfig[^/]*\.json$|vitest\.config|build\/tsbuildinfo)/
for (const [name, tarball] of Object.entries(tarballOf)) {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^package\//, ""))
  const missing = required.filter((file) => !files.includes(file))
  const extra = files.filter((file) => forbidden.test(file))
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`${name}: missing ${missing.join(", ") || "nothing"}; should not ship ${extra.join(", ") || "nothing"}`)
  }
}
// The CLI's bundle ships only what its bin loads: an earlier build's hashed chunks must not ride along.
{
  const unpacked = path.join(work, "cli-unpacked")
  mkdirSync(unpacked)
  execFileSync("tar", ["-xzf", tarballOf["@acs-identity/cli"], "-C", unpacked])
  const bundleDir = path.join(unpacked, "package", "build", "bundle")
  const reached = new Set(["bin.js"])
  const queue = ["bin.js"]
  while (queue.length > 0) {
    const text = readFileSync(path.join(bundleDir, queue.pop()), "utf8")
    for (const [, file] of text.matchAll(/["']\.\/([\w-]+\.js)["']/g)) {
      if (reached.has(file)) continue
      reached.add(file)
      queue.push(file)
    }
  }
  const stale = readdirSync(bundleDir).filter((file) => file.endsWith(".js") && !reached.has(file))
  if (stale.length > 0) throw new Error(`@acs-identity/cli ships bundle files its bin never loads: ${stale.join(", ")}`)
}
for (const tarball of Object.values(tarballOf)) {
  run("npx", ["--no-install", "publint", "run", tarball, "--strict"], root)
  run("npx", ["--no-install", "attw", tarball, "--profile", "esm-only", "--format", "ascii"], root)
}

step(`install into ${project}`)
const fileSpec = (name) => `file:${tarballOf[name]}`
writeFileSync(
  path.join(project, "package.json"),
  JSON.stringify(
    {
      name: "acs-identity-consumer",
      private: true,
      type: "module",
      dependencies: Object.fromEntries([
        ...packages.map(({ name }) => [name, fileSpec(name)]),
        ...registryDependencies.map((name) => [name, versionOf(name)]),
        ["effect", consumerEffect]
      ]),
      overrides: Object.fromEntries(packages.map(({ name }) => [name, fileSpec(name)]))
    },
    null,
    2
  )
)
run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], project)

step(`one copy of Effect in the tree: the consumer's effect ${consumerEffect}`)
for (const [name, version] of [["effect", consumerEffect], ["@effect/platform", versionOf("@effect/platform")]]) {
  const copies = JSON.parse(execFileSync("npm", ["query", `#${name}`], { cwd: project, encoding: "utf8" }))
  const found = copies.map((copy) => `${copy.version} at ${path.relative(project, copy.path)}`)
  if (copies.length !== 1 || copies[0].version !== version) {
    throw new Error(`expected one ${name} ${version} in the consumer's tree, found ${found.join("; ") || "none"}`)
  }
  console.log(`${name}: ${found[0]}`)
}

step("type-check the consumer (strict, exactOptionalPropertyTypes) with NodeNext and with Bundler")
for (const file of ["consumer.ts", "conformance.test.ts", "runtimes.test.ts"]) copyFileSync(path.join(fixtures, file), path.join(project, file))
cpSync(path.join(fixtures, "runtimes"), path.join(project, "runtimes"), { recursive: true })
const compilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  target: "ES2022",
  lib: ["ES2022", "DOM"],
  types: ["node"],
  skipLibCheck: false,
  outDir: "dist"
}
// NodeNext also checks every declaration file (skipLibCheck off) and emits what is run below;
// Bundler checks how the same code resolves there. The runtime matrix's modules import each other
// with `.ts` (Bun, Deno and esbuild run them as they are), so they get a Bundler check of their own.
const consumerFiles = ["consumer.ts", "conformance.test.ts"]
const resolutions = {
  nodenext: [{ module: "NodeNext", moduleResolution: "NodeNext" }, consumerFiles],
  bundler: [{ module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true, noEmit: true }, consumerFiles],
  runtimes: [
    { module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true },
    ["runtimes.test.ts", "runtimes/*.ts"]
  ]
}
for (const [kind, [resolution, include]] of Object.entries(resolutions)) {
  writeFileSync(
    path.join(project, `tsconfig.${kind}.json`),
    JSON.stringify({ compilerOptions: { ...compilerOptions, ...resolution }, include }, null, 2)
  )
  run("npx", ["--no-install", "tsc", "-p", `tsconfig.${kind}.json`], project)
  console.log(`${kind}: no type errors`)
}

/** A port nobody listens on, to check that a stopped mock freed its port. */
const isFree = (port) =>
  new Promise((resolve) => {
    const probe = createServer()
    probe.once("error", () => resolve(false))
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)))
  })

/** Starts the installed `acs-identity-mock`, resolves with its connection string and a stopper. */
const startMock = (args, cwd = project) =>
  new Promise((resolve, reject) => {
    const bin = path.join(cwd, "node_modules/.bin/acs-identity-mock")
    const child = spawn(bin, ["--port", "0", ...args], { cwd, stdio: ["ignore", "pipe", "inherit"] })
    children.add(child)
    const exited = new Promise((done) => child.once("exit", (code, signal) => done({ code, signal })))
    const timer = setTimeout(() => reject(new Error(`acs-identity-mock ${args.join(" ")} did not start in 60 s`)), 60_000)
    let output = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk) => {
      output += chunk
      const match = /^COMMUNICATION_CONNECTION_STRING=(.+)$/m.exec(output)
      if (match === null) return
      clearTimeout(timer)
      child.stdout.removeAllListeners("data")
      child.stdout.resume()
      const port = Number(/:(\d+)\/;/.exec(match[1])[1])
      const stop = async () => {
        child.kill("SIGTERM")
        const { code, signal } = await exited
        children.delete(child)
        if (code !== 0) throw new Error(`acs-identity-mock exited with ${code ?? signal} on SIGTERM, expected 0`)
        if (!(await isFree(port))) throw new Error(`port ${port} is still taken after SIGTERM`)
      }
      resolve({ connectionString: match[1], stop })
    })
    exited.then(({ code }) => reject(new Error(`acs-identity-mock ${args.join(" ")} exited early with ${code}`)))
  })

for (const mode of [[], ["--stateful"]]) {
  step(`run the consumer against acs-identity-mock ${mode.join(" ") || "(Prism)"}`)
  const mock = await startMock(mode)
  run(process.execPath, ["dist/consumer.js"], project, { COMMUNICATION_CONNECTION_STRING: mock.connectionString })
  await mock.stop()
  console.log("SIGTERM: exit code 0, port freed")
}

step("the mock installed with --ignore-scripts (no @parcel/watcher, msgpackr-extract or esbuild script run)")
const scriptless = path.join(work, "scriptless")
mkdirSync(scriptless)
const mockPeers = ["effect", "@effect/platform", "@effect/platform-node"]
writeFileSync(
  path.join(scriptless, "package.json"),
  JSON.stringify({
    name: "acs-identity-scriptless",
    private: true,
    type: "module",
    dependencies: Object.fromEntries([
      ["@acs-identity/mock-server", fileSpec("@acs-identity/mock-server")],
      ...mockPeers.map((name) => [name, versionOf(name)])
    ]),
    overrides: Object.fromEntries(packages.map(({ name }) => [name, fileSpec(name)]))
  }, null, 2)
)
run("npm", ["install", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], scriptless)
console.log(execFileSync("npm", ["ls", "@parcel/watcher", "msgpackr-extract", "esbuild", "--all"], {
  cwd: scriptless,
  encoding: "utf8"
}))
for (const mode of [[], ["--stateful"]]) {
  const mock = await startMock(mode, scriptless)
  // an unsigned create: both mocks answer 401, which shows they serve requests
  const endpoint = /endpoint=([^;]+)/.exec(mock.connectionString)[1]
  const response = await fetch(new URL("identities?api-version=2023-10-01", endpoint), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}"
  })
  await mock.stop()
  if (response.status !== 401) throw new Error(`an unsigned create got ${response.status}, expected 401`)
  console.log(`acs-identity-mock ${mode.join(" ") || "(Prism)"}: serves (401 for an unsigned request) without install scripts`)
}

step("the installed acs-identity command against its embedded mock")
const issued = JSON.parse(
  execFileSync(path.join(project, "node_modules/.bin/acs-identity"), ["token", "issue", "--mock", "--scope", "chat"], {
    cwd: project,
    encoding: "utf8"
  })
)
if (typeof issued.userId !== "string" || typeof issued.token !== "string" || Number.isNaN(Date.parse(issued.expiresOn))) {
  throw new Error(`acs-identity token issue printed ${JSON.stringify(Object.keys(issued))}, expected userId, token, expiresOn`)
}
console.log(`acs-identity token issue --mock: user ${issued.userId}, token of ${issued.token.length} chars`)

step("conformance suite and the runtime matrix (Bun, Deno, workerd, Chromium) with vitest")
// PACKED_REPORT (set by .ci/run) names a JSON report whose counts join the final "N passed" line.
const packedReport = process.env.PACKED_REPORT
const reporters = packedReport === undefined
  ? []
  : ["--reporter=default", "--reporter=json", `--outputFile.json=${path.resolve(root, packedReport)}`]
run("npx", ["--no-install", "vitest", "run", "conformance.test.ts", "runtimes.test.ts", ...reporters], project)

step("done")
