/**
 * The fetch transports' attempt deadline (`HttpClientTransport.fromHttpClient` over the platform's
 * fetch, and `FetchTransport` straight over `fetch`) against a real `node:http` server on
 * loopback: a timed-out or interrupted attempt aborts its request (the server sees the connection
 * close), a finished one leaves no timer behind, and no failure is logged as an unhandled fiber.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, type Layer, Logger, LogLevel } from "effect"
import * as FetchTransport from "../src/FetchTransport.js"
import * as HttpClientTransport from "../src/HttpClientTransport.js"
import { Transport } from "../src/index.js"
import { serveHttp } from "./utils/LoopbackHttp.js"

/** A server that answers `/ok` at once and never answers anything else; it reports closed requests. */
const listen = Effect.suspend(() => {
  let closed = 0
  return Effect.map(
    serveHttp((request, response) => {
      request.resume()
      response.on("close", () => {
        if (!response.writableFinished) closed++
      })
      if (request.url?.startsWith("/ok") === true) {
        response.writeHead(200, { "content-type": "application/json", "content-length": 2 })
        response.end("{}")
      }
    }),
    (served) => ({ ...served, closed: () => closed })
  )
})

const request = (origin: URL, path: string, timeoutMillis: number): Transport.TransportRequest => ({
  method: "GET",
  origin,
  path,
  headers: { accept: "application/json" },
  body: undefined,
  timeoutMillis,
  maxBodyBytes: 1024
})

/** Polls until `condition` holds, for at most a second. */
const eventually = (condition: () => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && !condition(); i++) yield* Effect.sleep("10 millis")
    return condition()
  })

const pendingTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length

const transports: ReadonlyArray<readonly [string, Layer.Layer<Transport.Transport>]> = [
  ["HttpClientTransport.layerFetch", HttpClientTransport.layerFetch],
  ["FetchTransport.layer", FetchTransport.layer]
]

for (const [name, layer] of transports) {
  describe(`${name} attempt deadline`, () => {
    const send = (transportRequest: Transport.TransportRequest) =>
      Effect.flatMap(Transport.Transport, (transport) => transport.send(transportRequest)).pipe(Effect.provide(layer))

    it.scopedLive("a stalled attempt fails with Timeout near its budget and its request is aborted", () =>
      Effect.gen(function*() {
        const { closed, origin } = yield* listen
        const started = Date.now()
        const exit = yield* Effect.exit(send(request(origin, "/stall", 200)))
        const elapsed = Date.now() - started
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
        assert.strictEqual(error?.reason, "Timeout")
        assert.isAtLeast(elapsed, 190)
        assert.isAtMost(elapsed, 1500)
        assert.isTrue(yield* eventually(() => closed() === 1), "the server saw the request aborted")
      }))

    it.scopedLive("interrupting the caller aborts the request at once", () =>
      Effect.gen(function*() {
        const { closed, origin } = yield* listen
        const fiber = yield* Effect.fork(send(request(origin, "/stall", 60_000)))
        yield* Effect.sleep("100 millis")
        const started = Date.now()
        yield* Fiber.interrupt(fiber)
        assert.isAtMost(Date.now() - started, 500)
        assert.isTrue(yield* eventually(() => closed() === 1), "the server saw the request aborted")
      }))

    it.scopedLive("a finished attempt leaves no timer running", () =>
      Effect.gen(function*() {
        const { origin } = yield* listen
        yield* send(request(origin, "/ok", 60_000))
        const before = pendingTimers()
        const response = yield* send(request(origin, "/ok", 60_000))
        assert.strictEqual(new TextDecoder().decode(response.body), "{}")
        assert.strictEqual(pendingTimers(), before)
      }))

    it.scopedLive("a failed attempt is not logged by its fiber as unhandled, even at the debug level", () =>
      Effect.gen(function*() {
        const { origin, server } = yield* listen
        const records: Array<string> = []
        const closedOrigin = new URL(origin.href)
        yield* Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
        })
        const exit = yield* Effect.exit(send(request(closedOrigin, "/ok", 5_000))).pipe(
          Effect.provide(
            Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => records.push(String(message))))
          ),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
        const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
        assert.strictEqual(error?.reason, "Network")
        yield* Effect.sleep("20 millis")
        assert.deepStrictEqual(records, [])
      }))

    it.scopedLive("a budget beyond what Node's timers hold does not fire at once", () =>
      Effect.gen(function*() {
        const { origin } = yield* listen
        const response = yield* send(request(origin, "/ok", 2 ** 40))
        assert.strictEqual(response.status, 200)
      }))
  })
}
