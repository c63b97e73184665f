/** The telemetry recorder sees spans, their events and failures, and log lines with annotations. */
import { assert, describe, it } from "@effect/vitest"
import { Data, Effect } from "effect"
import { TelemetryRecorder } from "../src/testing/index.js"

class Boom extends Data.TaggedError("Boom")<{ readonly detail: string }> {}

describe("TelemetryRecorder", () => {
  it.effect("records span attributes, span events, failed exits and annotated log lines", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const exit = yield* Effect.gen(function*() {
        yield* Effect.annotateCurrentSpan("az.client_request_id", "req-42")
        yield* Effect.logWarning("about to fail").pipe(Effect.annotateLogs("user", "8:acs:u1"))
        const span = yield* Effect.currentSpan
        span.event("checkpoint", 0n, { step: "second" })
        return yield* new Boom({ detail: "the detail" })
      }).pipe(
        Effect.withSpan("Outer.operation"),
        Effect.exit,
        Effect.provide(TelemetryRecorder.layer(lines))
      )
      assert.strictEqual(exit._tag, "Failure")
      const text = lines.join("\n")
      assert.include(text, "span Outer.operation")
      assert.include(text, "\"az.client_request_id\":\"req-42\"")
      assert.include(text, "event checkpoint")
      assert.include(text, "\"step\":\"second\"")
      assert.include(text, "span Outer.operation failed")
      assert.include(text, "the detail")
      assert.include(text, "about to fail")
      assert.include(text, "8:acs:u1")
    }))

  it.effect("uses the renderer it is given", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* Effect.log("hello").pipe(Effect.provide(TelemetryRecorder.layer(lines, () => "RENDERED")))
      assert.deepStrictEqual(lines, ["log RENDERED RENDERED"])
    }))

  it("renders what plain JSON cannot: cycles, BigInts, objects without a prototype", () => {
    const cyclic: { self?: unknown; name: string } = { name: "loop" }
    cyclic.self = cyclic
    assert.strictEqual(TelemetryRecorder.renderings(cyclic), "{\"name\":\"loop\"}\n[object Object]")
    assert.include(TelemetryRecorder.renderings({ n: 1n }), "[object Object]")
    const bare = Object.assign(Object.create(null) as object, { id: "x" })
    assert.strictEqual(TelemetryRecorder.renderings(bare), "{\"id\":\"x\"}\n[object Object]")
  })
})
