import { Transport } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Http from "node:http"
import * as Https from "node:https"
import { closedPort, serve } from "./utils.js"

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

/** Our own agents, so a test can look at the sockets they hold. */
const withAgents = Effect.acquireRelease(
  Effect.sync(() => ({ http: new Http.Agent({ keepAlive: true }), https: new Https.Agent({ keepAlive: true }) })),
  (agents) =>
    Effect.sync(() => {
      agents.http.destroy()
      agents.https.destroy()
    })
)

const socketsHeld = (agent: Http.Agent) =>
  Object.values(agent.sockets).flat().length + Object.values(agent.freeSockets).flat().length

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
      const agents = yield* withAgents
      const transport = NodeTransport.fromAgents(agents)
      const fiber = yield* Effect.fork(transport.send(request(`${server.url}/hang`)))
      yield* Deferred.await(arrived)
      yield* Fiber.interrupt(fiber)
      yield* Deferred.await(closed)
      assert.strictEqual(socketsHeld(agents.http), 0)
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
