/**
 * `IdentityStore` writes cost the same at any size. Instead of timing, the test counts the elements
 * every `Map`/`Array` iterator hands out during one write (copying a collection iterates it): the
 * count must not grow with the number of users already stored.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { IdentityStore } from "../src/testing/index.js"

type Iterate = (this: unknown) => Iterator<unknown>

/** Counts iterator steps of arrays and maps while `f` runs, then restores the prototypes. */
const countingIterations = <A>(f: () => Promise<A>): Promise<readonly [A, number]> => {
  let steps = 0
  const patched: Array<readonly [object, PropertyKey, Iterate]> = []
  const patch = (proto: object, name: PropertyKey) => {
    const original = Reflect.get(proto, name) as Iterate
    patched.push([proto, name, original])
    Reflect.set(proto, name, function(this: unknown) {
      const inner = original.call(this)
      return {
        next: () => {
          steps++
          return inner.next()
        },
        [Symbol.iterator]() {
          return this
        }
      }
    })
  }
  for (const name of [Symbol.iterator, "values", "entries", "keys"]) patch(Map.prototype, name)
  for (const name of [Symbol.iterator, "values", "entries", "keys"]) patch(Array.prototype, name)
  return f().then(
    (value) => [value, steps] as const,
    (error: unknown) => Promise.reject(error)
  ).finally(() => {
    for (const [proto, name, original] of patched) Reflect.set(proto, name, original)
  })
}

/** Iterator steps of one write of each kind on a store already holding `users` users with tokens. */
const workPerWrite = async (users: number) => {
  const store = await Effect.runPromise(IdentityStore.make({ seed: "cost" }))
  const ids: Array<string> = []
  for (let i = 0; i < users; i++) {
    const created = await Effect.runPromise(store.createIdentity({ createTokenWithScopes: ["chat"] }))
    ids.push(created.user.id)
  }
  const [, steps] = await countingIterations(() =>
    Effect.runPromise(
      Effect.gen(function*() {
        yield* store.createIdentity({ createTokenWithScopes: ["chat"] })
        yield* store.issueToken(ids[0]!, { scopes: ["voip"] })
        yield* store.revokeTokens(ids[1]!)
        yield* store.deleteIdentity(ids[2]!)
        yield* store.recordRequest("createIdentity")
      })
    )
  )
  return steps
}

describe("IdentityStore", () => {
  it.live("a write does the same work with 1,000 users as with 10,000", () =>
    Effect.promise(async () => {
      const small = await workPerWrite(1_000)
      const large = await workPerWrite(10_000)
      // Copying the users map or the token list once would add about 9,000 steps to `large`.
      assert.isBelow(Math.abs(large - small), 200, `iterator steps per write: ${small} vs ${large}`)
    }), 120_000)
})
