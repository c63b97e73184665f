/**
 * The credential in a real browser (headless Chromium): a page bundled by esbuild, served from a
 * loopback origin, refreshes through a backend endpoint of this test and exchanges an Entra token
 * against the stateful mock (another origin, so through its CORS). The page records what it saw;
 * this test asserts.
 */
import { MockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { assert, describe, it } from "@effect/vitest"
import chromium from "@sparticuz/chromium"
import { Effect, Layer, Redacted } from "effect"
import * as esbuild from "esbuild"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import puppeteer from "puppeteer-core"
import type { PageResults } from "./browser/page.js"

const here = Path.dirname(fileURLToPath(import.meta.url))

/** A loopback HTTP server for the test's scope; its origin. */
const serve = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        resume(Effect.succeed(server))
      })
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`))

const bundlePage = Effect.promise(() =>
  esbuild.build({
    entryPoints: [Path.join(here, "browser", "page.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["source"],
    logLevel: "error"
  })
).pipe(Effect.map((result) => result.outputFiles[0]!.text))

const claims = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  objectId: "0f6b3f0e-6d0e-4a8e-9f51-5a2f7d1f3c11",
  clientId: "1fd5118e-2576-4263-8130-9503064c837a"
}

/** The stateful mock, with the Entra ID user assigned by an admin client; its URL and a state reader. */
const exchangeMock = Effect.gen(function*() {
  const server = yield* MockServer
  const admin = yield* CommunicationIdentityClient.pipe(
    Effect.provide(
      CommunicationIdentityClient.fromConnectionString(Redacted.value(server.connectionString), {
        apiVersion: "2025-03-02-preview"
      }).pipe(Layer.provide(HttpClientTransport.layerFetch))
    )
  )
  yield* admin.upsertEntraAssignment({ ...claims, principalType: "user", clientIds: [claims.clientId] })
  const exchanges = Effect.promise(() =>
    fetch(`${server.url}/__control/state`).then((r) => r.json() as Promise<IdentityStore.StoreSnapshot>)
  ).pipe(Effect.map((state) => state.requests.exchangeEntraAccessToken))
  return { url: server.url, exchanges }
})

/**
 * The app origin: the page, its bundle, the backend's token endpoint (tokens live 4 s) and the
 * user's Entra token (what MSAL would give the page).
 */
const appServer = (bundle: string) => {
  let issued = 0
  return serve((request, response) => {
    request.resume()
    switch (request.url?.split("?")[0]) {
      case "/":
        response.writeHead(200, { "content-type": "text/html" })
          .end("<!doctype html><title>credential</title><script type=\"module\" src=\"/page.js\"></script>")
        return
      case "/page.js":
        response.writeHead(200, { "content-type": "text/javascript" }).end(bundle)
        return
      case "/token":
        issued++
        response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
          .end(JSON.stringify({ token: `backend-${issued}`, expiresOn: new Date(Date.now() + 4_000) }))
        return
      case "/entra-token":
        response.writeHead(200, { "content-type": "text/plain", "cache-control": "no-store" })
          .end(Redacted.value(IdentityStore.entraTokenFor(claims)))
        return
      default:
        response.writeHead(204).end()
    }
  })
}

/** Headless Chromium with web security on (the package's default arguments turn CORS off). */
const browser = Effect.acquireRelease(
  Effect.promise(async () =>
    puppeteer.launch({
      args: chromium.args.filter((arg) => arg !== "--disable-web-security"),
      executablePath: await chromium.executablePath()
    })
  ),
  (browser) => Effect.promise(() => browser.close())
)

describe("in a real browser", () => {
  it.scopedLive(
    "refreshes before expiry, shares concurrent refreshes, exchanges over CORS, logs no error",
    () =>
      Effect.gen(function*() {
        const mock = yield* exchangeMock
        const app = yield* appServer(yield* bundlePage)
        const page = yield* Effect.flatMap(browser, (b) => Effect.promise(() => b.newPage()))
        const consoleErrors: Array<string> = []
        page.on("console", (message) => {
          if (message.type() === "error" || message.type() === "warn") consoleErrors.push(message.text())
        })
        page.on("pageerror", (error) => consoleErrors.push(String(error)))

        const results = yield* Effect.promise(async () => {
          await page.goto(`${app}/?pollMs=6000&exchange=${encodeURIComponent(mock.url)}`)
          await page.waitForFunction(() => window.__results !== undefined, { timeout: 60_000 })
          return page.evaluate(() => window.__results!) as Promise<PageResults>
        })

        assert.isUndefined(results.error)
        assert.deepStrictEqual(results.concurrentTokens, Array.from({ length: 10 }, () => "backend-1"))
        assert.isAtLeast(results.refreshes.length, 3)
        results.refreshes.slice(1).forEach((refresh, i) => {
          assert.isBelow(refresh.at, results.refreshes[i]!.expiresOn, `refresh ${i + 1} came after the token expired`)
        })
        assert.isAtLeast(new Set(results.observations.map((o) => o.token)).size, 3)
        for (const observation of results.observations) {
          assert.isBelow(observation.at, observation.expiresOn, `${observation.token} was handed out expired`)
        }
        assert.strictEqual(results.exchangedTokens.length, 5)
        assert.strictEqual(new Set(results.exchangedTokens).size, 1)
        assert.strictEqual(yield* mock.exchanges, 1)
        assert.deepStrictEqual(consoleErrors, [])
      }).pipe(Effect.provide(MockServer.layerStateful())),
    { timeout: 120_000 }
  )
})
