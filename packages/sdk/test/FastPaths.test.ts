/**
 * The hand-checked fast path agrees with its schema: on any input, the fast token decoder either
 * declines (`undefined`) or returns what the schema's decoder returns; and it declines no
 * well-formed input of the common shape. Request bodies said to encode as themselves do.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, Redacted, Schema } from "effect"
import * as fc from "fast-check"
import { accessToken } from "../src/internal/fastDecode.js"
import { encodesAsItself } from "../src/internal/pipeline.js"
import { IssueAccessTokenRequestWire, TeamsExchangeRequestWire } from "../src/internal/wire.js"
import { AccessToken } from "../src/Models.js"
import { type Definition, operationIds, operations } from "../src/Operations.js"

const decode = Schema.decodeUnknownEither(AccessToken)

/** Date strings of every kind: ISO, other formats `new Date` reads, and ones it does not. */
const dateString = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  fc.constantFrom("2030-01-01", "2030-01-01T00:00:00Z", "", " ", "not a date", "2030-13-45", "1e3", "0"),
  fc.string()
)

/** Bodies near a token's shape (each field right, wrong or absent, extra fields), and any JSON. */
const body = fc.oneof(
  fc.record(
    {
      token: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
      expiresOn: fc.oneof(dateString, fc.integer(), fc.constant(null)),
      extra: fc.jsonValue()
    },
    { requiredKeys: [] }
  ),
  fc.jsonValue()
)

const same = (fast: AccessToken, schema: AccessToken) =>
  fast instanceof AccessToken && Redacted.value(fast.token) === Redacted.value(schema.token) &&
  Object.is(fast.expiresOn.getTime(), schema.expiresOn.getTime()) &&
  Object.keys(fast).join() === Object.keys(schema).join()

describe("fast decoders", () => {
  it("AccessToken: declines or agrees with the schema on any body", () => {
    fc.assert(
      fc.property(body, (json) => {
        const fast = accessToken(json)
        const schema = decode(json)
        if (fast === undefined) return true
        return Either.isRight(schema) && same(fast, schema.right)
      }),
      { numRuns: 2000 }
    )
  })

  it("AccessToken: decodes every body the schema decodes", () => {
    fc.assert(
      fc.property(body, (json) => {
        const schema = decode(json)
        return Either.isLeft(schema) || accessToken(json) !== undefined
      }),
      { numRuns: 2000 }
    )
  })

  it("AccessToken: a typical body, and the token stays redacted", () => {
    const token = accessToken({ token: "a.b.c", expiresOn: "2030-01-01T00:00:00.000Z" })
    assert.isDefined(token)
    assert.strictEqual(Redacted.value(token!.token), "a.b.c")
    assert.strictEqual(token!.expiresOn.toISOString(), "2030-01-01T00:00:00.000Z")
    assert.notInclude(JSON.stringify(token), "a.b.c")
    assert.isUndefined(accessToken({ token: "a.b.c", expiresOn: "never" }))
    assert.isUndefined(accessToken([{ token: "a.b.c", expiresOn: "2030-01-01" }]))
  })
})

describe("request bodies sent as they are", () => {
  it("a schema said to encode as itself does, for any value of its type; Redacted bodies are encoded", () => {
    let sentAsIs = 0
    for (const id of operationIds) {
      const request = (operations[id] as Definition).request
      if (request === undefined || !encodesAsItself(request.ast)) continue
      sentAsIs++
      const encode = Schema.encodeUnknownSync(request)
      fc.assert(
        fc.property(Arbitrary.make(request), (value) => JSON.stringify(encode(value)) === JSON.stringify(value)),
        { numRuns: 200 }
      )
    }
    assert.isAbove(sentAsIs, 0)
    assert.isTrue(encodesAsItself(IssueAccessTokenRequestWire.ast))
    assert.isFalse(encodesAsItself(TeamsExchangeRequestWire.ast))
    assert.isFalse(encodesAsItself(AccessToken.ast))
  })
})
