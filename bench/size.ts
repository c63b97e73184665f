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
  { program: "official", platform: "node" },
  { program: "raw", platform: "node" },
  { program: "sdk-fetch", platform: "browser" },
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
