/**
 * `FetchTransport` over the runtime's own `fetch` against a real `node:http` server on loopback that
 * closes a keep-alive connection, unanswered, as the first request on a reused connection arrives:
 * a server closing an idle connection just as the client reuses it. Node's `fetch` (undici) fails
 * such a call with "other side closed" or `ECONNRESET` instead of sending it again; the transport
 * sends it again, once and at once, so the client's retry (and its backoff) is not needed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import type * as Net from "node:net"
import * as FetchTransport from "../src/FetchTransport.js"
import { CommunicationIdentityClient, type Transport } from "../src/index.js"
import { serveHttp } from "./utils/LoopbackHttp.js"

const token = JSON.stringify({ token: "t", expiresOn: "2030-01-01T00:00:00Z" })

/** Answers every request but the first one on a reused connection: `hangUp` ends or resets that connection. */
const serveFirstOnly = (hangUp: (socket: Net.Socket) => void) =>
  Effect.suspend(() => {
    const served = new WeakSet<Net.Socket>()
    let hungUp = 0
    return serveHttp((request, response) => {
      request.resume()
      if (served.has(request.socket) && hungUp === 0) {
        hungUp++
        return hangUp(request.socket)
      }
      served.add(request.socket)
      response.writeHead(200, { "content-type": "application/json", "content-length": token.length })
      response.end(token)
    }).pipe(Effect.map(({ origin }) => ({ origin, hungUp: () => hungUp })))
  })

const hangUps = { end: (socket: Net.Socket) => socket.end(), reset: (socket: Net.Socket) => socket.resetAndDestroy() }

const request = (origin: URL): Transport.TransportRequest => ({
  method: "POST",
  origin,
  path: "/identities?api-version=2025-06-30",
  headers: { accept: "application/json", "content-type": "application/json", "content-length": "2" },
  body: new TextEncoder().encode("{}"),
  timeoutMillis: 5_000,
  maxBodyBytes: 1024
})

describe("FetchTransport on a pooled connection the server closed", () => {
  for (const [name, hangUp] of Object.entries(hangUps)) {
    it.scoped(`every call succeeds when the server ${name}s a pooled connection unanswered`, () =>
      Effect.gen(function*() {
        const server = yield* serveFirstOnly(hangUp)
        const transport = FetchTransport.make()
        for (let call = 0; call < 4; call++) {
          const response = yield* transport.send(request(server.origin))
          assert.strictEqual(response.status, 200, `call ${call}`)
        }
        assert.strictEqual(server.hungUp(), 1, "no call went out on a reused connection")
      }))
  }

  it.scoped("through the client, with no retries allowed, every call succeeds", () =>
    Effect.gen(function*() {
      const server = yield* serveFirstOnly(hangUps.end)
      const key = Buffer.from("k".repeat(32)).toString("base64")
      const client = yield* Effect.provide(
        CommunicationIdentityClient,
        CommunicationIdentityClient.fromConnectionString(`endpoint=${server.origin.href};accesskey=${key}`, {
          policy: { maxRetries: 0 }
        }).pipe(Layer.provide(FetchTransport.layer))
      )
      const user = { communicationUserId: `8:acs:${"1".repeat(8)}-1111-1111-1111-${"1".repeat(12)}_0` }
      for (let call = 0; call < 4; call++) {
        assert.strictEqual(Redacted.value((yield* client.getToken(user, ["chat"])).token), "t")
      }
      assert.strictEqual(server.hungUp(), 1, "no call went out on a reused connection")
    }))
})
