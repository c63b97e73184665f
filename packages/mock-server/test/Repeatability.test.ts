/**
 * The stateful mock's replay cache (issue 23, item 3). ACS tracks a repeatable request for 5 minutes
 * and answers a `Repeatability-First-Sent` older than that with 412 (learn.microsoft.com, "Repeatable
 * requests" of the Communication Services REST API); the cache keeps replies for that window only,
 * and at most `maxEntries` of them, so it neither grows with every request id ever sent nor copies
 * itself per request.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import * as Reply from "../src/shared/Reply.js"
import * as Repeatability from "../src/stateful/Repeatability.js"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"
import { send } from "./utils/signing.js"

/** The headers of a repeatable request first sent at `firstSent` (epoch millis). */
const headers = (id: string, firstSent: number) => ({
  "repeatability-request-id": id,
  "repeatability-first-sent": new Date(firstSent).toUTCString()
})

/** A commit that counts its runs and answers 201 with the run number. */
const counting = () => {
  let runs = 0
  const commit = Effect.sync(() => Reply.json(201, { run: ++runs }))
  return { commit, runs: () => runs }
}

const bodyOf = (reply: Reply.Reply) => JSON.parse(new TextDecoder().decode(reply.body)) as unknown

describe("Repeatability", () => {
  it.effect("a repeat within the window replays the first reply without running again", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2030-01-01T00:00:00Z"))
      const cache = yield* Repeatability.make()
      const { commit, runs } = counting()
      const sent = Date.parse("2030-01-01T00:00:00Z")
      const first = yield* cache.run(headers("a", sent), commit)
      yield* TestClock.adjust("4 minutes")
      const again = yield* cache.run(headers("a", sent), commit)
      assert.strictEqual(runs(), 1)
      assert.strictEqual(first.headers["repeatability-result"], "accepted")
      assert.strictEqual(again.headers["repeatability-result"], "replayed")
      assert.deepStrictEqual(bodyOf(again), { run: 1 })
    }))

  it.effect("at the window's edge: First-Sent exactly 5 minutes old is served, one second older gets 412", () =>
    Effect.gen(function*() {
      const start = Date.parse("2030-01-01T00:00:00Z")
      yield* TestClock.setTime(start)
      const cache = yield* Repeatability.make()
      const { commit, runs } = counting()
      yield* cache.run(headers("edge", start), commit)
      yield* TestClock.adjust(Duration.minutes(5))
      const atEdge = yield* cache.run(headers("edge", start), commit)
      assert.strictEqual(atEdge.headers["repeatability-result"], "replayed")
      yield* TestClock.adjust("1 second")
      const late = yield* cache.run(headers("edge", start), commit)
      assert.strictEqual(late.status, 412)
      assert.strictEqual(late.headers["repeatability-result"], "rejected")
      assert.deepStrictEqual(bodyOf(late), {
        error: {
          code: "PreconditionFailed",
          message: "Repeatability-First-Sent header is not within the 5 minute window.",
          target: "Repeatability-First-Sent"
        }
      })
      // A new request id first sent that long ago is refused too, and never runs.
      const stale = yield* cache.run(headers("new", start), commit)
      assert.strictEqual(stale.status, 412)
      assert.strictEqual(runs(), 1)
    }))

  it.effect("replies older than the window are dropped as new requests arrive", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(0)
      const cache = yield* Repeatability.make({ window: "1 minute" })
      const { commit } = counting()
      for (let i = 0; i < 50; i++) yield* cache.run(headers(`old-${i}`, 0), commit)
      assert.strictEqual(yield* cache.size, 50)
      yield* TestClock.adjust("61 seconds")
      yield* cache.run(headers("fresh", 61_000), commit)
      assert.strictEqual(yield* cache.size, 1)
    }))

  it.effect("the cache never holds more than maxEntries replies: 20,000 creates keep 1,000", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(0)
      const cache = yield* Repeatability.make({ maxEntries: 1_000 })
      const { commit, runs } = counting()
      const started = performance.now()
      for (let i = 0; i < 20_000; i++) yield* cache.run(headers(`id-${i}`, 0), commit)
      const elapsed = performance.now() - started
      assert.strictEqual(yield* cache.size, 1_000)
      assert.strictEqual(runs(), 20_000)
      // The newest are kept, the oldest dropped.
      assert.strictEqual((yield* cache.run(headers("id-19999", 0), commit)).headers["repeatability-result"], "replayed")
      assert.strictEqual((yield* cache.run(headers("id-0", 0), commit)).headers["repeatability-result"], "accepted")
      // O(1) per request: copying a 1,000-entry map per create would take far longer than this.
      assert.isBelow(elapsed, 5_000)
    }))

  it.effect("a failed create is not kept; a missing First-Sent is a 400", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(0)
      const cache = yield* Repeatability.make()
      const failed = yield* cache.run(headers("f", 0), Effect.succeed(Reply.error(400, "ValidationError", "no")))
      assert.strictEqual(failed.status, 400)
      assert.strictEqual(yield* cache.size, 0)
      const missing = yield* cache.run({ "repeatability-request-id": "m" }, Effect.succeed(Reply.empty(201)))
      assert.strictEqual(missing.status, 400)
      assert.strictEqual(missing.headers["repeatability-result"], "rejected")
    }))

  it.live("over HTTP: a create whose First-Sent is 6 minutes old gets 412 and creates nobody", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* StatefulMockServer
        const answer = yield* send(server.url, {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          body: "{}",
          headers: headers("6a6b8d7e-2c1f-4c55-9a3e-3b1b6f1f0c42", Date.now() - 6 * 60_000)
        })
        assert.strictEqual(answer.status, 412)
        assert.strictEqual(answer.headers.get("repeatability-result"), "rejected")
        assert.strictEqual((yield* server.store.snapshot).users.length, 0)
      }).pipe(Effect.provide(StatefulMockServer.layer()))
    ))
})
