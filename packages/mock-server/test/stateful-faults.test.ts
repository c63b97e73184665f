import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import type { Fault, FaultRule } from "../src/shared/Faults.js"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"
import { control, send } from "./utils/signing.js"

const create = { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" } as const

const users = Effect.flatMap(StatefulMockServer, (s) => Effect.map(s.store.snapshot, (snap) => snap.users.length))

/** Arms `fault` for the next create, sends one, and reports the response (or the dropped connection). */
const once = (fault: Fault) =>
  Effect.gen(function*() {
    const server = yield* StatefulMockServer
    yield* server.faults.add([{ operation: "createIdentity", fault, times: 1 }])
    const before = yield* users
    const response = yield* Effect.either(send(server.url, create))
    return { response, created: (yield* users) - before }
  })

describe("stateful mock: fault injection", () => {
  layer(StatefulMockServer.layer(), { excludeTestServices: true })("faults", (it) => {
    it.effect("latency delays the answer", () =>
      Effect.gen(function*() {
        const started = Date.now()
        const { response, created } = yield* once({ _tag: "Latency", millis: 300 })
        assert.isTrue(Either.isRight(response) && response.right.status === 201)
        assert.isAtLeast(Date.now() - started, 290)
        assert.strictEqual(created, 1)
      }))

    it.effect("429 and 503 carry Retry-After and retry-after-ms; 500 does not; none commits", () =>
      Effect.gen(function*() {
        for (const status of [429, 503] as const) {
          const { response, created } = yield* once({ _tag: "Status", status, retryAfterSeconds: 2 })
          assert.isTrue(Either.isRight(response))
          const r = Either.getOrThrow(response)
          assert.strictEqual(r.status, status)
          assert.strictEqual(r.headers.get("retry-after"), "2")
          assert.strictEqual(r.headers.get("retry-after-ms"), "2000")
          assert.strictEqual(created, 0)
        }
        const { response } = yield* once({ _tag: "Status", status: 500 })
        const r = Either.getOrThrow(response)
        assert.strictEqual(r.status, 500)
        assert.strictEqual(JSON.parse(r.text).error.code, "InternalError")
        assert.isNull(r.headers.get("retry-after"))
      }))

    it.effect("a reset before commit creates nothing; a reset after commit creates the user", () =>
      Effect.gen(function*() {
        const before = yield* once({ _tag: "ResetBeforeCommit" })
        assert.isTrue(Either.isLeft(before.response))
        assert.strictEqual(before.created, 0)
        const after = yield* once({ _tag: "ResetAfterCommit" })
        assert.isTrue(Either.isLeft(after.response))
        assert.strictEqual(after.created, 1)
      }))

    it.effect("truncated JSON, an HTML 502 page and a wrong content type", () =>
      Effect.gen(function*() {
        const truncated = yield* once({ _tag: "TruncatedJson" })
        const t = Either.getOrThrow(truncated.response)
        assert.strictEqual(t.status, 201)
        assert.throws(() => JSON.parse(t.text))
        assert.strictEqual(truncated.created, 1)
        const gateway = yield* once({ _tag: "GatewayHtml" })
        const g = Either.getOrThrow(gateway.response)
        assert.strictEqual(g.status, 502)
        assert.match(g.headers.get("content-type") ?? "", /^text\/html/)
        assert.strictEqual(gateway.created, 0)
        const wrong = yield* once({ _tag: "WrongContentType" })
        const w = Either.getOrThrow(wrong.response)
        assert.strictEqual(w.headers.get("content-type"), "text/plain")
        assert.strictEqual(JSON.parse(w.text).identity.id.slice(0, 6), "8:acs:")
      }))

    it.effect("the SDK sees each fault as its typed error", () =>
      Effect.gen(function*() {
        const server = yield* StatefulMockServer
        const client = yield* Effect.provide(
          CommunicationIdentityClient,
          CommunicationIdentityClient.fromConnectionString(server.connectionString, { policy: { maxRetries: 0 } })
            .pipe(Layer.provide(HttpClientTransport.layerFetch))
        )
        const expectations: ReadonlyArray<readonly [Fault, string]> = [
          [{ _tag: "Status", status: 429 }, "ThrottledError"],
          [{ _tag: "Status", status: 503 }, "ServiceError"],
          [{ _tag: "ResetBeforeCommit" }, "TransportError"],
          [{ _tag: "TruncatedJson" }, "UnexpectedResponseError"],
          [{ _tag: "GatewayHtml" }, "ServiceError"],
          [{ _tag: "WrongContentType" }, "UnexpectedResponseError"]
        ]
        for (const [fault, tag] of expectations) {
          yield* server.faults.add([{ operation: "createIdentity", fault, times: 1 }])
          const error = yield* Effect.flip(client.createUser())
          assert.strictEqual(error._tag, tag, fault._tag)
        }
      }))

    it.effect("a retried create after a reset-after-commit is replayed, not duplicated", () =>
      Effect.gen(function*() {
        const server = yield* StatefulMockServer
        const client = yield* Effect.provide(
          CommunicationIdentityClient,
          CommunicationIdentityClient.fromConnectionString(server.connectionString, {
            policy: { maxRetries: 2, baseDelay: "10 millis" }
          }).pipe(Layer.provide(HttpClientTransport.layerFetch))
        )
        yield* server.faults.add([{ operation: "createIdentity", fault: { _tag: "ResetAfterCommit" }, times: 1 }])
        const before = yield* server.store.snapshot
        const user = yield* client.createUser()
        const after = yield* server.store.snapshot
        assert.strictEqual(after.users.length, before.users.length + 1)
        assert.strictEqual(after.users.at(-1)!.id, user.communicationUserId)
        assert.strictEqual(after.requests.createIdentity - before.requests.createIdentity, 2)
      }))

    it.effect("rules are set and cleared through /__control/faults and reported by /__control/state", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const rules: ReadonlyArray<FaultRule> = [{
          operation: "issueAccessToken",
          fault: { _tag: "Status", status: 500 }
        }]
        assert.strictEqual((yield* control(url, "POST", "/__control/faults", { rules })).status, 204)
        const id = encodeURIComponent(JSON.parse((yield* send(url, create)).text).identity.id)
        const issue = {
          method: "POST",
          path: `/identities/${id}/:issueAccessToken?api-version=2025-06-30`,
          body: "{\"scopes\":[\"chat\"]}"
        } as const
        assert.strictEqual((yield* send(url, issue)).status, 500)
        assert.strictEqual((yield* send(url, issue)).status, 500)
        assert.strictEqual((yield* control(url, "DELETE", "/__control/faults")).status, 204)
        assert.strictEqual((yield* send(url, issue)).status, 200)
        const state = JSON.parse((yield* control(url, "GET", "/__control/state")).text)
        assert.isAtLeast(state.users.length, 1)
        assert.strictEqual(
          state.faultsInjected.filter((f: { fault: string }) => f.fault === "Status").length >= 2,
          true
        )
        assert.strictEqual(
          (yield* control(url, "POST", "/__control/faults", { rules: [{ fault: { _tag: "Nope" } }] })).status,
          400
        )
      }))
  })

  describe("probabilistic faults are seeded", () => {
    const run = (seed: number) =>
      Effect.scoped(
        Effect.gen(function*() {
          const server = yield* StatefulMockServer
          const statuses: Array<number> = []
          for (let i = 0; i < 20; i++) statuses.push((yield* send(server.url, create)).status)
          return statuses
        }).pipe(
          Effect.provide(StatefulMockServer.layer({
            seed,
            faults: [{ operation: "createIdentity", fault: { _tag: "Status", status: 503 }, probability: 0.5 }]
          }))
        )
      )

    layer(Layer.empty, { excludeTestServices: true })("replay", (it) => {
      it.effect("the same seed injects the same faults", () =>
        Effect.gen(function*() {
          const a = yield* run(7)
          const b = yield* run(7)
          const c = yield* run(8)
          assert.deepStrictEqual(a, b)
          assert.notDeepEqual(a, c)
          assert.isTrue(a.includes(503) && a.includes(201))
        }))
    })
  })
})
