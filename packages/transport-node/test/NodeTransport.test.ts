import { NodeTransport } from "@acs-identity/transport-node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Stream from "effect/Stream"
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

describe("NodeTransport", () => {
  it.scoped("sends method, headers and body and returns status, headers and body", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const client = yield* NodeTransport.make()
      const response = yield* client.execute(
        HttpClientRequest.post(`${server.url}/things?x=1`).pipe(
          HttpClientRequest.setHeader("x-custom", "yes"),
          HttpClientRequest.bodyUnsafeJson({ hello: "world" })
        )
      )
      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers["content-type"], "application/json")
      assert.deepStrictEqual(yield* response.json, {
        method: "POST",
        url: "/things?x=1",
        contentType: "application/json",
        custom: "yes",
        body: "{\"hello\":\"world\"}"
      })
      assert.strictEqual(JSON.parse(yield* response.text).method, "POST")
    }))

  it.scoped("reuses one keep-alive connection for sequential requests", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const client = yield* NodeTransport.make()
      for (let i = 0; i < 5; i++) {
        const response = yield* client.execute(HttpClientRequest.get(`${server.url}/n/${i}`))
        yield* response.text
      }
      assert.strictEqual(server.connections(), 1)
    }))

  it.scoped("a refused connection is a RequestError with reason Transport", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const client = yield* NodeTransport.make()
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`http://127.0.0.1:${port}/`)))
      assert.strictEqual(error._tag, "RequestError")
      assert.strictEqual(error.reason, "Transport")
      assert.strictEqual((error.cause as NodeJS.ErrnoException).code, "ECONNREFUSED")
    }))

  it.scoped("interrupting a call aborts the request and leaves no socket open", () =>
    Effect.gen(function*() {
      const arrived = yield* Deferred.make<void>()
      const closed = yield* Deferred.make<void>()
      const server = yield* serve((request) => {
        Deferred.unsafeDone(arrived, Effect.void)
        request.socket.once("close", () => Deferred.unsafeDone(closed, Effect.void))
      })
      const agents = yield* withAgents
      const client = NodeTransport.fromAgents(agents)
      const fiber = yield* Effect.fork(client.execute(HttpClientRequest.get(`${server.url}/hang`)))
      yield* Deferred.await(arrived)
      yield* Fiber.interrupt(fiber)
      yield* Deferred.await(closed)
      assert.strictEqual(socketsHeld(agents.http), 0)
      assert.strictEqual(server.openSockets(), 0)
    }))

  it.scoped("an idle socket fails the request after idleTimeout", () =>
    Effect.gen(function*() {
      const server = yield* serve(() => {})
      const client = yield* NodeTransport.make({ idleTimeout: "100 millis" })
      const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`${server.url}/slow`)))
      assert.strictEqual(error._tag, "RequestError")
      assert.strictEqual(error.reason, "Transport")
    }))

  it.scoped("streams a large or unsized body as it arrives", () =>
    Effect.gen(function*() {
      const firstSeen = yield* Deferred.make<void>()
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.write("first;")
        Effect.runFork(Effect.andThen(Deferred.await(firstSeen), () => response.end("second")))
      })
      const client = yield* NodeTransport.make()
      const response = yield* client.execute(HttpClientRequest.get(`${server.url}/stream`))
      const decoder = new TextDecoder()
      const chunks = yield* response.stream.pipe(
        Stream.map((bytes) => decoder.decode(bytes)),
        Stream.tap(() => Deferred.succeed(firstSeen, undefined)),
        Stream.runCollect
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(chunks), ["first;", "second"])
    }))

  it.scoped("reads a body larger than readAheadBytes through text", () =>
    Effect.gen(function*() {
      const big = "x".repeat(200_000)
      const server = yield* serve((_, response) => {
        response.writeHead(200, { "content-length": big.length })
        response.end(big)
      })
      const client = yield* NodeTransport.make()
      const response = yield* client.execute(HttpClientRequest.get(server.url))
      assert.strictEqual((yield* response.text).length, big.length)
    }))

  it.scoped("is the HttpClient of NodeTransport.layer", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const response = yield* HttpClient.get(`${server.url}/layer`)
      assert.strictEqual(response.status, 200)
    }).pipe(Effect.provide(NodeTransport.layer)))
})

describe("NodeTransport under a stalling or hostile peer", () => {
  const stallMidBody: Http.RequestListener = (_, response) => {
    response.writeHead(200, { "content-type": "application/json" })
    response.write("{\"partial\":")
  }

  it.scopedLive("interrupting a stream stalled mid-body ends at once and destroys the socket", () =>
    Effect.gen(function*() {
      const server = yield* serve(stallMidBody)
      const client = yield* NodeTransport.make()
      const response = yield* client.execute(HttpClientRequest.get(server.url))
      const started = Date.now()
      const result = yield* response.stream.pipe(Stream.runDrain, Effect.timeout("200 millis"), Effect.either)
      assert.strictEqual(result._tag, "Left")
      assert.isBelow(Date.now() - started, 2000)
      yield* Effect.sleep("50 millis")
      assert.strictEqual(server.openSockets(), 0)
    }))

  it.scopedLive("interrupting a stalled whole-body read (text) ends at once too", () =>
    Effect.gen(function*() {
      const server = yield* serve(stallMidBody)
      const client = yield* NodeTransport.make()
      const response = yield* client.execute(HttpClientRequest.get(server.url))
      const started = Date.now()
      const result = yield* response.text.pipe(Effect.timeout("200 millis"), Effect.either)
      assert.strictEqual(result._tag, "Left")
      assert.isBelow(Date.now() - started, 2000)
    }))

  it.scoped("a header value node:http refuses is a RequestError with reason Encode, not a defect", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const client = yield* NodeTransport.make()
      const error = yield* Effect.flip(
        client.execute(HttpClientRequest.get(server.url).pipe(HttpClientRequest.setHeader("x-bad", "a\r\nb: c")))
      )
      assert.strictEqual(error._tag, "RequestError")
      assert.strictEqual(error.reason, "Encode")
      assert.strictEqual(server.connections(), 0)
    }))

  it.scoped("a streamed request body runs on the caller's runtime (its logger)", () =>
    Effect.gen(function*() {
      const server = yield* serve(echo)
      const client = yield* NodeTransport.make()
      const logged: Array<unknown> = []
      const body = Stream.make("a", "b").pipe(
        Stream.tap((part) => Effect.log(`sending ${part}`)),
        Stream.encodeText
      )
      const response = yield* client.execute(
        HttpClientRequest.post(server.url).pipe(HttpClientRequest.bodyStream(body))
      ).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => void logged.push(message))))
      )
      const echoed = (yield* response.json) as { readonly body: string }
      assert.strictEqual(echoed.body, "ab")
      assert.deepStrictEqual(logged.flat(), ["sending a", "sending b"])
    }))
})
