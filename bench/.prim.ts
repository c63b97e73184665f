import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Layer from "effect/Layer"
const runtime = ManagedRuntime.make(Layer.empty)
await runtime.runPromise(Effect.void)
const asyncImm = Effect.async<number>((resume) => { setImmediate(() => resume(Effect.succeed(1))) })
const chain = (n: number) => { let e: Effect.Effect<number> = asyncImm; for (let i = 0; i < n; i++) e = Effect.flatMap(e, (x) => Effect.succeed(x + 1)); return e }
const c10 = chain(10), c50 = chain(50)
const sp = Effect.withSpan(asyncImm, "x", { captureStackTrace: false })
const fr = Effect.withFiberRuntime(() => asyncImm)
const us = Effect.useSpan("x", { captureStackTrace: false }, () => asyncImm)
const wp = Effect.useSpan("x", { captureStackTrace: false }, (s) => Effect.withParentSpan(asyncImm, s))
const cases: Record<string, () => Promise<unknown>> = {
  "promise setImmediate": () => new Promise((r) => setImmediate(r)),
  "runPromise async": () => runtime.runPromise(asyncImm),
  "Effect.runPromise async": () => Effect.runPromise(asyncImm),
  "runPromise async +10 flatMap": () => runtime.runPromise(c10),
  "runPromise withSpan(async)": () => runtime.runPromise(sp),
  "runPromise withFiberRuntime(async)": () => runtime.runPromise(fr),
  "runPromise useSpan(async)": () => runtime.runPromise(us),
  "runPromise useSpan(withParentSpan(async))": () => runtime.runPromise(wp),
  "runPromise withTracerEnabled false withSpan(async)": () => runtime.runPromise(Effect.withTracerEnabled(sp, false)),
}
for (let r = 0; r < 4; r++) for (const [k, f] of Object.entries(cases)) {
  const n = 20000; const t = performance.now(); for (let i = 0; i < n; i++) await f()
  if (r >= 2) console.log(((performance.now() - t) * 1000 / n).toFixed(2).padStart(7), "µs", k)
}
const rnd = () => { let s = ""; for (let i = 0; i < 48; i++) s += "abcdef0123456789".charAt(Math.floor(Math.random() * 16)); return s }
const t0 = performance.now(); for (let i = 0; i < 200000; i++) rnd(); console.log(((performance.now() - t0) * 1000 / 200000).toFixed(2), "µs 48 random hex chars")
const t1 = performance.now(); for (let i = 0; i < 200000; i++) process.hrtime.bigint(); console.log(((performance.now() - t1) * 1000 / 200000).toFixed(2), "µs hrtime.bigint")
const t2 = performance.now(); for (let i = 0; i < 200000; i++) globalThis.crypto.randomUUID(); console.log(((performance.now() - t2) * 1000 / 200000).toFixed(2), "µs randomUUID")
const m = new Map(Array.from({length: 12}, (_, i) => [String(i), i]))
const t3 = performance.now(); for (let i = 0; i < 200000; i++) new Map(m); console.log(((performance.now() - t3) * 1000 / 200000).toFixed(2), "µs copy 12-entry Map")
