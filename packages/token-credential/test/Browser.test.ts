/**
 * The credential in a real browser (headless Chromium): a page bundled by esbuild, served from a
 * loopback origin, refreshes through a backend endpoint of this test and exchanges an Entra token
 * against a cross-origin exchange stub with CORS. The page records what it saw; this test asserts.
 */
import { assert, describe, it } from "@effect/vitest"
import chromium from "@sparticuz/chromium"
import { Effect } from "effect"
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

/** The exchange stub: answers CORS preflights and `POST /access/entra/:exchangeAccessToken`. */
const exchangeStub = Effect.gen(function*() {
  const seen = { preflights: 0, exchanges: 0, authorizations: new Array<string | undefined>() }
  const origin = yield* serve((request, response) => {
    const cors = {
      "access-control-allow-origin": request.headers.origin ?? "*",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "authorization, content-type, accept, x-ms-client-request-id, traceparent, b3"
    }
    request.resume()
    if (request.method === "OPTIONS") {
      seen.preflights++
      response.writeHead(204, cors).end()
      return
    }
    const url = new URL(request.url ?? "/", "http://stub")
    if (
      request.method === "POST" && url.pathname === "/access/entra/:exchangeAccessToken" &&
      url.searchParams.get("api-version") === "2025-03-02-preview"
    ) {
      seen.exchanges++
      seen.authorizations.push(request.headers.authorization)
      const body = {
        identity: { id: "8:acs:r_entra-user" },
        accessToken: { token: `acs-exchanged-${seen.exchanges}`, expiresOn: new Date(Date.now() + 3_600_000) }
      }
      response.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body))
      return
    }
    response.writeHead(404, cors).end()
  })
  return { origin, seen }
})

/** The app origin: the page, its bundle, and the backend's token endpoint (tokens live 4 s). */
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
        const stub = yield* exchangeStub
        const app = yield* appServer(yield* bundlePage)
        const page = yield* Effect.flatMap(browser, (b) => Effect.promise(() => b.newPage()))
        const consoleErrors: Array<string> = []
        page.on("console", (message) => {
          if (message.type() === "error" || message.type() === "warn") consoleErrors.push(message.text())
        })
        page.on("pageerror", (error) => consoleErrors.push(String(error)))

        const results = yield* Effect.promise(async () => {
          await page.goto(`${app}/?pollMs=6000&exchange=${encodeURIComponent(stub.origin)}`)
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
        assert.deepStrictEqual(results.exchangedTokens, Array.from({ length: 5 }, () => "acs-exchanged-1"))
        assert.strictEqual(stub.seen.exchanges, 1)
        assert.deepStrictEqual(stub.seen.authorizations, ["Bearer entra-user-token"])
        assert.isAtLeast(stub.seen.preflights, 1)
        assert.deepStrictEqual(consoleErrors, [])
      }),
    { timeout: 120_000 }
  )
})
