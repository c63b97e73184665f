/**
 * The executable behind a proxy: `HTTPS_PROXY` (or `https_proxy`) routes requests to the resource
 * through a `CONNECT` tunnel with the proxy's credentials, `NO_PROXY` and `--mock` go around it, and
 * a value that is not a proxy URL is a usage error that does not echo it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { acsIdentity } from "./utils/Binary.js"

/** A proxy that records each `CONNECT` (target and `Proxy-Authorization`) and refuses it with a 502. */
const refusingProxy = Effect.acquireRelease(
  Effect.async<{ readonly close: () => void; readonly url: string; readonly seen: Array<readonly [string, string]> }>(
    (resume) => {
      const seen: Array<readonly [string, string]> = []
      const server = createServer()
      server.on("connect", (request, socket) => {
        seen.push([request.url ?? "", request.headers["proxy-authorization"] ?? ""])
        socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ close: () => server.close(), url: `127.0.0.1:${port}`, seen }))
      })
    }
  ),
  (proxy) => Effect.sync(proxy.close)
)

const key = Buffer.from("k".repeat(32)).toString("base64")

/** `user create` against `endpoint`, with no retries. */
const createUserAt = (endpoint: string) => [
  "user",
  "create",
  "--retries",
  "0",
  "--connection-string",
  `endpoint=${endpoint}/;accesskey=${key}`
]

describe("acs-identity behind a proxy", () => {
  it.scopedLive("HTTPS_PROXY and https_proxy tunnel requests to the resource through the proxy, with its credentials", () =>
    Effect.gen(function*() {
      for (const variable of ["HTTPS_PROXY", "https_proxy"]) {
        const proxy = yield* refusingProxy
        const run = yield* acsIdentity(
          createUserAt("https://contoso.communication.azure.com"),
          { [variable]: `http://ops:proxy-secret@${proxy.url}` }
        )
        assert.notStrictEqual(run.code, 0)
        assert.deepStrictEqual(proxy.seen, [[
          "contoso.communication.azure.com:443",
          `Basic ${Buffer.from("ops:proxy-secret").toString("base64")}`
        ]])
        assert.notInclude(run.stderr + run.stdout, "proxy-secret")
      }
    }))

  it.scopedLive("NO_PROXY and no_proxy send the hosts they name around the proxy", () =>
    Effect.gen(function*() {
      for (const variable of ["NO_PROXY", "no_proxy"]) {
        const proxy = yield* refusingProxy
        const run = yield* acsIdentity(
          createUserAt("https://127.0.0.1:1"),
          { HTTPS_PROXY: `http://${proxy.url}`, [variable]: "localhost, 127.0.0.1" }
        )
        assert.notStrictEqual(run.code, 0)
        assert.deepStrictEqual(proxy.seen, [])
      }
    }))

  it.scopedLive("--mock goes around the proxy, and a value that is not a proxy URL is a usage error not echoing it", () =>
    Effect.gen(function*() {
      const bad = "socks5://ops:proxy-secret@proxy:1080"
      const mocked = yield* acsIdentity(["user", "create", "--mock", "--query", "id", "-o", "tsv"], {
        HTTPS_PROXY: bad
      })
      assert.strictEqual(mocked.code, 0)
      assert.match(mocked.stdout, /^8:acs:/)
      const refused = yield* acsIdentity(
        ["user", "create", "--connection-string", `endpoint=https://contoso.communication.azure.com/;accesskey=${key}`],
        { HTTPS_PROXY: bad }
      )
      assert.strictEqual(refused.code, 2)
      assert.strictEqual(refused.stdout, "")
      assert.include(refused.stderr, "HTTPS_PROXY must be an http://[user:password@]host[:port] URL")
      assert.notInclude(refused.stderr, "proxy-secret")
    }))
})
