import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Exit, Fiber, Layer, Logger, LogLevel, Schedule, TestClock } from "effect"
import { CommunicationIdentityClient, type RequestPolicy, TransportError, withRequestPolicy } from "../src/index.js"
import { retrySchedule } from "../src/RequestPolicy.js"
import { withScriptedClient } from "./utils/ScriptedClient.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="
const user = { communicationUserId: "8:acs:r_u" }
const identity = { identity: { id: "8:acs:r_u" } }
const envelope = { error: { code: "ServiceUnavailable", message: "try later" } }

const run = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], t: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  policy?: Partial<RequestPolicy>
) => withScriptedClient(f, { policy })

/** Runs `effect` in a fiber while the test clock moves forward in one-second steps. */
const withTime = <A, E>(effect: Effect.Effect<A, E>, seconds: number) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < seconds; i++) {
      yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
      yield* TestClock.adjust("1 second")
    }
    return yield* Fiber.join(fiber)
  })

describe("retries", () => {
  it.effect("retries a 503 with a fresh signature but the same request and repeatability ids", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 503, body: envelope }, { status: 201, body: identity })
        const created = yield* withTime(client.createUser(), 5)
        assert.strictEqual(created.communicationUserId, "8:acs:r_u")
        assert.strictEqual(t.sent.length, 2)
        const [first, second] = t.sent
        assert.notStrictEqual(first!.headers["x-ms-date"], second!.headers["x-ms-date"])
        assert.notStrictEqual(first!.headers["authorization"], second!.headers["authorization"])
        assert.strictEqual(first!.headers["x-ms-client-request-id"], second!.headers["x-ms-client-request-id"])
        assert.strictEqual(first!.headers["repeatability-request-id"], second!.headers["repeatability-request-id"])
        assert.strictEqual(first!.headers["repeatability-first-sent"], second!.headers["repeatability-first-sent"])
      }), { baseDelay: "2 seconds" }))

  /** Answers `status` with `headers` once, then 204; the retry must wait exactly `waitSeconds`. */
  const waitsFor = (
    status: number,
    headers: Record<string, string>,
    waitSeconds: number,
    call: (client: CommunicationIdentityClient["Type"]) => Effect.Effect<void, unknown>
  ) =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ status, body: envelope, headers }, { status: 204 })
        const fiber = yield* Effect.fork(call(client))
        yield* t.untilSent(1)
        yield* TestClock.adjust(`${waitSeconds - 1} seconds`)
        assert.strictEqual(t.sent.length, 1)
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)
        assert.strictEqual(t.sent.length, 2)
      })
    )

  it.effect("never retries sooner than Retry-After", () =>
    waitsFor(429, { "retry-after": "10" }, 10, (client) => client.revokeTokens(user)))

  it.effect("honours retry-after-ms over the backoff's longer guess only when longer", () =>
    waitsFor(503, { "retry-after-ms": "20000" }, 20, (client) => client.deleteUser(user)))

  it.effect("retries 408, 429, 500, 502, 503, 504 and network failures, 3 times by default", () =>
    Effect.forEach(
      [408, 429, 500, 502, 503, 504, "network"] as const,
      (status) =>
        run((client, t) =>
          Effect.gen(function*() {
            const reply = status === "network" ? { fail: "network" as const } : { status, body: envelope }
            t.reply(reply, reply, reply, reply, reply)
            const error = yield* Effect.flip(withTime(client.getToken(user, ["chat"]), 120))
            assert.strictEqual(t.sent.length, 4, String(status))
            assert.oneOf(error._tag, ["ServiceError", "ThrottledError", "TransportError"])
          })
        )
    ))

  it.effect("never retries other 4xx, 501 or 505", () =>
    Effect.forEach([400, 401, 403, 404, 409, 501, 505], (status) =>
      run((client, t) =>
        Effect.gen(function*() {
          t.reply({ status, body: envelope }, { status: 200 })
          yield* Effect.flip(withTime(client.getToken(user, ["chat"]), 60))
          assert.strictEqual(t.sent.length, 1, String(status))
        })
      )))

  it.effect("can be turned off per client and per call", () =>
    Effect.gen(function*() {
      yield* run((client, t) =>
        Effect.gen(function*() {
          t.reply({ status: 503, body: envelope }, { status: 204 })
          yield* Effect.flip(withTime(client.deleteUser(user), 10))
          assert.strictEqual(t.sent.length, 1)
        }), { maxRetries: 0 })
      yield* run((client, t) =>
        Effect.gen(function*() {
          t.reply({ status: 503, body: envelope }, { status: 503, body: envelope }, { status: 204 })
          yield* Effect.flip(withTime(client.deleteUser(user).pipe(withRequestPolicy({ maxRetries: 1 })), 30))
          assert.strictEqual(t.sent.length, 2)
        })
      )
    }))

  it.effect("backs off exponentially with jitter, capped at maxDelay", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply(...Array.from({ length: 6 }, () => ({ fail: "network" as const })))
        const fiber = yield* Effect.fork(client.deleteUser(user))
        for (let i = 0; i < 300; i++) yield* TestClock.adjust("100 millis")
        yield* Effect.flip(Fiber.join(fiber))
        const gaps = t.sent.slice(1).map((s, i) => s.at - t.sent[i]!.at)
        const bounds = [[800, 1200], [1600, 2400], [3200, 4000], [3200, 4000], [3200, 4000]]
        assert.strictEqual(gaps.length, 5)
        gaps.forEach((gap, i) => {
          assert.isAtLeast(gap, bounds[i]![0]!, `retry ${i + 1}`)
          assert.isAtMost(gap, bounds[i]![1]! + 100, `retry ${i + 1}`)
        })
      }), { maxRetries: 5, baseDelay: "1 second", maxDelay: "4 seconds" }))
})

describe("timeouts and cancellation", () => {
  it.effect("a hung attempt times out, is aborted, and the retry gets a fresh attempt", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ hang: true }, { status: 204 })
        yield* withTime(client.revokeTokens(user), 10)
        assert.strictEqual(t.sent.length, 2)
        assert.strictEqual(t.interrupted(), 1)
      }), { attemptTimeout: "2 seconds" }))

  it.effect("the overall deadline ends the call with a Timeout TransportError", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ hang: true }, { hang: true }, { hang: true }, { hang: true })
        const error = yield* Effect.flip(withTime(client.revokeTokens(user), 30))
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual(error._tag === "TransportError" ? error.reason : "", "Timeout")
        assert.include(error.message, "the call")
        assert.strictEqual(t.interrupted(), t.sent.length)
      }), { attemptTimeout: "10 seconds", timeout: "15 seconds" }))

  it.effect("interrupting the caller aborts the in-flight request and leaves no timer", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ hang: true })
        const fiber = yield* Effect.fork(client.getToken(user, ["chat"]))
        yield* t.untilSent(1)
        const exit = yield* Fiber.interrupt(fiber)
        assert.isTrue(Exit.isInterrupted(exit))
        assert.strictEqual(t.interrupted(), 1)
        assert.strictEqual(t.sent.length, 1)
        yield* TestClock.adjust("10 minutes")
        assert.strictEqual(t.sent.length, 1)
      })
    ))
})

describe("policy checks and retry edges (issue 10)", () => {
  it.effect("no backoff exceeds maxDelay: the cap applies after the jitter", () =>
    Effect.gen(function*() {
      const policy: RequestPolicy = {
        maxRetries: 500,
        baseDelay: "1 second",
        maxDelay: "4 seconds",
        attemptTimeout: "1 second",
        timeout: "1 hour"
      }
      const failure = new TransportError({ reason: "Network", message: "reset" })
      const delays = yield* Schedule.run(
        retrySchedule(policy).pipe(Schedule.delays),
        0,
        Array.from({ length: 500 }, () => failure)
      )
      const millis = Chunk.toReadonlyArray(delays).map(Duration.toMillis)
      assert.strictEqual(millis.length, 500)
      assert.isAtMost(Math.max(...millis), 4000)
      assert.isAbove(Math.max(...millis), 3900, "the cap is reached")
    }))

  it.effect("a Retry-After longer than the time left fails at once with the ThrottledError", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 429, body: envelope, headers: { "retry-after": "999999" } }, { status: 204 })
        const error = yield* Effect.flip(client.revokeTokens(user))
        assert.strictEqual(error._tag, "ThrottledError")
        assert.strictEqual(
          error._tag === "ThrottledError" ? Duration.toSeconds(error.retryAfter ?? Duration.zero) : 0,
          999999
        )
        assert.strictEqual(t.sent.length, 1)
      })
    ))

  it.effect("a bad policy or api-version fails when the client is built, before any request", () =>
    Effect.forEach(
      [
        { policy: { timeout: "banana" as Duration.DurationInput } },
        { policy: { attemptTimeout: Number.NaN } },
        { policy: { maxRetries: -1 } },
        { policy: { maxRetries: 1.5 } },
        { policy: { maxDelay: Duration.infinity } },
        { apiVersion: "2099-01-01" as "2025-06-30" }
      ],
      (options) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(
            Effect.provide(
              CommunicationIdentityClient,
              CommunicationIdentityClient.fromConnectionString(
                `endpoint=https://contoso.communication.azure.com/;accesskey=${key}`,
                options
              ).pipe(Layer.provide(ScriptedTransport.layer))
            )
          )
          assert.strictEqual(error._tag, "InvalidArgumentError", JSON.stringify(options))
        })
    ))

  it.effect("a bad per-call policy is an InvalidArgumentError and sends nothing", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 204 })
        const error = yield* Effect.flip(
          client.revokeTokens(user).pipe(withRequestPolicy({ attemptTimeout: Number.NaN }))
        )
        assert.strictEqual(error._tag, "InvalidArgumentError")
        assert.include(error.message, "attemptTimeout")
        assert.strictEqual(t.sent.length, 0)
      })
    ))

  it.effect("a create whose reply cannot be read is retried with the same repeatability id", () =>
    Effect.forEach(
      [
        { status: 201, body: "{\"identity\":{\"id\":" },
        { status: 201, body: "<html>gateway</html>", headers: { "content-type": "text/html" } }
      ],
      (broken) =>
        run((client, t) =>
          Effect.gen(function*() {
            t.reply(broken, { status: 201, body: identity })
            const created = yield* withTime(client.createUser(), 5)
            assert.strictEqual(created.communicationUserId, "8:acs:r_u")
            assert.strictEqual(t.sent.length, 2)
            assert.strictEqual(
              t.sent[0]!.headers["repeatability-request-id"],
              t.sent[1]!.headers["repeatability-request-id"]
            )
          })
        )
    ))

  it.effect("an unreadable reply to a call that is not repeatable is not retried", () =>
    run((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: "{\"token\":" }, {
          status: 200,
          body: { token: "t", expiresOn: "2030-01-01T00:00:00Z" }
        })
        const error = yield* Effect.flip(withTime(client.getToken(user, ["chat"]), 5))
        assert.strictEqual(error._tag, "UnexpectedResponseError")
        assert.strictEqual(t.sent.length, 1)
      })
    ))

  it.effect("requests that cannot be encoded or addressed keep their reason and are not retried", () =>
    Effect.forEach(["Encode", "InvalidUrl"] as const, (reason) =>
      run((client, t) =>
        Effect.gen(function*() {
          t.reply({ fail: reason }, { status: 204 })
          const error = yield* Effect.flip(withTime(client.revokeTokens(user), 5))
          assert.strictEqual(error._tag, "TransportError")
          assert.strictEqual(error._tag === "TransportError" ? error.reason : "", reason)
          assert.strictEqual(t.sent.length, 1)
        })
      )))

  it.effect("each retry is logged at debug level with the operation, attempt, status, wait and request id", () =>
    Effect.gen(function*() {
      const lines: Array<{ message: unknown; annotations: Record<string, unknown>; level: string }> = []
      const logger = Logger.make(({ annotations, logLevel, message }) =>
        void lines.push({ message, annotations: Object.fromEntries(annotations), level: logLevel.label })
      )
      yield* run((client, t) =>
        Effect.gen(function*() {
          t.reply({ status: 503, body: envelope, headers: { "retry-after": "2" } }, { status: 204 })
          yield* withTime(client.deleteUser(user), 5)
          const retries = lines.filter((line) => String(line.message).includes("retrying"))
          assert.strictEqual(retries.length, 1)
          const [line] = retries
          assert.strictEqual(line!.level, "DEBUG")
          assert.strictEqual(line!.annotations["operation"], "CommunicationIdentityClient.deleteUser")
          assert.strictEqual(line!.annotations["attempt"], 1)
          assert.strictEqual(line!.annotations["status"], 503)
          assert.strictEqual(line!.annotations["wait"], "2s")
          assert.strictEqual(line!.annotations["requestId"], t.sent[0]!.headers["x-ms-client-request-id"])
          assert.notInclude(JSON.stringify(lines), t.sent[0]!.headers["authorization"]!)
        })
      ).pipe(
        Effect.provide(
          Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LogLevel.Debug))
        )
      )
    }))
})
