/**
 * Compiles the benchmark programs with esbuild so that no process runs through a TypeScript loader.
 * Workspace packages are bundled from source (the `source` condition); other packages stay external
 * and load from node_modules as they would in an application, unless `bundleDependencies` is set.
 */
import * as esbuild from "esbuild"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const here = Path.dirname(fileURLToPath(import.meta.url))

/** The bench directory (also when this module runs compiled from bench/build). */
export const benchDir = Path.basename(here) === "build" ? Path.dirname(here) : here

/** Where compiled programs go (ignored by git). */
export const outDir = Path.join(benchDir, "build")

/** The benchmarked clients, by name: module under `clients/`. */
export const clients = {
  raw: "raw",
  "raw-socket": "raw-socket",
  official: "official",
  "sdk-fetch": "sdk-fetch",
  "sdk-fetch-direct": "sdk-fetch-direct",
  "sdk-undici": "sdk-undici",
  "sdk-node": "sdk-node",
  "sdk-lean": "sdk-lean",
  "sdk-effect": "sdk-effect",
  "sdk-otel": "sdk-otel"
} as const

/** Clients measured for throughput and CPU only (a configuration of another client, not an import cost). */
export const throughputOnly: ReadonlySet<ClientName> = new Set(["sdk-otel"])

/**
 * Cold-start references, by name: the floor's request run by Effect, then also checked by a small
 * `effect/Schema` struct. They show what Effect and Schema cost any client before its own code runs;
 * only the cold-start table measures them.
 */
export const coldFloors = {
  "effect-floor": "effect-floor",
  "schema-floor": "schema-floor"
} as const

/** A client name. */
export type ClientName = keyof typeof clients | keyof typeof coldFloors

const modules: Record<ClientName, string> = { ...clients, ...coldFloors }

const requireShim = "import { createRequire as __createRequire } from \"node:module\";" +
  "const require = __createRequire(import.meta.url);"

/** Keeps bare imports external except the workspace's own packages. */
const externalPackages: esbuild.Plugin = {
  name: "external-packages",
  setup(build) {
    build.onResolve(
      { filter: /^[^./]/ },
      (args) =>
        args.path.startsWith("@acs-identity/") || args.path.startsWith("node:")
          ? undefined
          : { path: args.path, external: true }
    )
  }
}

const common = (bundleDependencies: boolean): esbuild.BuildOptions => ({
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["source"],
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
  banner: { js: requireShim },
  plugins: bundleDependencies ? [] : [externalPackages]
})

/** Builds the stub, the worker, the cold-start program and one module per client. */
export const buildPrograms = async (): Promise<void> => {
  await esbuild.build({
    ...common(false),
    entryPoints: ["stub-server.ts", "worker.ts", "cold.ts", "profile-worker.ts", "micro.ts", "transports.ts"].map((
      file
    ) => Path.join(benchDir, file)),
    outdir: outDir
  })
  for (const bundled of [false, true]) {
    const options = common(bundled)
    const outdir = Path.join(outDir, bundled ? "clients-bundled" : "clients")
    const entry = (file: string) => Path.join(benchDir, "clients", `${file}.ts`)
    await esbuild.build({ ...options, entryPoints: Object.values(modules).map(entry), outdir })
  }
}

/** The compiled module of a client. */
export const clientModule = (name: ClientName, bundled = false): string =>
  Path.join(outDir, bundled ? "clients-bundled" : "clients", `${modules[name]}.mjs`)
