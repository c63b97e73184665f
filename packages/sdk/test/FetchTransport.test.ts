/**
 * `FetchTransport` over a recording `fetch`: what it hands `fetch`, how it reads the answer, and the
 * typed failure for each way a request cannot go out. (Real HTTP: `FetchDeadline.test.ts`, the
 * hostile-server and secret-hygiene suites and the packed runtime matrix.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as FetchTransport from "../src/FetchTransport.js"
import type { Transport } from "../src/index.js"

const request: Transport.TransportRequest = {
  method: "POST",
  origin: new URL("https://contoso.communication.azure.com"),
  path: "/identities?api-version=2025-06-30",
  headers: { accept: "application/json", "content-length": "2", host: "elsewhere", "x-ms-date": "now" },
  body: new TextEncoder().encode("{}"),
  timeoutMillis: 5_000,
  maxBodyBytes: 8
}

/** A `fetch` that records its calls and answers `response()`. */
const recording = (response: () => Response) => {
  const calls: Array<{ readonly url: URL; readonly init: RequestInit }> = []
  const fetch: FetchTransport.Fetch = (url, init) => {
    calls.push({ url, init })
    return Promise.resolve(response())
  }
  return { calls, fetch }
}

const failureOf = <A>(exit: Exit.Exit<A, { readonly reason: string }>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.reason : `not a failure: ${exit._tag}`

describe("FetchTransport", () => {
  it.effect("hands fetch the URL, method, body and headers (not content-length or host), no redirects", () =>
    Effect.gen(function*() {
      const { calls, fetch } = recording(() => new Response("{}", { status: 201 }))
      const response = yield* FetchTransport.make(fetch).send(request)
      assert.strictEqual(response.status, 201)
      assert.strictEqual(calls.length, 1)
      const { init, url } = calls[0]!
      assert.strictEqual(url.href, "https://contoso.communication.azure.com/identities?api-version=2025-06-30")
      assert.strictEqual(init.method, "POST")
      assert.strictEqual(init.redirect, "manual")
      assert.instanceOf(init.signal, AbortSignal)
      assert.deepStrictEqual([...new Headers(init.headers).keys()], ["accept", "x-ms-date"])
      assert.strictEqual<unknown>(init.body, request.body)
    }))

  it.effect("keeps set-cookie as a list and reads at most the bound plus one byte", () =>
    Effect.gen(function*() {
      const headers = new Headers([["set-cookie", "a=1"], ["set-cookie", "b=2"], ["retry-after", "3"]])
      const { fetch } = recording(() => new Response("x".repeat(100), { status: 200, headers }))
      const response = yield* FetchTransport.make(fetch).send(request)
      assert.deepStrictEqual(response.headers["set-cookie"], ["a=1", "b=2"])
      assert.strictEqual(response.headers["retry-after"], "3")
      assert.strictEqual(response.body.length, request.maxBodyBytes + 1)
    }))

  it.effect("a header fetch refuses is Encode, a path that is no URL is InvalidUrl: nothing is sent", () =>
    Effect.gen(function*() {
      const { calls, fetch } = recording(() => new Response(null, { status: 204 }))
      const transport = FetchTransport.make(fetch)
      const encode = yield* Effect.exit(transport.send({ ...request, headers: { "x-bad": "a\r\nb: c" } }))
      assert.strictEqual(failureOf(encode), "Encode")
      const invalid = yield* Effect.exit(transport.send({ ...request, path: "//[::1" }))
      assert.strictEqual(failureOf(invalid), "InvalidUrl")
      assert.strictEqual(calls.length, 0)
    }))

  it.effect("a fetch that throws, or rejects, is a Network failure, not a defect", () =>
    Effect.gen(function*() {
      const throwing = FetchTransport.make(() => {
        throw new TypeError("fetch is not a function")
      })
      assert.strictEqual(failureOf(yield* Effect.exit(throwing.send(request))), "Network")
      const rejecting = FetchTransport.make(() => Promise.reject(new TypeError("fetch failed")))
      assert.strictEqual(failureOf(yield* Effect.exit(rejecting.send(request))), "Network")
    }))

  describe("a connection closed before any answer", () => {
    /** The error Node's fetch (undici) rejects with, its cause carrying `code`. */
    const undiciError = (code: string) =>
      new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code }) })
    /** Bun's: the code on the error itself. */
    const bunError = Object.assign(new TypeError("The socket connection was closed unexpectedly."), {
      code: "ECONNRESET"
    })
    /** workerd's: no code, only its message. */
    const workerdError = new Error("Network connection lost.")

    /** A `fetch` that fails with each of `failures` in turn, then answers 200. */
    const failing = (...failures: ReadonlyArray<unknown>) => {
      let calls = 0
      const fetch: FetchTransport.Fetch = () =>
        calls++ < failures.length ? Promise.reject(failures[calls - 1]) : Promise.resolve(new Response("{}"))
      return { fetch, calls: () => calls }
    }

    it.effect("is sent again once, at once, however the runtime says so (undici's cause, Bun's code, workerd's message)", () =>
      Effect.gen(function*() {
        for (
          const error of [
            undiciError("UND_ERR_SOCKET"),
            undiciError("ECONNRESET"),
            undiciError("EPIPE"),
            bunError,
            workerdError
          ]
        ) {
          const { calls, fetch } = failing(error)
          assert.strictEqual((yield* FetchTransport.make(fetch).send(request)).status, 200)
          assert.strictEqual(calls(), 2)
        }
      }))

    it.effect("a second such failure is a Network failure: at most one more sending", () =>
      Effect.gen(function*() {
        const { calls, fetch } = failing(undiciError("UND_ERR_SOCKET"), workerdError, bunError)
        assert.strictEqual(failureOf(yield* Effect.exit(FetchTransport.make(fetch).send(request))), "Network")
        assert.strictEqual(calls(), 2)
      }))

    it.live("any other failure is not sent again: a refused connection, a body that broke off, a timeout", () =>
      Effect.gen(function*() {
        const refused = failing(undiciError("ECONNREFUSED"))
        assert.strictEqual(failureOf(yield* Effect.exit(FetchTransport.make(refused.fetch).send(request))), "Network")
        assert.strictEqual(refused.calls(), 1)

        let bodyCalls = 0
        const brokenBody = FetchTransport.make(() => {
          bodyCalls++
          const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(bunError) })
          return Promise.resolve(new Response(body))
        })
        assert.strictEqual(failureOf(yield* Effect.exit(brokenBody.send(request))), "Network")
        assert.strictEqual(bodyCalls, 1)

        let abortedCalls = 0
        const aborted = FetchTransport.make((_, init) => {
          abortedCalls++
          return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(bunError)))
        })
        const timedOut = yield* Effect.exit(aborted.send({ ...request, timeoutMillis: 20 }))
        assert.strictEqual(failureOf(timedOut), "Timeout")
        yield* Effect.sleep("20 millis")
        assert.strictEqual(abortedCalls, 1)
      }))
  })
})
