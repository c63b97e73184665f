/**
 * The fast-path contract: NodeTransport offers it, wrapped clients and other transports take the
 * general path, and either way a call makes one span (the operation's) carrying the request id, the
 * final status and the attempt count.
 */
import { NodeTransport } from "@acs-identity/transport-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Http from "node:http"
import type * as Net from "node:net"
import { AttemptTransport, CommunicationIdentityClient } from "../src/index.js"
import { recorderLayer, type Recording } from "./utils/Recorder.js"

const key = Buffer.from("attempt-transport-test-key").toString("base64")
const tokenBody = JSON.stringify({ token: "t.t.t", expiresOn: "2030-01-01T00:00:00Z" })

/** A service answering 503 once, then the token; counts requests. */
const flaky = Effect.acquireRelease(
  Effect.async<{ readonly server: Http.Server; readonly url: string; readonly requests: () => number }>((resume) => {
    let requests = 0
    const server = Http.createServer((request, response) => {
      request.resume()
      request.on("end", () => {
        requests++
        const [status, body] = requests === 1
          ? [503, JSON.stringify({ error: { code: "Busy", message: "later" } })]
          : [200, tokenBody]
        response.writeHead(status, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "retry-after-ms": "1"
        })
        response.end(body)
      })
    })
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        server,
        url: `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`,
        requests: () => requests
      })))
  }),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

const transports = [
  ["NodeTransport (fast path)", NodeTransport.layer],
  [
    "NodeTransport wrapped by mapRequest (general path)",
    Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, HttpClient.mapRequest((r) => r))).pipe(
      Layer.provide(NodeTransport.layer)
    )
  ],
  ["FetchHttpClient (general path)", FetchHttpClient.layer]
] as const

describe("AttemptTransport", () => {
  it.scoped("NodeTransport offers the fast path; a wrapped client does not", () =>
    Effect.gen(function*() {
      const client = yield* NodeTransport.make()
      assert.isDefined(AttemptTransport.fromClient(client))
      assert.isUndefined(AttemptTransport.fromClient(HttpClient.mapRequest(client, (request) => request)))
      const fetchClient = yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
      assert.isUndefined(AttemptTransport.fromClient(fetchClient))
    }))

  for (const [name, transport] of transports) {
    it.scopedLive(`${name}: one span per operation with request id, final status and attempts`, () =>
      Effect.gen(function*() {
        const { requests, url } = yield* flaky
        const recording: Recording = { lines: [] }
        const token = yield* Effect.flatMap(
          CommunicationIdentityClient,
          (client) => client.getToken({ communicationUserId: "8:acs:r_u" }, ["chat"])
        ).pipe(
          Effect.provide(
            CommunicationIdentityClient.fromConnectionString(`endpoint=${url}/;accesskey=${key}`, {
              policy: { baseDelay: "1 millis" }
            }).pipe(Layer.provide(transport))
          ),
          Effect.provide(recorderLayer(recording))
        )
        assert.strictEqual(token.expiresOn.getUTCFullYear(), 2030)
        assert.strictEqual(requests(), 2)
        const spans = recording.lines.filter((line) => line.startsWith("span ") && !line.includes(" exit "))
        assert.deepStrictEqual(spans.map((line) => line.split(" ")[1]), ["CommunicationIdentityClient.getToken"])
        assert.include(spans[0], "'acs.attempts': 2")
        assert.include(spans[0], "'http.response.status_code': 200")
        assert.match(spans[0]!, /'acs.request_id': '[0-9a-f-]{36}'/)
      }))
  }
})
