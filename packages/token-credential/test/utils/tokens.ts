/** Test tokens: JWTs with a chosen `exp`, and a counting refresher over the Effect `Clock`. */
import { Clock, Effect, Ref } from "effect"

const base64Url = (value: string) => Buffer.from(value).toString("base64url")

/** A JWT-shaped token whose `exp` is `expSeconds`; `tag` makes tokens with the same `exp` distinct. */
export const jwt = (expSeconds: number, tag = "t"): string =>
  `${base64Url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64Url(JSON.stringify({ exp: expSeconds, tag }))}.sig`

/** A refresher that counts its calls and returns a JWT living `lifetimeMs` from now (by the Clock). */
export const countingRefresher = (lifetimeMs: number) =>
  Effect.map(Ref.make(0), (calls) => ({
    calls: Ref.get(calls),
    refresh: Effect.gen(function*() {
      const n = yield* Ref.updateAndGet(calls, (c) => c + 1)
      const now = yield* Clock.currentTimeMillis
      return jwt((now + lifetimeMs) / 1000, `refresh-${n}`)
    })
  }))
