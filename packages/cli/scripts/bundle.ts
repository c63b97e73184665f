/**
 * Bundles the `acs-identity` executable with esbuild into `build/bundle/`: one ES module for the
 * command and a chunk for the embedded mock (loaded only with `--mock`). Start-up is what a command
 * line tool lives by, and a bundle loads about four times faster than the compiled modules (see
 * the README). Prism stays external: the mock server imports it only for Prism mode, which the
 * command never uses. `@azure/identity` stays external too: it is the optional peer that
 * `--auth-mode login` imports when it is installed.
 *
 * Run with `npm run bundle -w @acs-identity/cli`; the tests bundle into a temporary directory.
 */
import * as esbuild from "esbuild"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const packageDir = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")

/** Where the package's bin looks for the bundle. */
export const defaultOutDir = Path.join(packageDir, "build", "bundle")

/** CommonJS dependencies inside the bundle still call `require`. */
const requireShim = "import { createRequire as __createRequire } from \"node:module\";" +
  "const require = __createRequire(import.meta.url);"

/**
 * Bundles `src/bin.ts` into `outDir/bin.js`; returns that path. The folder is emptied first: chunk
 * names carry a content hash, so an earlier build's chunks would otherwise ship beside the new ones.
 */
export const bundle = async (outDir: string = defaultOutDir): Promise<string> => {
  await Fs.rm(outDir, { recursive: true, force: true })
  await esbuild.build({
    entryPoints: { bin: Path.join(packageDir, "src", "bin.ts") },
    outdir: outDir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    external: ["@stoplight/*", "@azure/identity"],
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: "linked",
    banner: { js: requireShim },
    logLevel: "warning"
  })
  return Path.join(outDir, "bin.js")
}

if (process.argv[1] !== undefined && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await bundle())
}
