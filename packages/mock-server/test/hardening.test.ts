import { MockServer, startMockServer } from "@acs-identity/mock-server"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as http from "node:http"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"
import { send, signHeaders } from "./utils/signing.js"

interface Answer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly text: string
}

/**
 * Sends a request head with node:http and, if `chunks` is given, streams that many 64 KiB chunks
 * (stopping once the answer arrives); without `chunks` no body byte is sent, whatever the headers say.
 */
const raw = (
  base: string,
  options: {
    readonly method: string
    readonly path: string
    readonly headers: Record<string, string>
    readonly chunks?: number
  }
) =>
  Effect.async<Answer, Error>((resume) => {
    const url = new URL(`${base}${options.path}`)
    let answered = false
    const request = http.request(url, { method: options.method, headers: options.headers }, (response) => {
      answered = true
      let text = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => (text += chunk))
      response.on("end", () =>
        resume(Effect.succeed({ status: response.statusCode ?? 0, headers: response.headers, text })))
    })
    request.on("error", (error) => {
      if (!answered) {
        resume(Effect.fail(error))
      }
    })
    request.flushHeaders()
    if (options.chunks !== undefined) {
      const chunk = Buffer.alloc(64 * 1024, 32)
      let sent = 0
      const pump = () => {
        while (!answered && sent < options.chunks! && request.write(chunk)) {
          sent++
        }
        if (!answered && sent < options.chunks!) {
          request.once("drain", pump)
        }
      }
      pump()
    }
    return Effect.sync(() =>
      request.destroy()
    )
  })

/**
 * Sends `body` the way curl and .NET send large bodies: `Expect: 100-continue`, and the body only
 * after the server's `100 Continue`. Reports whether a 100 came and the final status.
 */
const withExpectContinue = (base: string, path: string, headers: Record<string, string>, body: string) =>
  Effect.async<{ readonly continued: boolean; readonly status: number; readonly text: string }, Error>((resume) => {
    let continued = false
    const request = http.request(new URL(`${base}${path}`), {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        expect: "100-continue"
      }
    }, (response) => {
      let text = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => (text += chunk))
      response.on("end", () => resume(Effect.succeed({ continued, status: response.statusCode ?? 0, text })))
    })
    request.on("continue", () => {
      continued = true
      request.end(body)
    })
    request.on("error", (error) => resume(Effect.fail(error)))
    request.flushHeaders()
    return Effect.sync(() => request.destroy())
  })

/**
 * `Host` values a browser never sends that a prefix-only check took for loopback (issue 23, item 10):
 * text after a bracketed address, userinfo, a second port, spaces, an out-of-range octet or port.
 */
const hostTricks = (port: string) => [
  "[::1]evil.example",
  `[::1]evil.example:${port}`,
  `[::1]:${port}.evil.example`,
  `localhost@evil.example:${port}`,
  `evil.example@localhost:${port}`,
  `localhost:${port}:${port}`,
  `localhost.evil.example:${port}`,
  `127.0.0.1 evil.example`,
  "127.0.0.256",
  "[::1]:99999",
  "localhost:"
]

const fiftyMegabytes = String(50 * 1024 * 1024)
const errorCode = (answer: Answer) => (JSON.parse(answer.text) as { error: { code: string } }).error.code
const sdkHeaders = ["authorization", "content-type", "x-ms-date", "x-ms-content-sha256", "x-ms-client-request-id"]
const officialHeaders = ["accept", "x-ms-useragent", "x-ms-return-client-request-id", "authorization"]
const preflight = (origin = "http://app.example") => ({
  origin,
  "access-control-request-method": "POST",
  "access-control-request-headers": [...sdkHeaders, ...officialHeaders, "repeatability-request-id"].join(",")
})

describe("stateful mock: bodies, control endpoints, CORS", () => {
  layer(StatefulMockServer.layer(), { excludeTestServices: true })("defaults", (it) => {
    it.effect("an unsigned request is refused before its body is read (a 50 MB upload never sent)", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const answer = yield* raw(url, {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          headers: { "content-type": "application/json", "content-length": fiftyMegabytes }
        }).pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(answer.status, 401)
      }))

    it.effect("a wrongly signed request is refused before its body is read", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const path = "/identities?api-version=2025-06-30"
        const signed = signHeaders(new URL(`${url}${path}`), { method: "POST", path, body: "{}", key: "d3Jvbmc=" })
        const answer = yield* raw(url, {
          method: "POST",
          path,
          headers: { ...signed, "content-type": "application/json", "content-length": fiftyMegabytes }
        }).pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(answer.status, 401)
      }))

    it.effect("a signed request declaring more than 1 MiB gets 413 with the error envelope, unread", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const path = "/identities?api-version=2025-06-30"
        const signed = signHeaders(new URL(`${url}${path}`), { method: "POST", path, body: "{}" })
        const answer = yield* raw(url, {
          method: "POST",
          path,
          headers: { ...signed, "content-type": "application/json", "content-length": fiftyMegabytes }
        }).pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(answer.status, 413)
        assert.strictEqual(errorCode(answer), "RequestEntityTooLarge")
      }))

    it.effect("a signed chunked body is cut off with 413 once it passes 1 MiB", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const path = "/identities?api-version=2025-06-30"
        const signed = signHeaders(new URL(`${url}${path}`), { method: "POST", path, body: "{}" })
        const answer = yield* raw(url, {
          method: "POST",
          path,
          headers: { ...signed, "content-type": "application/json", "transfer-encoding": "chunked" },
          chunks: 64
        }).pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(answer.status, 413)
        assert.strictEqual(errorCode(answer), "RequestEntityTooLarge")
      }))

    it.effect("a body that does not match its signed hash is refused after reading", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const answer = yield* send(url, {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          body: "{}",
          signedBody: "{\"customId\":\"x\"}"
        })
        assert.strictEqual(answer.status, 401)
        assert.include(answer.text, "x-ms-content-sha256")
      }))

    it.effect("control endpoints: JSON only, loopback Host only", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const rules = JSON.stringify({ rules: [] })
        const form = yield* raw(url, {
          method: "POST",
          path: "/__control/faults",
          headers: { "content-type": "text/plain", "content-length": "0" }
        })
        assert.strictEqual(form.status, 415)
        const port = new URL(url).port
        for (const host of ["attacker.example", `attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`]) {
          const rebound = yield* raw(url, { method: "GET", path: "/__control/state", headers: { host } })
          assert.strictEqual(rebound.status, 403, host)
        }
        for (const host of hostTricks(port)) {
          const tricked = yield* raw(url, { method: "GET", path: "/__control/state", headers: { host } })
          assert.strictEqual(tricked.status, 403, host)
        }
        for (const host of [`localhost:${port}`, `LocalHost:${port}`, `127.0.0.1:${port}`, "127.0.0.1", "[::1]:80"]) {
          const local = yield* raw(url, { method: "GET", path: "/__control/state", headers: { host } })
          assert.strictEqual(local.status, 200, host)
        }
        const json = yield* Effect.async<number, Error>((resume) => {
          const request = http.request(`${url}/__control/faults`, {
            method: "POST",
            headers: { "content-type": "application/json; charset=utf-8" }
          }, (response) => {
            response.resume()
            resume(Effect.succeed(response.statusCode ?? 0))
          })
          request.on("error", (e) => resume(Effect.fail(e)))
          request.end(rules)
        })
        assert.strictEqual(json, 204)
      }))

    it.effect("CORS: preflights name the SDK's and the official client's headers; replies allow any origin", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const answer = yield* raw(url, { method: "OPTIONS", path: "/identities", headers: preflight() })
        assert.strictEqual(answer.status, 204)
        assert.strictEqual(answer.headers["access-control-allow-origin"], "*")
        for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
          assert.include(String(answer.headers["access-control-allow-methods"]), method)
        }
        const allowed = String(answer.headers["access-control-allow-headers"]).split(", ")
        for (
          const name of [...sdkHeaders, ...officialHeaders, "repeatability-request-id", "repeatability-first-sent"]
        ) {
          assert.include(allowed, name)
        }
        const created = yield* send(url, {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          body: "{}",
          headers: { origin: "http://app.example" }
        })
        assert.strictEqual(created.status, 201)
        assert.strictEqual(created.headers.get("access-control-allow-origin"), "*")
        assert.include(created.headers.get("access-control-expose-headers") ?? "", "x-ms-client-request-id")

        const control = yield* raw(url, { method: "OPTIONS", path: "/__control/faults", headers: preflight() })
        assert.isUndefined(control.headers["access-control-allow-origin"])
      }))
  })

  layer(StatefulMockServer.layer({ cors: false }), { excludeTestServices: true })("cors: false", (it) => {
    it.effect("no preflight answer and no CORS headers", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const answer = yield* raw(url, { method: "OPTIONS", path: "/identities", headers: preflight() })
        assert.strictEqual(answer.status, 404)
        assert.isUndefined(answer.headers["access-control-allow-origin"])
      }))

    it.effect("startMockServer({ stateful: true, cors: false }) passes the option on", () =>
      Effect.acquireUseRelease(
        Effect.promise(() => startMockServer({ stateful: true, cors: false })),
        (server) =>
          Effect.gen(function*() {
            const answer = yield* raw(server.url, { method: "OPTIONS", path: "/identities", headers: preflight() })
            assert.strictEqual(answer.status, 404)
            assert.isUndefined(answer.headers["access-control-allow-origin"])
          }),
        (server) => Effect.promise(() => server.close())
      ))
  })
})

describe("Prism mode: CORS, and faults on an IPv6 host", () => {
  layer(MockServer.layerPrism(), { excludeTestServices: true, timeout: "60 seconds" })("prism", (it) => {
    it.effect("CORS preflights are answered for any origin", () =>
      Effect.gen(function*() {
        const { url } = yield* MockServer
        const answer = yield* raw(url, { method: "OPTIONS", path: "/identities", headers: preflight() })
        assert.strictEqual(answer.status, 204)
        assert.strictEqual(answer.headers["access-control-allow-origin"], "http://app.example")
        const allowed = String(answer.headers["access-control-allow-headers"]).split(",")
        for (const name of [...sdkHeaders, ...officialHeaders]) assert.include(allowed, name)
      }))
  })

  layer(MockServer.layerPrism({ host: "::1", faults: [] }), { excludeTestServices: true, timeout: "60 seconds" })(
    "prism + faults on ::1",
    (it) => {
      it.effect("the URL brackets the address, requests reach Prism through the proxy, CORS is the proxy's", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          assert.match(url, /^http:\/\/\[::1\]:\d+$/)
          const created = yield* send(url, { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" })
          assert.strictEqual(created.status, 201)
          const answer = yield* raw(url, { method: "OPTIONS", path: "/identities", headers: preflight() })
          assert.strictEqual(answer.status, 204)
          assert.strictEqual(answer.headers["access-control-allow-origin"], "*")
          const rules = yield* raw(url, {
            method: "POST",
            path: "/__control/faults",
            headers: { "content-type": "text/plain", "content-length": "0" }
          })
          assert.strictEqual(rules.status, 415)
        }))
    }
  )

  layer(MockServer.layerPrism({ faults: [] }), { excludeTestServices: true, timeout: "60 seconds" })(
    "prism front proxy with its control endpoint",
    (it) => {
      it.effect("DELETE /__control/faults is refused for every Host trick, allowed for a loopback Host", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          const port = new URL(url).port
          for (const host of hostTricks(port)) {
            const tricked = yield* raw(url, { method: "DELETE", path: "/__control/faults", headers: { host } })
            assert.strictEqual(tricked.status, 403, host)
          }
          const local = yield* raw(url, {
            method: "DELETE",
            path: "/__control/faults",
            headers: { host: `localhost:${port}` }
          })
          assert.strictEqual(local.status, 204)
        }))

      it.effect("Expect: 100-continue gets 100 and then the same answer as without it (401, then 201)", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          const path = "/identities?api-version=2025-06-30"
          const plain = yield* raw(url, {
            method: "POST",
            path,
            headers: { "content-type": "application/json", "content-length": "0" }
          })
          assert.strictEqual(plain.status, 401)
          const unauthenticated = yield* withExpectContinue(url, path, {}, "{}").pipe(Effect.timeout("10 seconds"))
          assert.isTrue(unauthenticated.continued)
          assert.strictEqual(unauthenticated.status, 401, unauthenticated.text)
          const created = yield* withExpectContinue(url, path, { authorization: "HMAC-SHA256 x" }, "{}").pipe(
            Effect.timeout("10 seconds")
          )
          assert.strictEqual(created.status, 201, created.text)
        }))
    }
  )
})
