/**
 * The runtime matrix, run by `npm run test:packed` in the project that installed the tarballs: the
 * scenario of `runtimes/scenario.ts` on Bun and Deno (TypeScript run as is, over their fetch and
 * `NodeTransport`), on Cloudflare workerd through miniflare and in headless Chromium (both bundled
 * by esbuild, as a user would bundle), each against its own stateful mock and this file's hostile
 * loopback servers. Then `acs-identity-mock --stateful` itself started by Bun and by Deno.
 *
 * Each runtime reports the checks it passed; this test asserts the list, and reads the mock's state
 * to see that the runtime's requests really reached it (the 503s, the pages of the listing).
 */
import { startMockServer } from "@acs-identity/mock-server"
import * as FetchTransport from "@acs-identity/sdk/FetchTransport"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import chromium from "@sparticuz/chromium"
import { Redacted } from "effect"
import * as esbuild from "esbuild"
import { Miniflare } from "miniflare"
import { spawn } from "node:child_process"
import * as Http from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import puppeteer from "puppeteer-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Check, checkNames, runScenario, type ScenarioInput } from "./runtimes/scenario.ts"

const here = Path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
/** A file inside an installed package (the runtimes' binaries are dev dependencies). */
const installed = (name: string, file: string) => Path.join(Path.dirname(require.resolve(`${name}/package.json`)), file)
const bun = installed("@oven/bun-linux-x64", "bin/bun")
const deno = installed("@deno/linux-x64-glibc", "deno")

/** What a runtime's entry reports. */
interface Report {
  readonly runtime: string
  readonly checks?: ReadonlyArray<Check>
  readonly error?: string
}

/** What the stateful mock's `/__control/state` tells this test. */
interface MockState {
  readonly requests: Readonly<Record<string, number>>
  readonly faultsInjected: ReadonlyArray<{ readonly operation: string; readonly fault: string }>
}

const teamsClaims = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  objectId: "5c1f0d6e-3b0a-4f7e-9d2c-8a6b4e2f1d90",
  clientId: "1fd5118e-2576-4263-8130-9503064c837a"
}

/** Answers CORS for any origin, so the browser reaches the hostile servers as it reaches the mock. */
const withCors = (handler: Http.RequestListener): Http.RequestListener => (request, response) => {
  response.setHeader("access-control-allow-origin", "*")
  if (request.method === "OPTIONS") {
    response.writeHead(204, {
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE",
      "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "*",
      "access-control-max-age": "600"
    }).end()
    return
  }
  handler(request, response)
}

const servers: Array<Http.Server> = []
/** Starts a loopback server for this file; resolves with its origin. */
const serve = (handler: Http.RequestListener) =>
  new Promise<string>((resolve) => {
    const server = Http.createServer(withCors(handler))
    servers.push(server)
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })

/** Requests that followed the redirect server's `Location` (there must be none). */
let redirectsFollowed = 0
/** The connections that have carried a request to the server that closes a reused connection. */
const requestsOn = new WeakSet<object>()
/** Whether that server closes the next reused connection; how many it has closed. */
let armed = false
let closedUnanswered = 0
/** `closedUnanswered` when the last runtime's run was checked. */
let closedAtLastRun = 0
let hostile: ScenarioInput["hostile"]

beforeAll(async () => {
  const [stall, redirect, oversize, closesReused] = await Promise.all([
    // headers and the start of a body, then nothing
    serve((request, response) => {
      request.resume()
      response.writeHead(200, { "content-type": "application/json", "content-length": "4096" })
      response.write("{\"token\":\"")
    }),
    serve((request, response) => {
      request.resume()
      if (request.url?.startsWith("/elsewhere") === true) {
        redirectsFollowed++
        response.writeHead(200, { "content-type": "application/json" }).end("{}")
        return
      }
      response.writeHead(302, { location: "/elsewhere" }).end()
    }),
    // a chunked body of 2 MiB, twice the bound
    serve((request, response) => {
      request.resume()
      response.writeHead(200, { "content-type": "application/json" })
      const chunk = "x".repeat(64 * 1024)
      response.write("{\"token\":\"")
      for (let i = 0; i < 32; i++) response.write(chunk)
      response.end("\"}")
    }),
    // answers every request, except that once armed (a POST to /arm) it closes, unanswered, the
    // connection of the next request that arrives on a reused one: a server closing an idle
    // keep-alive connection just as a client reuses it
    serve((request, response) => {
      request.resume()
      const reused = requestsOn.has(request.socket)
      requestsOn.add(request.socket)
      if (request.url === "/arm") {
        armed = true
        return response.writeHead(204).end()
      }
      if (armed && reused) {
        armed = false
        closedUnanswered++
        return request.socket.end()
      }
      const token = JSON.stringify({ token: "reused-connection-token", expiresOn: "2030-01-01T00:00:00Z" })
      response.writeHead(200, { "content-type": "application/json", "content-length": token.length }).end(token)
    })
  ])
  hostile = { stall, redirect, oversize, closesReused }
})

afterAll(async () => {
  await Promise.all(servers.map((server) =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    })
  ))
})

/**
 * A fresh stateful mock, and the scenario's input for it. With `revokeFault: "test"` (for a page,
 * which cannot reach the control plane across origins) the mock holds one 503 for the revoke of each
 * of `transports` scenario runs: a 503, then a no-op (zero latency) for that revoke's retry, and so on.
 */
const scenarioMock = async (revokeFault: ScenarioInput["revokeFault"] = "scenario", transports = 1) => {
  const mock = await startMockServer({
    stateful: true,
    port: 0,
    faults: revokeFault === "test"
      ? Array.from({ length: transports }).flatMap(() =>
        [
          { operation: "revokeAccessTokens", fault: { _tag: "Status", status: 503, retryAfterSeconds: 1 }, times: 1 },
          { operation: "revokeAccessTokens", fault: { _tag: "Latency", millis: 0 }, times: 1 }
        ] as const
      )
      : []
  })
  const input: ScenarioInput = {
    connectionString: mock.connectionString,
    teamsExtension: { ...teamsClaims, token: Redacted.value(IdentityStore.entraTokenFor(teamsClaims)) },
    revokeFault,
    hostile
  }
  return { mock, input }
}

const stateOf = (url: string): Promise<MockState> =>
  fetch(`${url}/__control/state`).then((r) => r.json() as Promise<MockState>)

/** Asserts a runtime's report and the traces its run left in the mock. */
const expectRan = (report: Report, transports: ReadonlyArray<string>, state: MockState) => {
  console.log(
    `${report.runtime}: ${report.checks?.length ?? 0} checks\n` +
      (report.checks ?? []).map((check) => `  [${check.transport}] ${check.name}: ${check.detail}`).join("\n")
  )
  expect(report.error).toBeUndefined()
  expect(report.checks?.map((check) => `${check.transport}: ${check.name}`)).toEqual(
    transports.flatMap((transport) => checkNames.map((name) => `${transport}: ${name}`))
  )
  expect(state.faultsInjected.filter(({ fault }) => fault !== "Latency")).toEqual(
    transports.map(() => ({ operation: "revokeAccessTokens", fault: "Status" }))
  )
  // seven assignments at five a page: two pages a transport
  expect(state.requests.listEntraAssignments).toBeGreaterThanOrEqual(2 * transports.length)
  expect(redirectsFollowed).toBe(0)
  // each transport met a reused connection closed unanswered, and came through it
  const closed = closedUnanswered - closedAtLastRun
  closedAtLastRun = closedUnanswered
  console.log(`  reused connections closed unanswered: ${closed}`)
  expect(closed).toBe(transports.length)
}

/** Runs a command to its end (killed after a minute); its stdout. */
const output = (command: string, args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: here,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let stdout = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000)
    child.once("error", reject)
    child.once("exit", (_code, signal) => {
      clearTimeout(timer)
      if (signal !== null) {
        reject(new Error(`${command} ${args.join(" ")} was killed (${signal}); it printed ${stdout}`))
      } else resolve(stdout)
    })
  })

const lastJsonLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Report

/** How Deno runs here: no update check, a cache of its own, the permissions the scenario needs. */
const denoEnv = { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: Path.join(here, ".deno-cache"), NO_COLOR: "1" }
const denoRun = ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys"]

/** Bundles an entry of `runtimes/` for a browser-like runtime, as a user's bundler would. */
const bundle = async (entry: string) => {
  const result = await esbuild.build({
    entryPoints: [Path.join(here, "runtimes", entry)],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "error"
  })
  return result.outputFiles[0]!.text
}

describe("the runtime matrix, from the packed packages", () => {
  for (
    const [name, command, args, env] of [
      ["Bun", bun, [], {}],
      ["Deno", deno, denoRun, denoEnv]
    ] as const
  ) {
    it(`${name}: over its fetch (platform and FetchTransport) and NodeTransport`, async () => {
      const transports = ["fetch", "FetchTransport", "NodeTransport"]
      const { input, mock } = await scenarioMock()
      try {
        const stdout = await output(command, [...args, "runtimes/node-like.ts"], {
          ...env,
          SCENARIO_INPUT: JSON.stringify(input)
        })
        expectRan(lastJsonLine(stdout), transports, await stateOf(mock.url))
      } finally {
        await mock.close()
      }
    }, 90_000)
  }

  it("Cloudflare workerd (miniflare): a Worker bundle over the Worker's fetch, no nodejs_compat", async () => {
    const script = await bundle("worker.ts")
    console.log(
      `Worker bundle (esbuild, minified): ${(script.length / 1024).toFixed(0)} KiB, gzip ${
        (gzipSync(script).length / 1024).toFixed(0)
      } KiB`
    )
    const { input, mock } = await scenarioMock()
    const worker = new Miniflare({ modules: true, script, compatibilityDate: "2025-01-01" })
    try {
      const response = await worker.dispatchFetch("http://worker.test/", {
        method: "POST",
        body: JSON.stringify(input)
      })
      expectRan(await response.json() as Report, ["fetch", "FetchTransport"], await stateOf(mock.url))
    } finally {
      await worker.dispose()
      await mock.close()
    }
  }, 90_000)

  it("headless Chromium: a page bundle over the page's fetch, every call through CORS", async () => {
    const page = await bundle("browser.ts")
    const app = await serve((request, response) => {
      request.resume()
      if (request.url === "/page.js") {
        response.writeHead(200, { "content-type": "text/javascript" }).end(page)
      } else {
        response.writeHead(200, { "content-type": "text/html" })
          .end("<!doctype html><title>runtime matrix</title><script type=\"module\" src=\"/page.js\"></script>")
      }
    })
    const { input, mock } = await scenarioMock("test", 2)
    // web security stays on: @sparticuz/chromium's default arguments would turn CORS off
    const browser = await puppeteer.launch({
      args: chromium.args.filter((arg) => arg !== "--disable-web-security"),
      executablePath: await chromium.executablePath()
    })
    try {
      const tab = await browser.newPage()
      await tab.goto(`${app}/#${encodeURIComponent(JSON.stringify(input))}`)
      await tab.waitForFunction(() => (globalThis as { __report?: unknown }).__report !== undefined, {
        timeout: 60_000
      })
      const report = await tab.evaluate(() => (globalThis as { __report?: unknown }).__report) as Report
      expectRan(
        { ...report, runtime: `Chromium ${await browser.version()}` },
        ["fetch", "FetchTransport"],
        await stateOf(mock.url)
      )
    } finally {
      await browser.close()
      await mock.close()
    }
  }, 90_000)

  for (
    const [name, command, args, env] of [
      ["Bun", bun, [], {}],
      ["Deno", deno, ["run", "--allow-all"], denoEnv]
    ] as const
  ) {
    it(`acs-identity-mock --stateful started by ${name} answers the same lifecycle`, async () => {
      const bin = Path.join(
        Path.dirname(require.resolve("@acs-identity/mock-server/package.json")),
        "bin/acs-identity-mock.mjs"
      )
      const child = spawn(command, [...args, bin, "--stateful", "--port", "0"], {
        cwd: here,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"]
      })
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      try {
        const connectionString = await new Promise<string>((resolve, reject) => {
          let stdout = ""
          const timer = setTimeout(
            () => reject(new Error(`the mock under ${name} printed no connection string: ${stdout}`)),
            60_000
          )
          child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk
            const match = /^COMMUNICATION_CONNECTION_STRING=(.+)$/m.exec(stdout)
            if (match === null) return
            clearTimeout(timer)
            resolve(match[1]!)
          })
        })
        const url = /endpoint=([^;]+?)\/?;/.exec(connectionString)![1]!
        const transports = ["NodeTransport", "fetch", "FetchTransport"]
        const checks = await runScenario(
          {
            connectionString,
            teamsExtension: { ...teamsClaims, token: Redacted.value(IdentityStore.entraTokenFor(teamsClaims)) },
            revokeFault: "scenario",
            hostile
          },
          [
            ["NodeTransport", NodeTransport.layer],
            ["fetch", HttpClientTransport.layerFetch],
            ["FetchTransport", FetchTransport.layer]
          ]
        )
        expectRan(
          { runtime: `Node ${process.version} against the mock on ${name}`, checks },
          transports,
          await stateOf(url)
        )
      } finally {
        child.kill("SIGTERM")
      }
      expect(await exited).toBe(0)
    }, 90_000)
  }
})
