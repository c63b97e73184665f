/** Bundle sizes: each program under bundle/ minified by esbuild, raw and gzipped, per platform. */
import * as esbuild from "esbuild"
import * as Path from "node:path"
import * as Zlib from "node:zlib"
import { benchDir } from "./build.js"

/** One measured bundle. */
export interface BundleSize {
  readonly program: string
  readonly platform: "node" | "browser"
  readonly bytes: number
  readonly gzipBytes: number
}

/** The programs and the platforms each is measured for. */
export const programs: ReadonlyArray<{ readonly program: string; readonly platform: "node" | "browser" }> = [
  { program: "sdk-node", platform: "node" },
  { program: "sdk-fetch", platform: "node" },
  { program: "sdk-fetch-direct", platform: "node" },
  { program: "official", platform: "node" },
  { program: "raw", platform: "node" },
  { program: "sdk-fetch", platform: "browser" },
  { program: "sdk-fetch-direct", platform: "browser" },
  { program: "official", platform: "browser" }
]

/** Bundles one program. */
export const measureBundle = async (program: string, platform: "node" | "browser"): Promise<BundleSize> => {
  const result = await esbuild.build({
    entryPoints: [Path.join(benchDir, "bundle", `${program}.ts`)],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform,
    target: platform === "node" ? "node20" : "es2022",
    conditions: ["source"],
    logLevel: "error"
  })
  const code = result.outputFiles[0]!.contents
  return { program, platform, bytes: code.length, gzipBytes: Zlib.gzipSync(code, { level: 9 }).length }
}

/** Every bundle of `programs`. */
export const measureBundles = (): Promise<Array<BundleSize>> =>
  Promise.all(programs.map(({ platform, program }) => measureBundle(program, platform)))

/** One marginal size: what adding `program` costs on top of the `baseline` application. */
export interface MarginalSize {
  readonly program: string
  readonly baselineGzip: number
  readonly withGzip: number
  readonly marginalGzip: number
}

/**
 * The SDK's marginal gzip size for an Effect user: the baseline application (`effect`,
 * `effect/Schema`, a platform `HttpClient` with a retry and a span) bundled alone, and with the
 * SDK added on fetch and on transport-node; the difference is what the SDK costs them.
 */
export const measureMarginal = async (): Promise<Array<MarginalSize>> => {
  const baseline = await measureBundle("effect-app-main", "node")
  return Promise.all(["effect-app-sdk", "effect-app-sdk-node"].map(async (program) => {
    const withSdk = await measureBundle(program, "node")
    return {
      program,
      baselineGzip: baseline.gzipBytes,
      withGzip: withSdk.gzipBytes,
      marginalGzip: withSdk.gzipBytes - baseline.gzipBytes
    }
  }))
}
