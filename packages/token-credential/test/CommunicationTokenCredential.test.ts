import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Redacted, Ref, Schedule, Scope, TestClock } from "effect"
import { makeRefreshing, makeStatic, type TokenInput } from "../src/index.js"
import { countingRefresher, jwt } from "./utils/tokens.js"

const minutes = (n: number) => n * 60_000
const raw = (token: { readonly token: Redacted.Redacted<string> }) => Redacted.value(token.token)

describe("static credential", () => {
  it.scoped("hands out its token until the JWT exp, then fails with ExpiredToken", () =>
    Effect.gen(function*() {
      const token = jwt(60)
      const credential = yield* makeStatic(token)
      yield* TestClock.adjust("59 seconds")
      assert.strictEqual(raw(yield* credential.token), token)
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "ExpiredToken")
    }))

  it.scoped("an undecodable token lives the fallback lifetime; an explicit expiry is kept", () =>
    Effect.gen(function*() {
      const opaque = yield* makeStatic("opaque-token")
      const explicit = yield* makeStatic({ token: "opaque-token", expiresOn: new Date(minutes(20)) })
      yield* TestClock.adjust("599 seconds")
      assert.strictEqual(raw(yield* opaque.token), "opaque-token")
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Effect.flip(opaque.token)).reason, "ExpiredToken")
      assert.strictEqual((yield* explicit.token).expiresOn.getTime(), minutes(20))
    }))

  it.effect("an empty token fails to build; closing the scope disposes it", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* Effect.flip(Effect.scoped(makeStatic(" ")))).reason, "InvalidToken")
      const scope = yield* Scope.make()
      const credential = yield* Scope.extend(makeStatic(jwt(60)), scope)
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "Disposed")
    }))
})

describe("refreshing credential, on demand", () => {
  it.scoped("refreshes on first use, then hands out the cached token until it is inside the window", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const credential = yield* makeRefreshing({ refresh: r.refresh })
      const first = raw(yield* credential.token)
      yield* TestClock.adjust(minutes(50) - 1)
      assert.strictEqual(raw(yield* credential.token), first)
      assert.strictEqual(yield* r.calls, 1)
      yield* TestClock.adjust(1)
      const second = yield* credential.token
      assert.notStrictEqual(raw(second), first)
      assert.strictEqual(second.expiresOn.getTime(), minutes(110))
      assert.strictEqual(yield* r.calls, 2)
    }))

  it.scoped("starts from the initial token; the window is configurable", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const initial = jwt(minutes(30) / 1000, "initial")
      const credential = yield* makeRefreshing({
        refresh: r.refresh,
        initialToken: initial,
        refreshWindow: "5 minutes"
      })
      yield* TestClock.adjust(minutes(25) - 1)
      assert.strictEqual(raw(yield* credential.token), initial)
      assert.strictEqual(yield* r.calls, 0)
      yield* TestClock.adjust(1)
      assert.notStrictEqual(raw(yield* credential.token), initial)
      assert.strictEqual(yield* r.calls, 1)
    }))

  it.scoped("a token shorter-lived than the window is due after half its lifetime, not at once", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(8))
      const credential = yield* makeRefreshing({ refresh: r.refresh })
      const first = raw(yield* credential.token)
      yield* TestClock.adjust(minutes(4) - 1)
      assert.strictEqual(raw(yield* credential.token), first)
      assert.strictEqual(yield* r.calls, 1)
      yield* TestClock.adjust(1)
      assert.notStrictEqual(raw(yield* credential.token), first)
      assert.strictEqual(yield* r.calls, 2)
    }))

  it.scoped("concurrent callers share one refresh", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const credential = yield* makeRefreshing({ refresh: Effect.delay(r.refresh, "1 second") })
      const fibers = yield* Effect.forEach(Array.from({ length: 20 }), () => Effect.fork(credential.token))
      yield* TestClock.adjust("1 second")
      const tokens = yield* Effect.forEach(fibers, Fiber.join)
      assert.strictEqual(new Set(tokens.map(raw)).size, 1)
      assert.strictEqual(yield* r.calls, 1)
    }))

  it.scoped("an interrupted caller does not cancel the refresh the others wait for", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const credential = yield* makeRefreshing({ refresh: Effect.delay(r.refresh, "1 second") })
      const leaver = yield* Effect.fork(credential.token)
      const stayer = yield* Effect.fork(credential.token)
      yield* TestClock.adjust("500 millis")
      yield* Fiber.interrupt(leaver)
      yield* TestClock.adjust("500 millis")
      yield* Fiber.join(stayer)
      assert.strictEqual(yield* r.calls, 1)
    }))

  it.scoped("a failed refresh is a RefreshFailed error with the cause, the expired token is never handed out", () =>
    Effect.gen(function*() {
      const fail = yield* Ref.make(false)
      const r = yield* countingRefresher(minutes(60))
      const refresh = Effect.flatMap(Ref.get(fail), (f) => f ? Effect.fail("refresher down" as const) : r.refresh)
      const credential = yield* makeRefreshing({ refresh })
      const first = raw(yield* credential.token)
      yield* Ref.set(fail, true)
      yield* TestClock.adjust(minutes(55))
      const inWindow = yield* Effect.flip(credential.token)
      assert.strictEqual(inWindow.reason, "RefreshFailed")
      assert.strictEqual(inWindow.cause, "refresher down")
      yield* TestClock.adjust(minutes(10))
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "RefreshFailed")
      yield* Ref.set(fail, false)
      const recovered = raw(yield* credential.token)
      assert.notStrictEqual(recovered, first)
      assert.strictEqual(yield* r.calls, 2)
    }))

  it.scoped("a refresher that dies (a rejected promise) is a RefreshFailed error, not a defect", () =>
    Effect.gen(function*() {
      const credential = yield* makeRefreshing({ refresh: Effect.promise(() => Promise.reject(new Error("offline"))) })
      const error = yield* Effect.flip(credential.token)
      assert.strictEqual(error.reason, "RefreshFailed")
      assert.strictEqual((error.cause as Error).message, "offline")
    }))

  it.scoped("a refresher returning an expired token is an ExpiredToken error", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust(minutes(10))
      const credential = yield* makeRefreshing({ refresh: Effect.succeed(jwt(60)) })
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "ExpiredToken")
      const explicit = yield* makeRefreshing({
        refresh: Effect.succeed({ token: "opaque", expiresOn: new Date(minutes(10)) })
      })
      assert.strictEqual((yield* Effect.flip(explicit.token)).reason, "ExpiredToken")
    }))

  it.scoped("an undecodable refreshed token lives the fallback lifetime", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const credential = yield* makeRefreshing({
        refresh: Effect.as(Ref.update(calls, (n) => n + 1), "opaque"),
        undecodableLifetime: "30 minutes"
      })
      assert.strictEqual((yield* credential.token).expiresOn.getTime(), minutes(30))
      yield* TestClock.adjust(minutes(20) - 1)
      yield* credential.token
      assert.strictEqual(yield* Ref.get(calls), 1)
      yield* TestClock.adjust(1)
      yield* credential.token
      assert.strictEqual(yield* Ref.get(calls), 2)
    }))

  it.effect("closing the scope fails waiting callers and later calls with Disposed", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const started = yield* Deferred.make<void>()
      const credential = yield* Scope.extend(
        makeRefreshing({ refresh: Effect.zipRight(Deferred.succeed(started, undefined), Effect.never) }),
        scope
      )
      const waiting = yield* Effect.fork(credential.token)
      yield* Deferred.await(started)
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* Effect.flip(Fiber.join(waiting))).reason, "Disposed")
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "Disposed")
    }))

  it.effect("an invalid initial token fails the build", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Effect.scoped(makeRefreshing({ refresh: Effect.succeed("x"), initialToken: "" }))
      )
      assert.strictEqual(error.reason, "InvalidToken")
    }))
})

describe("refreshing credential, proactive", () => {
  it.scoped("refreshes in the background when the token enters the window, without callers", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const credential = yield* makeRefreshing({ refresh: r.refresh, proactive: true })
      yield* TestClock.adjust(0)
      assert.strictEqual(yield* r.calls, 1)
      yield* TestClock.adjust(minutes(50) - 1)
      assert.strictEqual(yield* r.calls, 1)
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* r.calls, 2)
      yield* TestClock.adjust(minutes(50))
      assert.strictEqual(yield* r.calls, 3)
      const token = yield* credential.token
      assert.strictEqual(token.expiresOn.getTime(), minutes(160))
      assert.strictEqual(yield* r.calls, 3)
    }))

  it.scoped("fractional backoff: a refresher returning the same short-lived token is called at halving intervals", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make<Array<number>>([])
      const token = jwt(minutes(8) / 1000, "same")
      const refresh = Effect.gen(function*() {
        const now = yield* TestClock.currentTimeMillis
        yield* Ref.update(calls, (c) => [...c, now])
        return token
      })
      yield* makeRefreshing({ refresh, proactive: true })
      yield* TestClock.adjust(minutes(7) + 30_000)
      assert.deepStrictEqual(yield* Ref.get(calls), [0, minutes(4), minutes(6), minutes(7), minutes(7) + 30_000])
    }))

  it.scoped("a failed background refresh is retried with backoff and reported once to the next caller", () =>
    Effect.gen(function*() {
      const failures = yield* Ref.make(0)
      const r = yield* countingRefresher(minutes(60))
      const refresh = Effect.flatMap(
        Ref.getAndUpdate(failures, (n) => Math.max(0, n - 1)),
        (n) => n > 0 ? Effect.fail("transient") : r.refresh
      )
      const credential = yield* makeRefreshing({
        refresh,
        initialToken: jwt(minutes(10) / 1000, "initial"),
        refreshWindow: "1 minute",
        proactive: true,
        retrySchedule: Schedule.exponential("1 second")
      })
      yield* Ref.set(failures, 3)
      yield* TestClock.adjust(minutes(9))
      // the attempt at 9:00 failed; retries at 9:01 and 9:03 fail too, the one at 9:07 succeeds
      const reported = yield* Effect.flip(credential.token)
      assert.strictEqual(reported.reason, "RefreshFailed")
      assert.strictEqual(reported.cause, "transient")
      yield* TestClock.adjust("3 seconds")
      assert.strictEqual(yield* Ref.get(failures), 0)
      assert.strictEqual(yield* r.calls, 0)
      yield* TestClock.adjust("4 seconds")
      assert.strictEqual(yield* r.calls, 1)
      const token = yield* credential.token
      assert.strictEqual(token.expiresOn.getTime(), minutes(69) + 7_000)
    }))

  it.scoped("by default a failing background refresh is retried exponentially from about 1 s, at most 1 minute apart", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make<Array<number>>([])
      const refresh = Effect.flatMap(
        TestClock.currentTimeMillis,
        (now) => Effect.zipRight(Ref.update(calls, (c) => [...c, now]), Effect.fail("down"))
      )
      yield* makeRefreshing({ refresh, proactive: true })
      yield* TestClock.adjust(minutes(30))
      const at = yield* Ref.get(calls)
      const gaps = at.slice(1).map((t, i) => t - at[i]!)
      assert.isAtLeast(gaps[0]!, 800)
      assert.isAtMost(gaps[0]!, 1_200)
      assert.isAbove(gaps[3]!, gaps[2]!)
      assert.isTrue(gaps.every((gap) => gap < 60_001), String(gaps))
      assert.closeTo(gaps.at(-1)!, 60_000, 1)
      assert.isAtLeast(at.length, 30)
    }))

  it.scoped("the background loop survives every refresher outcome (non-tokens, defects, failures) and keeps its schedule", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make<Array<number>>([])
      // One bad outcome per call, as a refresher written in JavaScript might produce; then 2-second tokens.
      const outcomes: ReadonlyArray<(now: number) => Effect.Effect<TokenInput, string>> = [
        () => Effect.succeed(null as unknown as TokenInput),
        () => Effect.die(new Error("refresher bug")),
        () =>
          Effect.sync(() => {
            throw new TypeError("thrown inside the refresher")
          }),
        (now) => Effect.succeed({ token: 5, expiresOn: new Date(now + 2_000) } as unknown as TokenInput),
        () => Effect.succeed(""),
        () => Effect.fail("down"),
        () => Effect.succeed({ token: "stale", expiresOn: new Date(0) })
      ]
      const refresh = Effect.gen(function*() {
        const now = yield* TestClock.currentTimeMillis
        const n = (yield* Ref.updateAndGet(calls, (c) => [...c, now])).length - 1
        const bad = outcomes[n]
        return bad === undefined ? { token: `good-${n}`, expiresOn: new Date(now + 2_000) } : yield* bad(now)
      })
      const credential = yield* makeRefreshing({ refresh, proactive: true, retrySchedule: Schedule.spaced("1 second") })
      yield* TestClock.adjust(500)
      // the first (null) outcome is reported to the next caller as a typed error, not a defect
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "InvalidToken")
      yield* TestClock.adjust(10_000 - 500)
      // failures are retried 1 s apart (0 … 6 s); the 7 s token lives 2 s, so it is refreshed after half: 8, 9, 10 s
      assert.deepStrictEqual(yield* Ref.get(calls), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1_000))
      assert.strictEqual(raw(yield* credential.token), "good-10")
    }))

  it.effect("closing the scope stops the background refresh", () =>
    Effect.gen(function*() {
      const r = yield* countingRefresher(minutes(60))
      const scope = yield* Scope.make()
      const credential = yield* Scope.extend(makeRefreshing({ refresh: r.refresh, proactive: true }), scope)
      yield* TestClock.adjust(0)
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust(minutes(600))
      assert.strictEqual(yield* r.calls, 1)
      assert.strictEqual((yield* Effect.flip(credential.token)).reason, "Disposed")
    }))
})
