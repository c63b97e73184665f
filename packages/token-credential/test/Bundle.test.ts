/** A browser bundle of everything this package exports holds none of the SDK's resource-key code. */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as esbuild from "esbuild"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const here = Path.dirname(fileURLToPath(import.meta.url))

const browserBundle = (contents: string) =>
  Effect.promise(() =>
    esbuild.build({
      stdin: { contents, resolveDir: here, loader: "ts" },
      bundle: true,
      minify: true,
      write: false,
      format: "esm",
      platform: "browser",
      conditions: ["source"],
      logLevel: "error"
    })
  ).pipe(Effect.map((result) => result.outputFiles[0]!.text))

/** Strings only the SDK's HMAC signer and connection-string parser contain. */
const markers = ["x-ms-content-sha256", "HMAC signing failed", "accesskey="]

describe("browser bundle", () => {
  it.effect(
    "of the whole package holds no HMAC or connection-string code (the markers are found where it is)",
    () =>
      Effect.gen(function*() {
        const ours = yield* browserBundle("export * from \"@acs-identity/token-credential\"")
        assert.include(ours, "/access/entra/:exchangeAccessToken")
        for (const marker of markers) assert.notInclude(ours, marker)
        const withKeys = yield* browserBundle(
          "export { CommunicationIdentityClient } from \"@acs-identity/sdk\""
        )
        for (const marker of markers) assert.include(withKeys, marker)
      }),
    { timeout: 60_000 }
  )
})
