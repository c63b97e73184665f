/**
 * The hand-checked fast paths agree with their schemas: on any input, a fast decoder or argument
 * check either declines (`undefined`) or returns what the schema's decoder returns; and it declines
 * no well-formed input of the common shape.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, Redacted, Schema } from "effect"
import * as fc from "fast-check"
import { plainIssueBody, plainUser } from "../src/internal/arguments.js"
import { accessToken } from "../src/internal/fastDecode.js"
import { encodesAsItself } from "../src/internal/pipeline.js"
import { AccessToken, IssueAccessTokenRequestWire, TeamsExchangeRequestWire, TokenScope } from "../src/Models.js"
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

const decodeUser = Schema.decodeUnknownEither(
  Schema.Struct({ communicationUserId: operations.issueAccessToken.params.id })
)
const decodeIssue = Schema.decodeUnknownEither(IssueAccessTokenRequestWire)

/** Ids of every kind: ordinary, empty, dot segments, lone surrogates, any string. */
const id = fc.oneof(
  fc.constantFrom("8:acs:r_u", "", ".", "..", "a\uD800", "\uDC00b", "x/y", "%2e"),
  fc.string({ unit: "binary" }),
  fc.string()
)

/** Users: plain records (the id right or wrong, extra fields), class instances, other values. */
const user = fc.oneof(
  fc.record({ communicationUserId: fc.oneof(id, fc.integer(), fc.constant(undefined)), extra: fc.anything() }, {
    requiredKeys: []
  }),
  id.map((value) =>
    new (class {
      get communicationUserId() {
        return value
      }
    })()
  ),
  fc.anything()
)

/** Issue bodies: scopes right, wrong, empty or absent; every kind of expiry; extra fields. */
const issueBody = fc.oneof(
  fc.record({
    scopes: fc.oneof(
      fc.array(fc.constantFrom(...TokenScope.literals), { maxLength: 6 }),
      fc.array(fc.oneof(fc.constantFrom(...TokenScope.literals), fc.string(), fc.integer()), { maxLength: 4 }),
      fc.anything()
    ),
    expiresInMinutes: fc.oneof(
      fc.integer({ min: 0, max: 2000 }),
      fc.double(),
      fc.constantFrom(59, 60, 1440, 1441, 60.5, Number.NaN, Infinity, undefined, "60", null)
    ),
    extra: fc.anything()
  }, { requiredKeys: [] }),
  fc.anything()
)

describe("hand-checked arguments", () => {
  it("user: declines or agrees with the schema on any value", () => {
    fc.assert(
      fc.property(user, (value) => {
        const fast = plainUser(value)
        const schema = decodeUser(value)
        if (fast === undefined) return Either.isLeft(schema) || typeof value !== "object"
        return Either.isRight(schema) && JSON.stringify(fast) === JSON.stringify(schema.right) &&
          Object.keys(fast).join() === "communicationUserId"
      }),
      { numRuns: 3000 }
    )
  })

  it("issue body: declines or agrees with the schema on any value, and accepts every valid record", () => {
    fc.assert(
      fc.property(issueBody, (value) => {
        const fast = plainIssueBody(value)
        const schema = decodeIssue(value)
        if (fast === undefined) {
          // Declining is allowed only where the schema rejects, or for a present-but-undefined expiry.
          return Either.isLeft(schema) || (typeof value === "object" && value !== null && "expiresInMinutes" in value &&
            (value as { expiresInMinutes?: unknown }).expiresInMinutes === undefined) ||
            Array.isArray(value)
        }
        return Either.isRight(schema) && JSON.stringify(fast) === JSON.stringify(schema.right) &&
          Object.keys(fast).join() === Object.keys(schema.right).join()
      }),
      { numRuns: 3000 }
    )
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
