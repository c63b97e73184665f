/**
 * A malicious or broken service on loopback (a real `node:http` server inside the test), reached
 * through both recommended transports: every call ends within its deadline with a typed error.
 */
import { NodeTransport } from "@acs-identity/transport-node"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer, Redacted, Stream } from "effect"
import type * as Http from "node:http"
import * as Zlib from "node:zlib"
import * as EntraAssignments from "../src/EntraAssignments.js"
import * as FetchTransport from "../src/FetchTransport.js"
import * as HttpClientTransport from "../src/HttpClientTransport.js"
import { CommunicationIdentityClient, EntraCredential, type RequestPolicy, Transport } from "../src/index.js"
import { serveHttp } from "./utils/LoopbackHttp.js"

const key = Buffer.from("hostile-server-test-key").toString("base64")
const user = { communicationUserId: "8:acs:r_u" }
const policy: Partial<RequestPolicy> = {
  maxRetries: 1,
  baseDelay: "10 millis",
  attemptTimeout: "400 millis",
  timeout: "1200 millis"
}
/** What "within its deadline" allows beyond `policy.timeout` for scheduling on a shared machine. */
const slackMillis = 1500

/** A server whose behaviour the test sets before each call; it counts the requests it got. */
interface Hostile {
  readonly url: string
  readonly requests: () => number
  behave: (request: Http.IncomingMessage, response: Http.ServerResponse) => void
}

const listen = (hostile: Omit<Hostile, "url" | "requests">) =>
  Effect.suspend(() => {
    let requests = 0
    const handle: Hostile = Object.assign(hostile, { url: "", requests: () => requests })
    return serveHttp((request, response) => {
      requests++
      // Drain the request body, then misbehave.
      request.resume()
      request.once("end", () => handle.behave(request, response))
    }).pipe(Effect.map(({ origin }) => Object.assign(handle, { url: origin.origin })))
  })

const json =
  (status: number, body: string, headers: Http.OutgoingHttpHeaders = {}) =>
  (_: Http.IncomingMessage, response: Http.ServerResponse) => {
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...headers
    })
    response.end(body)
  }

const stall = () => undefined

const transports: ReadonlyArray<readonly [string, Layer.Layer<Transport.Transport>]> = [
  ["NodeTransport", NodeTransport.layer],
  ["HttpClientTransport.layerFetch", HttpClientTransport.layerFetch],
  ["FetchTransport.layer", FetchTransport.layer]
]

const envelope = (code: string) => JSON.stringify({ error: { code, message: "no" } })
const deepArrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const deepInnerError = (depth: number) => {
  let inner = "{\"code\":\"Inner\",\"message\":\"deep\"}"
  for (let i = 0; i < depth; i++) inner = `{"code":"Inner","message":"deep","innererror":${inner}}`
  return `{"error":{"code":"InvalidAccessToken","message":"deep","innererror":${inner}}}`
}
const bomb = Zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, "a"))

for (const [name, transport] of transports) {
  describe(`hostile server over ${name}`, () => {
    /** Runs `getToken` against a server behaving as `behave`; returns the error and the time taken. */
    const getToken = (
      behave: Hostile["behave"],
      overrides: Partial<RequestPolicy> = {}
    ) =>
      Effect.gen(function*() {
        const server = yield* listen({ behave })
        const client = yield* CommunicationIdentityClient.make({
          endpoint: server.url,
          policy: { ...policy, ...overrides }
        }).pipe(
          Effect.provide(Layer.merge(transport, EntraCredential.layer(Effect.succeed(Redacted.make("entra-token")))))
        )
        const started = Date.now()
        const exit = yield* Effect.exit(client.getToken(user, ["chat"]))
        const elapsed = Date.now() - started
        assert.isTrue(Exit.isFailure(exit), "the call must fail")
        const error = Exit.isFailure(exit) ? exit.cause : undefined
        assert.strictEqual(error?._tag, "Fail", `a typed error, not ${error?._tag}`)
        assert.isAtMost(elapsed, Duration.toMillis(overrides.timeout ?? policy.timeout!) + slackMillis)
        return { error: error?._tag === "Fail" ? error.error : undefined, elapsed, requests: server.requests() }
      })

    const timesOut = (behave: Hostile["behave"]) =>
      Effect.gen(function*() {
        const { error, requests } = yield* getToken(behave)
        assert.strictEqual(error?._tag, "TransportError")
        assert.strictEqual(error?._tag === "TransportError" ? error.reason : undefined, "Timeout")
        assert.strictEqual(requests, 2, "one retry after the first attempt timed out")
      })

    it.scopedLive("no response head at all", () => timesOut(stall))

    it.scopedLive("headers, then a chunked body that stops midway", () =>
      timesOut((_, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.write("{\"token\":\"")
      }))

    it.scopedLive("a sized body that stops short", () =>
      timesOut((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 100 })
        response.write("{\"token\":\"")
      }))

    it.scopedLive("a body larger than any read-ahead that stops midway", () =>
      timesOut((_, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 200_000 })
        response.write(`{"token":"${"x".repeat(100_000)}`)
      }))

    it.scopedLive("an error status whose body stops midway", () =>
      Effect.forEach([401, 429, 500], (status) =>
        timesOut((_, response) => {
          response.writeHead(status, { "content-type": "application/json" })
          response.write("{\"error\":{\"code\":")
        })))

    it.scopedLive("a same-origin redirect is an error, not followed", () =>
      Effect.gen(function*() {
        let followed = 0
        const { error, requests } = yield* getToken((request, response) => {
          if (request.url?.startsWith("/elsewhere") === true) {
            followed++
            return json(200, JSON.stringify({ token: "x", expiresOn: "2030-01-01T00:00:00Z" }))(request, response)
          }
          response.writeHead(302, { location: "/elsewhere", "content-length": 0 })
          response.end()
        })
        assert.strictEqual(error?._tag, "ServiceError")
        assert.strictEqual(followed, 0)
        assert.strictEqual(requests, 1, "a redirect is not retried")
      }))

    it.scopedLive("a cross-origin 302 sends nothing to the other origin", () =>
      Effect.gen(function*() {
        const other = yield* listen({
          behave: json(200, JSON.stringify({ token: "stolen", expiresOn: "2030-01-01T00:00:00Z" }))
        })
        const { error } = yield* getToken((_, response) => {
          response.writeHead(302, { location: `${other.url}/identities`, "content-length": 0 })
          response.end()
        })
        assert.strictEqual(error?._tag, "ServiceError")
        assert.strictEqual(error?._tag === "ServiceError" ? error.status : 0, 302)
        assert.strictEqual(other.requests(), 0)
      }))

    it.scopedLive("a gzip bomb (64 MiB from 64 KiB) is cut at the body bound", () =>
      Effect.gen(function*() {
        const heapBefore = process.memoryUsage().heapUsed
        const { error } = yield* getToken((_, response) => {
          response.writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": bomb.length
          })
          response.end(bomb)
        })
        assert.strictEqual(error?._tag, "UnexpectedResponseError")
        // The decoded bytes kept are bounded (1 MiB for a success body), far below what the bomb inflates to.
        assert.isBelow(process.memoryUsage().heapUsed - heapBefore, 48 * 1024 * 1024)
      }))

    it.scopedLive("a success body of 3,000 nested arrays", () =>
      Effect.gen(function*() {
        const { error } = yield* getToken(json(200, deepArrays(3000)))
        assert.strictEqual(error?._tag, "UnexpectedResponseError")
        assert.include(error?.message, "nests deeper")
      }))

    it.scopedLive("an error body whose innererror nests 1,600 deep", () =>
      Effect.gen(function*() {
        const { error } = yield* getToken(json(401, deepInnerError(1600)))
        assert.strictEqual(error?._tag, "AuthenticationError")
        assert.include(error?.message, "nested too deeply")
      }))

    it.scopedLive("a response head larger than the parser accepts", () =>
      Effect.gen(function*() {
        const { error } = yield* getToken((_, response) => {
          response.writeHead(200, { "content-type": "application/json", "x-huge": "h".repeat(256 * 1024) })
          response.end("{}")
        }, { maxRetries: 0 })
        assert.strictEqual(error?._tag, "TransportError")
        assert.strictEqual(error?._tag === "TransportError" ? error.reason : undefined, "Network")
      }))

    it.scopedLive("Retry-After beyond the deadline fails at once with ThrottledError", () =>
      Effect.forEach(
        [{ "retry-after": "999999" }, { "retry-after-ms": "1e30" }, { "retry-after-ms": "5000" }],
        (headers) =>
          Effect.gen(function*() {
            const { elapsed, error, requests } = yield* getToken(json(429, envelope("TooManyRequests"), headers))
            assert.strictEqual(error?._tag, "ThrottledError")
            assert.isDefined(error?._tag === "ThrottledError" ? error.retryAfter : undefined)
            assert.strictEqual(requests, 1)
            assert.isBelow(elapsed, 400)
          })
      ))

    it.scopedLive("an Entra token with CR/LF, NUL or non-Latin-1 characters is a CredentialError, nothing sent", () =>
      Effect.forEach(["a\r\nx-injected: 1", "a\u0000b", "tok\u20ac"], (token) =>
        Effect.gen(function*() {
          const server = yield* listen({ behave: json(200, "{}") })
          const client = yield* CommunicationIdentityClient.make({ endpoint: server.url, policy }).pipe(
            Effect.provide(Layer.merge(transport, EntraCredential.layer(Effect.succeed(Redacted.make(token)))))
          )
          const error = yield* Effect.flip(client.revokeTokens(user))
          assert.strictEqual(error._tag, "CredentialError")
          assert.strictEqual(server.requests(), 0)
        })))
  })
}

describe("hostile server, HMAC client", () => {
  it.scopedLive("a create whose body stalls ends within the deadline on NodeTransport, with the same repeatability id", () =>
    Effect.gen(function*() {
      const ids: Array<string | undefined> = []
      const server = yield* listen({
        behave: (request, response) => {
          ids.push(request.headers["repeatability-request-id"] as string | undefined)
          response.writeHead(201, { "content-type": "application/json" })
          response.write("{\"identity\":")
        }
      })
      const started = Date.now()
      const error = yield* Effect.flip(
        Effect.flatMap(CommunicationIdentityClient, (client) => client.createUser()).pipe(
          Effect.provide(
            CommunicationIdentityClient.fromConnectionString(`endpoint=${server.url}/;accesskey=${key}`, { policy })
              .pipe(Layer.provide(NodeTransport.layer))
          )
        )
      )
      assert.strictEqual(error._tag, "TransportError")
      assert.isAtMost(Date.now() - started, Duration.toMillis(policy.timeout!) + slackMillis)
      assert.strictEqual(ids.length, 2)
      assert.isDefined(ids[0])
      assert.strictEqual(ids[0], ids[1])
    }))
})

describe("hostile server, paging", () => {
  const listPath = "/access/entra/assignments"
  const assignment = (objectId: string) => ({
    objectId,
    tenantId: "c70d068c-2f32-484d-9455-73070cd5aadd",
    principalType: "user",
    clientIds: ["1fd5118e-2576-4263-8130-9503064c837a"]
  })
  const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`

  /** A list server answering each page from `page(query)`; the test bounds how long the listing may run. */
  const listing = (page: (query: URLSearchParams, url: string) => { items: number; nextLink?: string }) =>
    listen({
      behave: (request, response) => {
        const url = new URL(request.url ?? "/", `http://${request.headers.host}`)
        const { items, nextLink } = page(url.searchParams, url.origin)
        const body = JSON.stringify({
          value: Array.from({ length: items }, (_, i) => assignment(guid(i))),
          ...(nextLink === undefined ? {} : { nextLink })
        })
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
        response.end(body)
      }
    })

  const list = (server: Hostile, transport: Layer.Layer<Transport.Transport>, maxPages?: number, take?: number) =>
    Effect.flatMap(CommunicationIdentityClient, (client) => {
      const stream = EntraAssignments.stream(client, maxPages === undefined ? {} : { maxPages })
      return Stream.runCollect(take === undefined ? stream : Stream.take(stream, take))
    }).pipe(
      Effect.provide(
        CommunicationIdentityClient.fromConnectionString(`endpoint=${server.url}/;accesskey=${key}`, {
          apiVersion: "2025-03-02-preview",
          policy: { maxRetries: 0 }
        }).pipe(Layer.provide(transport))
      ),
      Effect.timeoutFail({
        duration: "10 seconds",
        onTimeout: () => ({ _tag: "Hung" as const, message: "the listing did not end" })
      }),
      Effect.flip
    )

  for (const [name, transport] of transports) {
    it.scopedLive(`${name}: a nextLink to itself, A -> B -> A, or back to page 1 is a cycle, named`, () =>
      Effect.gen(function*() {
        const self = yield* listing((_, origin) => ({ items: 1, nextLink: `${origin}${listPath}?skip=1` }))
        const selfError = yield* list(self, transport)
        assert.strictEqual(selfError._tag, "UnexpectedResponseError")
        assert.match(selfError.message, /skip=1.*followed before/)
        assert.strictEqual(self.requests(), 2)

        const ab = yield* listing((query) => ({
          items: 1,
          nextLink: `${listPath}?page=${query.get("page") === "b" ? "a" : "b"}`
        }))
        const abError = yield* list(ab, transport)
        assert.match(abError.message, /cycle/)
        assert.strictEqual(ab.requests(), 3)

        const first = yield* listing(() => ({ items: 1, nextLink: `${listPath}?api-version=2025-03-02-preview#top` }))
        const firstError = yield* list(first, transport)
        assert.match(firstError.message, /cycle/)
        assert.strictEqual(first.requests(), 1)
      }))

    it.scopedLive(`${name}: endless distinct links and endless empty pages stop at maxPages`, () =>
      Effect.gen(function*() {
        let n = 0
        const endless = yield* listing(() => ({ items: 1, nextLink: `${listPath}?skip=${++n}` }))
        const error = yield* list(endless, transport, 25)
        assert.strictEqual(error._tag, "UnexpectedResponseError")
        assert.match(error.message, /more than 25 pages/)
        assert.strictEqual(endless.requests(), 25)

        let m = 0
        const empty = yield* listing(() => ({ items: 0, nextLink: `${listPath}?skip=${++m}` }))
        const emptyError = yield* list(empty, transport, 40, 1)
        assert.match(emptyError.message, /more than 40 pages/)
        assert.strictEqual(empty.requests(), 40)
      }))
  }

  it.effect("maxPages must be a whole number from 1, refused before any request", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      for (const maxPages of [0, -1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(Stream.runDrain(EntraAssignments.stream(client, { maxPages })))
        assert.strictEqual(error._tag, "InvalidArgumentError")
      }
    }).pipe(
      Effect.provide(
        CommunicationIdentityClient.fromConnectionString(`endpoint=http://127.0.0.1:1/;accesskey=${key}`, {
          apiVersion: "2025-03-02-preview"
        }).pipe(Layer.provide(Layer.succeed(Transport.Transport, { send: () => Effect.die("nothing is sent") })))
      )
    ))
})
