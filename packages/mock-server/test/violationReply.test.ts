/** Prism's answer to an invalid request is rewritten only when it is one, and then names the violation. */
import { assert, describe, it } from "@effect/vitest"
import * as ViolationReply from "../src/prism/ViolationReply.js"

const header = (violations: ReadonlyArray<object>) => JSON.stringify(violations)
const scope = {
  location: ["request", "body", "scopes", 0],
  severity: "Error",
  code: "enum",
  message: "Request body property scopes.0 must be equal to one of the allowed values: chat, voip"
}
const minutes = {
  location: ["request", "body", "expiresInMinutes"],
  severity: "Error",
  code: "minimum",
  message: "Request body property expiresInMinutes must be >= 60"
}
interface Envelope {
  readonly error: { readonly code: string; readonly message: string; readonly target?: string }
}
const bodyOf = (reply: ReturnType<typeof ViolationReply.forInvalidRequest>): Envelope => {
  assert.isDefined(reply?.body, "a rewritten reply has a body")
  return JSON.parse(new TextDecoder().decode(reply!.body)) as Envelope
}

describe("the reply to an invalid request", () => {
  it("names the first request error, its field, and how many more the header lists", () => {
    const reply = ViolationReply.forInvalidRequest(400, header([scope, minutes]), { "x-trace": "kept" })
    assert.strictEqual(reply?.status, 400)
    assert.strictEqual(reply?.headers["x-trace"], "kept")
    assert.deepStrictEqual(bodyOf(reply), {
      error: {
        code: "ValidationError",
        message: `${scope.message} (and 1 more in the sl-violations header)`,
        target: "scopes"
      }
    })
  })

  it("targets a query parameter or a header by its name, and a missing body by its section", () => {
    const target = (location: ReadonlyArray<string | number>) =>
      bodyOf(ViolationReply.forInvalidRequest(400, header([{ ...minutes, location }]), {})).error.target
    assert.strictEqual(target(["request", "query", "api-version"]), "api-version")
    assert.strictEqual(target(["request", "header", "repeatability-first-sent"]), "repeatability-first-sent")
    assert.strictEqual(target(["request", "body"]), "body")
    assert.strictEqual(target(["request", "body", "createTokenWithScopes", "0"]), "createTokenWithScopes")
  })

  it("leaves every other answer as Prism sent it", () => {
    assert.isUndefined(ViolationReply.forInvalidRequest(400, undefined, {}), "a documented 400 for a valid request")
    assert.isUndefined(ViolationReply.forInvalidRequest(201, header([scope]), {}), "not a 400")
    assert.isUndefined(
      ViolationReply.forInvalidRequest(400, header([{ ...scope, location: ["response", "body"] }]), {}),
      "only the response broke the spec"
    )
    assert.isUndefined(ViolationReply.forInvalidRequest(400, header([{ ...scope, severity: "Warning" }]), {}))
    assert.isUndefined(ViolationReply.forInvalidRequest(400, "not json", {}), "an unreadable header")
  })

  it("says so when Prism cut the list short", () => {
    const reply = ViolationReply.forInvalidRequest(400, `Too many violations! ${header([scope]).slice(0, 20)}`, {})
    assert.match(bodyOf(reply).error.message, /many ways; see the sl-violations header/)
  })
})
