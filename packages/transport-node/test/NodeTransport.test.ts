import { CommunicationIdentityClient, Transport } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestServices from "effect/TestServices"
import * as Fs from "node:fs"
import type * as Http from "node:http"
import * as Https from "node:https"
import * as Net from "node:net"
import * as Path from "node:path"
import * as Util from "node:util"
import { closedPort, serve, serveProxy, serveRaw, serveSilent } from "./utils.js"

const echo: Http.RequestListener = (request, response) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    const body = JSON.stringify({
      method: request.method,
      url: request.url,
      contentType: request.headers["content-type"] ?? null,
      custom: request.headers["x-custom"] ?? null,
      body: Buffer.concat(chunks).toString("utf8")
    })
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
  })
}

const text = (response: Transport.TransportResponse) => new TextDecoder().decode(response.body)

/** A plain request to `url` (path and query from it), with generous limits unless given. */
const request = (
  url: string,
  init: Partial<Omit<Transport.TransportRequest, "origin" | "path">> = {}
): Transport.TransportRequest => {
  const parsed = new URL(url)
  return {
    method: "GET",
    origin: new URL(parsed.origin),
    path: `${parsed.pathname}${parsed.search}`,
    headers: {},
    body: undefined,
    timeoutMillis: 10_000,
    maxBodyBytes: 1024 * 1024,
    ...init
  }
}

describe("NodeTransport", () => {
  it.scoped("sends method, headers and body and returns status, headers and body", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const transport = yield* NodeTransport.make()
      const body = new TextEncoder().encode("{\"hello\":\"world\"}")
      const response = yield* transport.send(request(`${server.url}/things?x=1`, {
        method: "POST",
        headers: { "x-custom": "yes", "content-type": "application/json", "content-length": String(body.length) },
        body
      }))
      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers["content-type"], "application/json")
      assert.deepStrictEqual(JSON.parse(text(response)), {
        method: "POST",
        url: "/things?x=1",
        contentType: "application/json",
        custom: "yes",
        body: "{\"hello\":\"world\"}"
      })
    }))

  it.scoped("reuses one keep-alive connection for sequential requests", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const transport = yield* NodeTransport.make()
      for (let i = 0; i < 5; i++) yield* transport.send(request(`${server.url}/n/${i}`))
      assert.strictEqual(server.connections(), 1)
    }))

  it.scoped("a refused connection is a TransportError with reason Network", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const transport = yield* NodeTransport.make()
      const error = yield* Effect.flip(transport.send(request(`http://127.0.0.1:${port}/`)))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(error.reason, "Network")
      assert.strictEqual((error.cause as NodeJS.ErrnoException).code, "ECONNREFUSED")
    }))

  it.scoped("interrupting a call aborts the request and leaves no socket open", () =>
    Effect.gen(function*() {
      const arrived = yield* Deferred.make<void>()
      const closed = yield* Deferred.make<void>()
      const server = yield* serve((incoming) => {
        Deferred.unsafeDone(arrived, Effect.void)
        incoming.socket.once("close", () => Deferred.unsafeDone(closed, Effect.void))
      })
      const transport = yield* NodeTransport.make()
      const fiber = yield* Effect.fork(transport.send(request(`${server.url}/hang`)))
      yield* Deferred.await(arrived)
      yield* Fiber.interrupt(fiber)
      yield* Deferred.await(closed)
      assert.strictEqual(server.openSockets(), 0)
    }))

  it.scoped("an idle socket fails the request after idleTimeout", () =>
    Effect.gen(function*() {
      const server = yield* serve(() => {})
      const transport = yield* NodeTransport.make({ idleTimeout: "100 millis" })
      const error = yield* Effect.flip(transport.send(request(`${server.url}/slow`)))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(error.reason, "Network")
    }))

  it.scoped("reads at most maxBodyBytes + 1 bytes of a longer body", () =>
    Effect.gen(function*() {
      const big = "x".repeat(200_000)
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-length": big.length })
        response.end(big)
      })
      const transport = yield* NodeTransport.make()
      const whole = yield* transport.send(request(server.url))
      assert.strictEqual(whole.body.length, big.length)
      const bounded = yield* transport.send(request(server.url, { maxBodyBytes: 1000 }))
      assert.isAtLeast(bounded.body.length, 1001)
      assert.isBelow(bounded.body.length, big.length)
    }))

  it.scoped("is the Transport of NodeTransport.layer", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const transport = yield* Transport.Transport
      const response = yield* transport.send(request(`${server.url}/layer`))
      assert.strictEqual(response.status, 200)
    }).pipe(Effect.provide(NodeTransport.layer)))
})

describe("NodeTransport under a stalling or hostile peer", () => {
  const stallMidBody: Http.RequestListener = (_, response) => {
    response.writeHead(200, { "content-type": "application/json" })
    response.write("{\"partial\":")
  }

  it.scopedLive("a body stalled mid-way ends at the exchange's timeout and destroys the socket", () =>
    Effect.gen(function*() {
      const server = yield* serve(stallMidBody)
      const transport = yield* NodeTransport.make()
      const started = Date.now()
      const error = yield* Effect.flip(transport.send(request(server.url, { timeoutMillis: 200 })))
      assert.strictEqual(error.reason, "Timeout")
      assert.isBelow(Date.now() - started, 2000)
      yield* Effect.sleep("50 millis")
      assert.strictEqual(server.openSockets(), 0)
    }))

  it.scopedLive("interrupting an exchange stalled mid-body ends at once", () =>
    Effect.gen(function*() {
      const server = yield* serve(stallMidBody)
      const transport = yield* NodeTransport.make()
      const started = Date.now()
      const result = yield* transport.send(request(server.url)).pipe(Effect.timeout("200 millis"), Effect.either)
      assert.strictEqual(result._tag, "Left")
      assert.isBelow(Date.now() - started, 2000)
      yield* Effect.sleep("50 millis")
      assert.strictEqual(server.openSockets(), 0)
    }))

  it.scoped("a header value node:http refuses is a TransportError with reason Encode, not a defect", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const transport = yield* NodeTransport.make()
      const error = yield* Effect.flip(transport.send(request(server.url, { headers: { "x-bad": "a\r\nb: c" } })))
      assert.strictEqual(error._tag, "TransportError")
      assert.strictEqual(error.reason, "Encode")
      assert.strictEqual(server.connections(), 0)
    }))
})

const ok = (body: string, headers = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`

describe("NodeTransport on the wire", () => {
  it.scoped("reads a chunked body after an interim 100 and reuses the connection", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket) => {
        socket.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel")
        setTimeout(() => socket.write("lo\r\n6;x=y\r\n world\r\n0\r\n\r\n"), 10)
      })
      const transport = yield* NodeTransport.make()
      for (let i = 0; i < 3; i++) {
        const response = yield* transport.send(request(server.url))
        assert.strictEqual(response.status, 200)
        assert.strictEqual(text(response), "hello world")
      }
      assert.strictEqual(server.connections(), 1)
    }))

  it.scoped("writes Host and the body's own length, and an empty POST as content-length: 0", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket) => socket.write(ok("")))
      const transport = yield* NodeTransport.make()
      yield* transport.send(request(`${server.url}/a?b=c`, {
        method: "POST",
        headers: { "content-length": "999", connection: "upgrade", "x-one": "1" },
        body: new TextEncoder().encode("four")
      }))
      yield* transport.send(request(`${server.url}/empty`, { method: "POST" }))
      const [sized, empty] = server.requests()
      const port = new URL(server.url).port
      assert.strictEqual(
        sized,
        `POST /a?b=c HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-one: 1\r\ncontent-length: 4\r\n\r\nfour`
      )
      assert.strictEqual(empty, `POST /empty HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 0\r\n\r\n`)
    }))

  it.scoped("a new connection after Connection: close, a short Keep-Alive hint, or a server that hung up", () =>
    Effect.gen(function*() {
      const answers = [
        ok("1", "connection: close\r\n"),
        ok("2", "keep-alive: timeout=1\r\n"),
        ok("3"),
        ok("4")
      ]
      const server = yield* serveRaw((socket, _, index) => {
        socket.write(answers[index]!)
        if (index === 2) socket.end()
      })
      const transport = yield* NodeTransport.make()
      const bodies: Array<string> = []
      for (let i = 0; i < 4; i++) {
        bodies.push(text(yield* transport.send(request(server.url))))
        yield* Effect.sleep("20 millis")
      }
      assert.deepStrictEqual(bodies, ["1", "2", "3", "4"])
      assert.strictEqual(server.connections(), 4)
    }).pipe(TestServices.provideLive))

  it.scoped("a response it cannot trust is a Network error naming why, and the connection is dropped", () =>
    Effect.gen(function*() {
      const lies = [
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\n",
        "SMTP ready\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok and then some"
      ]
      const server = yield* serveRaw((socket, _, index) => socket.write(lies[index] ?? ok("fine")))
      const transport = yield* NodeTransport.make()
      for (const reason of ["both", "conflicting", "status line"]) {
        const error = yield* Effect.flip(transport.send(request(server.url)))
        assert.strictEqual(error.reason, "Network")
        assert.include(String((error.cause as Error).message), reason)
      }
      assert.strictEqual(text(yield* transport.send(request(server.url))), "ok")
      assert.strictEqual(text(yield* transport.send(request(server.url))), "fine")
      assert.strictEqual(server.connections(), 5)
    }))

  it.scoped("with maxSockets 1, calls wait their turn on one connection; one interrupted in the queue leaves", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket, _, index) => setTimeout(() => socket.write(ok(String(index))), 20))
      const transport = yield* NodeTransport.make({ maxSockets: 1 })
      const first = yield* Effect.fork(transport.send(request(server.url)))
      const queued = yield* Effect.fork(transport.send(request(server.url)))
      const third = yield* Effect.fork(transport.send(request(server.url)))
      yield* Fiber.interrupt(queued)
      assert.strictEqual(text(yield* Fiber.join(first)), "0")
      assert.strictEqual(text(yield* Fiber.join(third)), "1")
      assert.strictEqual(server.connections(), 1)
      assert.strictEqual(server.requests().length, 2)
    }).pipe(TestServices.provideLive))

  it.scoped("a header name or path HTTP cannot carry is refused before connecting", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket) => socket.write(ok("")))
      const transport = yield* NodeTransport.make()
      const badName = yield* Effect.flip(transport.send(request(server.url, { headers: { "x bad": "v" } })))
      assert.strictEqual(badName.reason, "Encode")
      const badPath = yield* Effect.flip(transport.send({ ...request(server.url), path: "/a b" }))
      assert.strictEqual(badPath.reason, "InvalidUrl")
      const badMethod = yield* Effect.flip(transport.send(request(server.url, { method: "GET /x" })))
      assert.strictEqual(badMethod.reason, "Encode")
      assert.strictEqual(server.connections(), 0)
    }))

  it.scoped("a pooled connection holds the process only while it carries a call", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket, _, index) => index === 0 && socket.write(ok("idle")))
      const sockets = () => process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length
      const transport = yield* NodeTransport.make()
      yield* transport.send(request(server.url))
      const idle = sockets()
      const busy = yield* Effect.fork(transport.send(request(server.url)))
      yield* Effect.sleep("20 millis")
      assert.strictEqual(sockets(), idle + 1)
      yield* Fiber.interrupt(busy)
      assert.strictEqual(server.connections(), 1)
    }).pipe(TestServices.provideLive))
})

describe("NodeTransport over TLS", () => {
  const fixture = (name: string) => Fs.readFileSync(Path.join(import.meta.dirname, "../../../test/fixtures", name))
  const cert = fixture("loopback-cert.pem")
  /** An https echo server on `host`; its URL names it `localhost` unless it is on IPv6. */
  const serveTlsOn = (host: string) =>
    Effect.acquireRelease(
      Effect.async<Https.Server>((resume) => {
        const server = Https.createServer({ cert, key: fixture("loopback-key.pem") }, echo)
        server.listen(0, host, () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    ).pipe(Effect.map((server) => {
      const { port } = server.address() as Net.AddressInfo
      return Net.isIPv6(host) ? `https://[${host}]:${port}` : `https://localhost:${port}`
    }))
  const serveTls = serveTlsOn("127.0.0.1")

  it.scoped("verifies the server against the given CA, by its name", () =>
    Effect.gen(function*() {
      const url = yield* serveTls
      const trusting = yield* NodeTransport.make({ tls: { ca: cert } })
      const response = yield* trusting.send(request(`${url}/secure`))
      assert.strictEqual(JSON.parse(text(response)).url, "/secure")
      const untrusting = yield* NodeTransport.make()
      const error = yield* Effect.flip(untrusting.send(request(`${url}/secure`)))
      assert.strictEqual(error.reason, "Network")
      assert.match(String((error.cause as NodeJS.ErrnoException).code), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/)
    }))

  it.scoped("tunnels https endpoints through an HTTP proxy with CONNECT, and keeps the tunnel alive", () =>
    Effect.gen(function*() {
      const url = yield* serveTls
      const proxy = yield* serveProxy()
      const withCredentials = `http://ops%40contoso:pa%3Ass@${new URL(proxy.url).host}`
      const transport = yield* NodeTransport.make({ tls: { ca: cert }, proxy: Redacted.make(withCredentials) })
      for (const path of ["/one", "/two"]) {
        assert.strictEqual(JSON.parse(text(yield* transport.send(request(`${url}${path}`)))).url, path)
      }
      assert.deepStrictEqual(proxy.connects(), [new URL(url).host])
      assert.deepStrictEqual(proxy.authorizations(), [`Basic ${Buffer.from("ops@contoso:pa:ss").toString("base64")}`])
    }))

  it.scoped("tunnels through an https proxy verified as proxyTls says; an untrusted one is a Network error", () =>
    Effect.gen(function*() {
      const url = yield* serveTls
      const proxy = yield* serveProxy({ tls: { cert, key: fixture("loopback-key.pem") } })
      assert.match(proxy.url, /^https:\/\/127\.0\.0\.1:/)
      const trusting = yield* NodeTransport.make({ tls: { ca: cert }, proxy: proxy.url, proxyTls: { ca: cert } })
      for (const path of ["/one", "/two"]) {
        assert.strictEqual(JSON.parse(text(yield* trusting.send(request(`${url}${path}`)))).url, path)
      }
      assert.deepStrictEqual(proxy.connects(), [new URL(url).host])
      const untrusting = yield* NodeTransport.make({ tls: { ca: cert }, proxy: proxy.url })
      const error = yield* Effect.flip(untrusting.send(request(`${url}/untrusted`)))
      assert.strictEqual(error.reason, "Network")
      const cause = error.cause as Error
      assert.match(cause.message, /^the connection to the proxy failed: /)
      assert.match(String((cause.cause as NodeJS.ErrnoException).code), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/)
      const unusable = yield* NodeTransport.make({ proxy: proxy.url, proxyTls: { minVersion: "SSLv1" as never } })
      assert.strictEqual((yield* Effect.flip(unusable.send(request(`${url}/unusable`)))).reason, "Network")
      // Neither sent a CONNECT: the proxy's TLS failed first.
      assert.strictEqual(proxy.connects().length, 1)
    }))

  it.scoped("a tunnel the proxy refuses is a Network error naming its status, and no rendering holds the password", () =>
    Effect.gen(function*() {
      const url = yield* serveTls
      const proxy = yield* serveProxy({
        refuse: () => "HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n"
      })
      const password = "hunter2-proxy-secret"
      const transport = yield* NodeTransport.make({
        tls: { ca: cert },
        proxy: `http://ops:${password}@${new URL(proxy.url).host}`
      })
      const error = yield* Effect.flip(transport.send(request(`${url}/refused`)))
      assert.strictEqual(error.reason, "Network")
      assert.include(String((error.cause as Error).message), "407")
      const encoded = Buffer.from(`ops:${password}`).toString("base64")
      for (
        const rendering of [JSON.stringify(error), Util.inspect(error, { depth: 10 }), Cause.pretty(Cause.fail(error))]
      ) {
        assert.notInclude(rendering, password)
        assert.notInclude(rendering, encoded)
      }
    }))

  it.scoped("a proxy that never answers CONNECT ends at the exchange's timeout, and the tunnel is closed", () =>
    Effect.gen(function*() {
      const closed = yield* Deferred.make<void>()
      const stalling = yield* serveRaw((socket) => socket.once("close", () => Deferred.unsafeDone(closed, Effect.void)))
      const transport = yield* NodeTransport.make({ proxy: stalling.url })
      const error = yield* Effect.flip(transport.send(request("https://localhost:1/", { timeoutMillis: 150 })))
      assert.strictEqual(error.reason, "Timeout")
      yield* Deferred.await(closed)
      assert.match(stalling.requests()[0]!, /^CONNECT localhost:1 HTTP\/1\.1\r\n/)
    }))

  it.scoped("an https proxy that never finishes its TLS handshake ends at the exchange's timeout, and is closed", () =>
    Effect.gen(function*() {
      const silent = yield* serveSilent
      const transport = yield* NodeTransport.make({ proxy: silent.url.replace("http:", "https:") })
      const error = yield* Effect.flip(transport.send(request("https://localhost:1/", { timeoutMillis: 150 })))
      assert.strictEqual(error.reason, "Timeout")
      yield* silent.closed
    }))

  it.scoped("a proxy that answers CONNECT with anything but a clean 2xx head is a Network error saying so", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [(socket: Net.Socket) => void, string]> = [
        [(socket) => socket.write(`HTTP/1.1 200 OK\r\nx-huge: ${"h".repeat(20_000)}`), "over 16 KiB"],
        [(socket) => socket.write("SSH-2.0-OpenSSH_9.6\r\n\r\n"), "not HTTP/1.1"],
        [(socket) => socket.write("HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01"), "bytes after"],
        [
          (socket) => socket.write("HTTP/1.1 302 Found\r\nlocation: https://elsewhere/\r\n\r\n"),
          "refused the tunnel (302)"
        ],
        [(socket) => socket.end(), "closed the connection before the tunnel opened"],
        [(socket) => socket.resetAndDestroy(), "ECONNRESET"]
      ]
      for (const [answer, says] of cases) {
        const proxy = yield* serveRaw((socket) => answer(socket))
        const transport = yield* NodeTransport.make({ proxy: proxy.url })
        const error = yield* Effect.flip(transport.send(request("https://localhost:1/", { timeoutMillis: 2_000 })))
        assert.strictEqual(error.reason, "Network", says)
        assert.include((error.cause as Error).message, says)
      }
    }))

  it.scoped("noProxy, as NO_PROXY lists them, sends the endpoints it names around the proxy", () =>
    Effect.gen(function*() {
      const url = yield* serveTls
      const port = Number(new URL(url).port)
      const proxy = yield* serveProxy()
      const byAddress = `https://127.0.0.1:${port}`
      const cases: ReadonlyArray<readonly [string | ReadonlyArray<string>, string, boolean]> = [
        ["localhost", url, true],
        ["*", url, true],
        [["other.test", `LOCALHOST:${port}`], url, true],
        ["other.test, .localhost", url, true],
        [`localhost:${port + 1}`, url, false],
        ["calhost", url, false],
        ["sub.localhost other.test", url, false],
        ["10.0.0.0/8,127.0.0.0/8", byAddress, true],
        ["127.0.0.1/32", byAddress, true],
        ["127.0.0.1", byAddress, true],
        ["10.0.0.0/8, ::1/128, 127.0.0.0/33", byAddress, false],
        // A range matches endpoints given by address: no name is resolved for it.
        ["127.0.0.0/8", url, false]
      ]
      for (const [noProxy, endpoint, direct] of cases) {
        const before = proxy.connects().length
        const transport = yield* NodeTransport.make({ tls: { ca: cert }, proxy: proxy.url, noProxy })
        assert.strictEqual(JSON.parse(text(yield* transport.send(request(`${endpoint}/n`)))).url, "/n")
        assert.strictEqual(
          proxy.connects().length - before,
          direct ? 0 : 1,
          `noProxy ${String(noProxy)} for ${endpoint}`
        )
      }
    }))

  it.scoped("over IPv6: the CONNECT target is in brackets, and noProxy names the address with or without", () =>
    Effect.gen(function*() {
      const url = yield* serveTlsOn("::1")
      const port = new URL(url).port
      const proxy = yield* serveProxy({ host: "::1" })
      assert.match(proxy.url, /^http:\/\/\[::1\]:\d+$/)
      // The certificate names 127.0.0.1 and localhost, not ::1.
      const tls = { ca: cert, rejectUnauthorized: false }
      const tunnelled = yield* NodeTransport.make({ tls, proxy: proxy.url })
      assert.strictEqual(JSON.parse(text(yield* tunnelled.send(request(`${url}/six`)))).url, "/six")
      assert.deepStrictEqual(proxy.connects(), [`[::1]:${port}`])
      for (const noProxy of ["::1", "0:0:0:0:0:0:0:1", "[::1]", `[::1]:${port}`, "::1/128", "[::]/0"]) {
        const direct = yield* NodeTransport.make({ tls, proxy: proxy.url, noProxy })
        assert.strictEqual(JSON.parse(text(yield* direct.send(request(`${url}/direct`)))).url, "/direct")
        assert.strictEqual(proxy.connects().length, 1, `noProxy ${noProxy}`)
      }
      const otherPort = yield* NodeTransport.make({ tls, proxy: proxy.url, noProxy: `[::1]:${Number(port) + 1}` })
      yield* otherPort.send(request(`${url}/other-port`))
      assert.strictEqual(proxy.connects().length, 2)
    }))

  it.scoped("http endpoints connect directly, around the proxy", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const proxy = yield* serveProxy()
      const transport = yield* NodeTransport.make({ proxy: proxy.url })
      assert.strictEqual(JSON.parse(text(yield* transport.send(request(`${server.url}/direct`)))).url, "/direct")
      assert.deepStrictEqual(proxy.connects(), [])
    }))
})

describe("NodeTransport settings", () => {
  it.scoped("a maxSockets, idleTimeout or proxy it cannot use is an InvalidArgumentError naming it", () =>
    Effect.gen(function*() {
      for (const maxSockets of [0, -1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(NodeTransport.make({ maxSockets }))
        assert.strictEqual(error.argument, "maxSockets")
      }
      for (const idleTimeout of ["soon", Infinity] as const) {
        const error = yield* Effect.flip(NodeTransport.make({ idleTimeout: idleTimeout as never }))
        assert.strictEqual(error.argument, "idleTimeout")
      }
      for (
        const proxy of [
          "socks5://ops:secret@proxy:1080",
          "ftp://ops:secret@proxy:21",
          "proxy:8080",
          "http://ops:secret@proxy:8080/?q",
          "http://ops%zz:secret@proxy:8080"
        ]
      ) {
        const error = yield* Effect.flip(NodeTransport.make({ proxy }))
        assert.strictEqual(error.argument, "proxy")
        assert.notInclude(error.message, "secret")
      }
      const fine = yield* NodeTransport.make({ maxSockets: Infinity, idleTimeout: "2 seconds", proxy: "" })
      assert.isFunction(fine.send)
      const secureProxy = yield* NodeTransport.make({ proxy: "https://ops:secret@proxy.contoso.com" })
      assert.isFunction(secureProxy.send)
    }))
})

describe("NodeTransport on a pooled connection the server closed", () => {
  /** Answers the first request of each connection; what `later` does with the ones after it. */
  const firstOnly = (later: (socket: Net.Socket, index: number) => void, answer?: string) => {
    const served = new WeakSet<Net.Socket>()
    return (socket: Net.Socket, _: string, index: number) => {
      if (served.has(socket)) return later(socket, index)
      served.add(socket)
      socket.write(answer ?? ok(String(index)))
    }
  }

  it.scoped("sends the request again, once and at once, on a new connection", () =>
    Effect.gen(function*() {
      for (const hangUp of [(socket: Net.Socket) => socket.end(), (socket: Net.Socket) => socket.resetAndDestroy()]) {
        const server = yield* serveRaw(firstOnly(hangUp))
        const transport = yield* NodeTransport.make({ maxSockets: 1 })
        assert.strictEqual(text(yield* transport.send(request(server.url))), "0")
        // The second request goes out on the pooled connection, which the server closes unanswered.
        assert.strictEqual(text(yield* transport.send(request(server.url))), "2")
        assert.strictEqual(server.requests().length, 3)
        assert.strictEqual(server.connections(), 2)
      }
    }))

  it.scoped("through the client, with no retries allowed, every call on a closed pooled connection succeeds", () =>
    Effect.gen(function*() {
      const token = JSON.stringify({ token: "t", expiresOn: "2030-01-01T00:00:00Z" })
      const answer =
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${token.length}\r\n\r\n${token}`
      const server = yield* serveRaw(firstOnly((socket) => socket.end(), answer))
      const key = Buffer.from("k".repeat(32)).toString("base64")
      const client = yield* Effect.provide(
        CommunicationIdentityClient,
        CommunicationIdentityClient.fromConnectionString(`endpoint=${server.url}/;accesskey=${key}`, {
          policy: { maxRetries: 0 }
        }).pipe(Layer.provide(NodeTransport.layer))
      )
      const user = { communicationUserId: `8:acs:${"1".repeat(8)}-1111-1111-1111-${"1".repeat(12)}_0` }
      for (let i = 0; i < 3; i++) {
        assert.strictEqual(Redacted.value((yield* client.getToken(user, ["chat"])).token), "t")
      }
      assert.strictEqual(server.requests().length, 5)
      assert.strictEqual(server.connections(), 3)
    }))

  it.scoped("does not send again on a new connection, after part of an answer, or after an idle timeout", () =>
    Effect.gen(function*() {
      const fresh = yield* serveRaw((socket) => socket.end())
      const freshTransport = yield* NodeTransport.make()
      assert.strictEqual((yield* Effect.flip(freshTransport.send(request(fresh.url)))).reason, "Network")
      assert.strictEqual(fresh.requests().length, 1)

      const partial = yield* serveRaw(firstOnly((socket) => socket.end("HTTP/1.1 200 OK\r\n")))
      const partialTransport = yield* NodeTransport.make()
      yield* partialTransport.send(request(partial.url))
      assert.strictEqual((yield* Effect.flip(partialTransport.send(request(partial.url)))).reason, "Network")
      assert.strictEqual(partial.requests().length, 2)
      assert.strictEqual(partial.connections(), 1)

      const stalled = yield* serveRaw(firstOnly(() => {}))
      const stalledTransport = yield* NodeTransport.make({ idleTimeout: "100 millis" })
      yield* stalledTransport.send(request(stalled.url))
      const idle = yield* Effect.flip(stalledTransport.send(request(stalled.url)))
      assert.strictEqual(idle.reason, "Network")
      assert.include(String((idle.cause as Error).message), "idle")
      assert.strictEqual(stalled.requests().length, 2)
      assert.strictEqual(stalled.connections(), 1)
    }))

  it.scoped("sends again at most once: a new connection that closes unanswered fails the request", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket, _, index) => index === 0 ? socket.write(ok("0")) : socket.end())
      const transport = yield* NodeTransport.make()
      yield* transport.send(request(server.url))
      const error = yield* Effect.flip(transport.send(request(server.url)))
      assert.strictEqual(error.reason, "Network")
      assert.strictEqual(server.requests().length, 3)
      assert.strictEqual(server.connections(), 2)
    }))

  it.scoped("the second sending stays within the attempt's budget", () =>
    Effect.gen(function*() {
      const server = yield* serveRaw((socket, _, index) => {
        if (index === 0) socket.write(ok("0"))
        else if (index === 1) socket.end()
      })
      const transport = yield* NodeTransport.make()
      yield* transport.send(request(server.url))
      const started = Date.now()
      const error = yield* Effect.flip(transport.send(request(server.url, { timeoutMillis: 150 })))
      assert.strictEqual(error.reason, "Timeout")
      assert.isBelow(Date.now() - started, 1_000)
      assert.strictEqual(server.requests().length, 3)
    }))
})
