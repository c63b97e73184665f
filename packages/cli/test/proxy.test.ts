/**
 * The executable behind a proxy: `HTTPS_PROXY`, `ALL_PROXY` or `HTTP_PROXY` routes requests to the resource
 * through a `CONNECT` tunnel with the proxy's credentials, `NO_PROXY` and `--mock` go around it, and
 * a value that is not a proxy URL is a usage error that does not echo it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import { createServer } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { environment } from "../src/Connection.js"
import { acsIdentity, type Environment } from "./utils/Binary.js"

/** The repository's loopback certificate (for `localhost` and `127.0.0.1`). */
const fixture = (name: string) => Path.join(import.meta.dirname, "../../../test/fixtures", name)

/**
 * A proxy that records each `CONNECT` (target and `Proxy-Authorization`) and refuses it with a 502;
 * `secure`: an HTTPS proxy, with the loopback certificate.
 */
const refusingProxy = (secure = false) =>
  Effect.acquireRelease(
    Effect.async<{ readonly close: () => void; readonly url: string; readonly seen: Array<readonly [string, string]> }>(
      (resume) => {
        const seen: Array<readonly [string, string]> = []
        const server = secure
          ? createHttpsServer({
            cert: Fs.readFileSync(fixture("loopback-cert.pem")),
            key: Fs.readFileSync(fixture("loopback-key.pem"))
          })
          : createServer()
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
  it.scopedLive("HTTPS_PROXY, ALL_PROXY or HTTP_PROXY (either case; the first set wins) tunnels requests to the resource through the proxy, with its credentials", () =>
    Effect.gen(function*() {
      const unused = "socks5://ops:proxy-secret@unused:1080"
      // Each setting, and the variable --verbose names as the one that chose the proxy.
      const settings: ReadonlyArray<readonly [string, (url: string) => Environment]> = [
        ...environment.proxies.map((variable) => [variable, (url: string) => ({ [variable]: url })] as const),
        ["HTTPS_PROXY", (url) => ({ HTTPS_PROXY: url, ALL_PROXY: unused, HTTP_PROXY: unused })],
        ["all_proxy", (url) => ({ all_proxy: url, http_proxy: unused })]
      ]
      for (const [chosen, setting] of settings) {
        const proxy = yield* refusingProxy()
        const run = yield* acsIdentity(
          [...createUserAt("https://contoso.communication.azure.com"), "--verbose"],
          setting(`http://ops:proxy-secret@${proxy.url}`)
        )
        assert.strictEqual(run.code, 9)
        assert.include(run.stderr, `acs-identity: proxy ${proxy.url} from ${chosen}\n`)
        assert.include(run.stderr, ": the proxy refused the tunnel (502) [request id ")
        assert.deepStrictEqual(proxy.seen, [[
          "contoso.communication.azure.com:443",
          `Basic ${Buffer.from("ops:proxy-secret").toString("base64")}`
        ]])
        assert.notInclude(run.stderr + run.stdout, "proxy-secret")
      }
    }))

  it.scopedLive("an https:// HTTPS_PROXY is reached over TLS, trusted through NODE_EXTRA_CA_CERTS", () =>
    Effect.gen(function*() {
      for (const trusted of [true, false]) {
        const proxy = yield* refusingProxy(true)
        const run = yield* acsIdentity(
          createUserAt("https://contoso.communication.azure.com"),
          {
            HTTPS_PROXY: `https://ops:proxy-secret@${proxy.url}`,
            NODE_EXTRA_CA_CERTS: trusted ? fixture("loopback-cert.pem") : undefined
          }
        )
        assert.notStrictEqual(run.code, 0)
        // Untrusted, the proxy's TLS fails before any CONNECT.
        assert.deepStrictEqual(
          proxy.seen,
          trusted
            ? [["contoso.communication.azure.com:443", `Basic ${Buffer.from("ops:proxy-secret").toString("base64")}`]]
            : []
        )
        assert.notInclude(run.stderr + run.stdout, "proxy-secret")
      }
    }))

  it.scopedLive("NO_PROXY and no_proxy send the hosts and IP ranges they name around the proxy", () =>
    Effect.gen(function*() {
      for (
        const [variable, hosts] of [["NO_PROXY", "localhost, 127.0.0.1"], [
          "no_proxy",
          "10.0.0.0/8,127.0.0.0/8"
        ]] as const
      ) {
        const proxy = yield* refusingProxy()
        const run = yield* acsIdentity(
          [...createUserAt("https://127.0.0.1:1"), "--verbose"],
          { HTTPS_PROXY: `http://${proxy.url}`, [variable]: hosts }
        )
        assert.include(
          run.stderr,
          `acs-identity: proxy ${proxy.url} from HTTPS_PROXY, not for the hosts of ${variable}\n`
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
      assert.include(refused.stderr, "HTTPS_PROXY must be an http:// or https://[user:password@]host[:port] URL")
      assert.notInclude(refused.stderr, "proxy-secret")
    }))
})
