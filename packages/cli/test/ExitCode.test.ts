import { AuthorizationError, BadRequestError, NotFoundError, ServiceError, TransportError } from "@acs-identity/sdk"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import { ExitCode, report } from "../src/ExitCode.js"
import { OutputError } from "../src/Stdout.js"
import { MockStartError } from "../src/UsageError.js"

describe("ExitCode.report", () => {
  it("gives every kind its own code", () => {
    assert.strictEqual(new Set(Object.values(ExitCode)).size, Object.keys(ExitCode).length)
  })

  it("403 and 404, which the mock does not produce, map to 4 and 5 with the request id", () => {
    const fields = { code: "Forbidden", message: "no\nway", requestId: "r-1" }
    assert.deepStrictEqual(report(new AuthorizationError({ status: 403, ...fields })), {
      code: 4,
      line: "not authorized (403 Forbidden): no way [request id r-1]"
    })
    assert.deepStrictEqual(report(new NotFoundError({ status: 404, ...fields })).code, 5)
  })

  it("a 404 the SDK did not expect (a ServiceError) is still not found, exit 5, as the README says", () => {
    assert.deepStrictEqual(
      report(new ServiceError({ status: 404, code: "NotFound", message: "gone", requestId: "r-2" })),
      {
        code: 5,
        line: "not found (404 NotFound): gone [request id r-2]"
      }
    )
  })

  it("an output that cannot be written is exit 1 with the system's reason", () => {
    assert.deepStrictEqual(
      report(new OutputError({ code: "ENOSPC", message: "ENOSPC: no space left on device, write" })),
      { code: 1, line: "cannot write the output: ENOSPC: no space left on device, write" }
    )
  })

  it("a 5xx names its Retry-After; a mock that cannot start is an internal error", () => {
    const error = new ServiceError({
      status: 503,
      code: "Unavailable",
      message: "busy",
      retryAfter: Duration.seconds(2)
    })
    assert.deepStrictEqual(report(error), { code: 8, line: "service error (503 Unavailable): busy (retry after 2s)" })
    assert.strictEqual(report(new MockStartError({ message: "port" })).code, 1)
  })
})

describe("ExitCode.report of a network error", () => {
  it("says what the network said, on one line", () => {
    const refused = new TransportError({
      reason: "Network",
      message: "the request could not be completed (Transport)",
      requestId: "r-1",
      cause: new Error("the proxy refused the tunnel (407, proxy\nauthentication required)\u001b[2J")
    })
    assert.deepStrictEqual(report(refused), {
      code: 9,
      line: "network error (Network): the request could not be completed (Transport): " +
        "the proxy refused the tunnel (407, proxy authentication required)\\x1b[2J [request id r-1]"
    })
    const timedOut = new TransportError({ reason: "Timeout", message: "the call did not complete within 1s" })
    assert.strictEqual(report(timedOut).line, "network error (Timeout): the call did not complete within 1s")
  })
})

describe("ExitCode.report of hostile service text", () => {
  it("escapes control characters in the code, the message and the target", () => {
    const error = new BadRequestError({
      status: 400,
      code: "Bad\u001b[2J",
      message: "no\u001b]0;title\u0007 \u009b1A",
      target: "x\u001b[1A\u001b[2K"
    })
    const { line } = report(error)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.notMatch(line, /[\u0000-\u001f\u007f-\u009f]/)
    assert.strictEqual(
      line,
      "rejected by the service (400 Bad\\x1b[2J): no\\x1b]0;title\\x07 \\u009b1A (target x\\x1b[1A\\x1b[2K)"
    )
  })
})
