/**
 * Browser bundle size of a client app's token credential: ours (`@acs-identity/token-credential`)
 * next to the official `AzureCommunicationTokenCredential` (`@azure/communication-common` 2.4.2).
 * Each program builds a proactively refreshing credential through the official interface; esbuild
 * bundles it for the browser, minified, and the size is gzip -9. Also checks that none of our
 * bundles holds resource-key code (HMAC signing, connection strings).
 *
 * Run: `npx tsx bench/credential-size.ts` (prints a markdown table; `--json` prints JSON).
 */
import * as esbuild from "esbuild"
import * as Path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as Zlib from "node:zlib"

const here = Path.dirname(fileURLToPath(import.meta.url))

const refresher = "() => fetch(\"/token\").then((response) => response.text())"

/** A refreshing credential and an Entra-exchange one, the exchange sent through `<module>.<layer>`. */
const exchangeProgram = (module: "HttpClientTransport" | "FetchTransport", layer: string) => ({
  name: `@acs-identity/token-credential, refreshing + Entra exchange (${module}.${layer})`,
  source: `import * as ${module} from "@acs-identity/sdk/${module}"
import { EntraExchange, layerRefreshing, OfficialCredential } from "@acs-identity/token-credential"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
export const credential = OfficialCredential.fromLayer(
  layerRefreshing({ refresh: Effect.promise(${refresher}), proactive: true })
)
export const entra = OfficialCredential.fromLayer(
  EntraExchange.layer({ resourceEndpoint: location.origin, entraToken: Effect.promise(${refresher}) })
    .pipe(Layer.provide(${module}.${layer}))
)`
})

/** The measured programs: what a client app would write. */
export const credentialPrograms: ReadonlyArray<{ readonly name: string; readonly source: string }> = [
  {
    name: "@acs-identity/token-credential, refreshing",
    source: `import { layerRefreshing, OfficialCredential } from "@acs-identity/token-credential"
import * as Effect from "effect/Effect"
export const credential = OfficialCredential.fromLayer(
  layerRefreshing({ refresh: Effect.promise(${refresher}), proactive: true })
)`
  },
  exchangeProgram("HttpClientTransport", "layerFetch"),
  exchangeProgram("FetchTransport", "layer"),
  {
    name: "official AzureCommunicationTokenCredential (@azure/communication-common 2.4.2)",
    source: `import { AzureCommunicationTokenCredential } from "@azure/communication-common"
export const credential = new AzureCommunicationTokenCredential({ tokenRefresher: ${refresher}, refreshProactively: true })`
  }
]

/** Strings only the SDK's resource-key code (HMAC signer, connection strings) contains. */
const resourceKeyMarkers = ["x-ms-content-sha256", "HMAC signing failed", "accesskey="]

/** One measured bundle. */
export interface CredentialBundle {
  readonly name: string
  readonly bytes: number
  readonly gzipBytes: number
  /** Whether the bundle contains resource-key code. */
  readonly resourceKeyCode: boolean
}

/** Bundles and measures each program. */
export const measureCredentialBundles = (): Promise<Array<CredentialBundle>> =>
  Promise.all(credentialPrograms.map(async ({ name, source }) => {
    const result = await esbuild.build({
      stdin: { contents: source, resolveDir: here, loader: "ts" },
      bundle: true,
      minify: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["source"],
      logLevel: "error"
    })
    const code = result.outputFiles[0]!.contents
    const text = new TextDecoder().decode(code)
    return {
      name,
      bytes: code.length,
      gzipBytes: Zlib.gzipSync(code, { level: 9 }).length,
      resourceKeyCode: resourceKeyMarkers.some((marker) => text.includes(marker))
    }
  }))

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bundles = await measureCredentialBundles()
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(bundles, null, 2))
  } else {
    console.log("| browser bundle | minified | gzip -9 | resource-key code |\n| --- | ---: | ---: | --- |")
    for (const b of bundles) {
      console.log(`| ${b.name} | ${kib(b.bytes)} | ${kib(b.gzipBytes)} | ${b.resourceKeyCode ? "yes" : "no"} |`)
    }
  }
}
