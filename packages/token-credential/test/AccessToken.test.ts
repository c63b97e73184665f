import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { AccessToken, jwtExpiry, toAccessToken, type TokenInput } from "../src/index.js"
import { jwt } from "./utils/tokens.js"

describe("AccessToken", () => {
  it("reads the JWT exp claim", () => {
    assert.strictEqual(jwtExpiry(jwt(1_700_000_000))?.getTime(), 1_700_000_000_000)
  })

  it("has no expiry for tokens it cannot read", () => {
    const payload = (value: unknown) => `x.${Buffer.from(JSON.stringify(value)).toString("base64url")}.y`
    for (const token of ["opaque", "a.b", "a.b.c.d", "x.!!!.y", payload({ exp: "soon" }), payload({}), payload(null)]) {
      assert.isUndefined(jwtExpiry(token), token)
    }
  })

  it.effect("keeps an explicit expiry and redacts the token", () =>
    Effect.gen(function*() {
      const expiresOn = new Date(5_000)
      const token = yield* toAccessToken({ token: "opaque", expiresOn }, 0)
      assert.strictEqual(token.expiresOn, expiresOn)
      assert.strictEqual(Redacted.value(token.token), "opaque")
      assert.notInclude(JSON.stringify(token), "opaque")
      assert.notInclude(String(token), "opaque")
      const fromSdkShape = yield* toAccessToken(new AccessToken({ token: Redacted.make("sdk"), expiresOn }), 0)
      assert.strictEqual(Redacted.value(fromSdkShape.token), "sdk")
    }))

  it.effect("gives an undecodable token the fallback lifetime from when it was received", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* toAccessToken("opaque", 1_000)).expiresOn.getTime(), 1_000 + 600_000)
      const short = yield* toAccessToken(Redacted.make("opaque"), 1_000, Duration.seconds(30))
      assert.strictEqual(short.expiresOn.getTime(), 31_000)
    }))

  it.effect("an empty or blank token, or an invalid expiry, is InvalidToken", () =>
    Effect.gen(function*() {
      for (const input of ["", "   ", Redacted.make(""), { token: "t", expiresOn: new Date(Number.NaN) }]) {
        const error = yield* Effect.flip(toAccessToken(input, 0))
        assert.strictEqual(error.reason, "InvalidToken")
      }
    }))

  it.effect("anything but a token string or { token, expiresOn } is InvalidToken, never a throw", () =>
    Effect.gen(function*() {
      // What a refresher written in JavaScript (or cast) may hand back.
      const notTokens: ReadonlyArray<unknown> = [
        null,
        undefined,
        42,
        true,
        {},
        [],
        { token: "t" },
        { token: 5, expiresOn: new Date(5_000) },
        { token: null, expiresOn: new Date(5_000) },
        { token: "t", expiresOn: "2030-01-01T00:00:00Z" },
        { token: "t", expiresOn: 5_000 }
      ]
      for (const input of notTokens) {
        const error = yield* Effect.flip(toAccessToken(input as TokenInput, 0))
        assert.strictEqual(error.reason, "InvalidToken")
        assert.include(error.message, "not a token", JSON.stringify(input))
      }
    }))
})
