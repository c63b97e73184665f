/**
 * `times` rules under concurrency: picking a fault and consuming a use of its rule is one atomic
 * step, so `times: n` injects exactly n faults however many requests race for them (issue 23, item 4).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as Faults from "../src/shared/Faults.js"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"
import { send } from "./utils/signing.js"

describe("Faults: times under concurrency", () => {
  it.effect("200 concurrent picks of a times: 7 rule inject exactly 7, with fibers yielding every few steps", () =>
    Effect.gen(function*() {
      const faults = yield* Faults.make([{ operation: "createIdentity", fault: { _tag: "GatewayHtml" }, times: 7 }])
      // Yielding every 10 operations interleaves the fibers as much as possible: a read-then-write
      // decrement lets many of them see the same count.
      const picked = yield* Effect.all(Array.from({ length: 200 }, () => faults.next("createIdentity")), {
        concurrency: "unbounded"
      }).pipe(Effect.withMaxOpsBeforeYield(10))
      assert.strictEqual(picked.filter(Option.isSome).length, 7)
      assert.strictEqual((yield* faults.injected).length, 7)
      assert.isTrue(Option.isNone(yield* faults.next("createIdentity")))
    }))

  it.effect("a probabilistic times rule is consumed exactly as often as it injects", () =>
    Effect.gen(function*() {
      const faults = yield* Faults.make(
        [{ fault: { _tag: "Status", status: 503 }, times: 5, probability: 0.5 }],
        "seed"
      )
      const picked = yield* Effect.all(Array.from({ length: 200 }, () => faults.next("deleteIdentity")), {
        concurrency: "unbounded"
      }).pipe(Effect.withMaxOpsBeforeYield(10))
      assert.strictEqual(picked.filter(Option.isSome).length, 5)
    }))

  it.live("40 concurrent creates over HTTP against a times: 3 rule: exactly 3 get the 503", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const server = yield* StatefulMockServer
        yield* server.faults.add([{ operation: "createIdentity", fault: { _tag: "Status", status: 503 }, times: 3 }])
        const answers = yield* Effect.all(
          Array.from({ length: 40 }, () =>
            send(server.url, { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" })),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(
          answers.filter((a) =>
            a.status === 503
          ).length,
          3
        )
        assert.strictEqual(answers.filter((a) => a.status === 201).length, 37)
      }).pipe(Effect.provide(StatefulMockServer.layer()))
    ))
})
