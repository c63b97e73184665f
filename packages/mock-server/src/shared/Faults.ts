/**
 * Fault injection for the mocks: per operation, the next N requests or a seeded probability, get
 * added latency, a 429/503 (with `Retry-After` and `retry-after-ms`) or 500, a connection reset before
 * or after the change is committed, a truncated JSON body, an HTML 502 gateway page or a wrong content
 * type. Probabilistic rules draw from a `Random` seeded by the options, so a failing run replays.
 *
 * @since 0.1.0
 */
import { IdentityStore } from "@acs-identity/sdk/testing"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Reply from "./Reply.js"

/**
 * The schema of one fault: added latency, a 429/500/503 status, a connection reset before or after
 * the commit, a truncated JSON body, an HTML 502 gateway page or a wrong content type.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Fault = Schema.Union(
  Schema.TaggedStruct("Latency", { millis: Schema.NonNegativeInt }),
  Schema.TaggedStruct("Status", {
    status: Schema.Literal(429, 500, 503),
    retryAfterSeconds: Schema.optional(Schema.NonNegativeInt)
  }),
  Schema.TaggedStruct("ResetBeforeCommit", {}),
  Schema.TaggedStruct("ResetAfterCommit", {}),
  Schema.TaggedStruct("TruncatedJson", {}),
  Schema.TaggedStruct("GatewayHtml", {}),
  Schema.TaggedStruct("WrongContentType", {})
)
/**
 * One fault, as decoded by the {@link Fault} schema.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault = typeof Fault.Type

/**
 * When a fault applies: to the next `times` matching requests, with a `probability`, or (neither) always.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FaultRule = Schema.Struct({
  /** The operation it applies to; `*` (the default) for all. */
  operation: Schema.optional(Schema.Union(IdentityStore.Operation, Schema.Literal("*"))),
  fault: Fault,
  times: Schema.optional(Schema.Int.pipe(Schema.positive())),
  probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
})
/**
 * A fault rule, as decoded by the {@link FaultRule} schema: the operation, the fault, and how often.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultRule = typeof FaultRule.Type

/**
 * The body of `POST /__control/faults`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FaultRules = Schema.Struct({ rules: Schema.Array(FaultRule) })

/**
 * A fault that was injected, for assertions.
 *
 * @since 0.1.0
 * @category models
 */
export interface InjectedFault {
  readonly operation: IdentityStore.Operation
  readonly fault: Fault["_tag"]
}

/**
 * The rule set of a running mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultInjector {
  /** Appends rules; earlier rules are tried first. */
  readonly add: (rules: ReadonlyArray<FaultRule>) => Effect.Effect<void>
  /** Removes every rule. */
  readonly clear: Effect.Effect<void>
  /** Picks the fault for one request, consuming a `times` rule. */
  readonly next: (operation: IdentityStore.Operation) => Effect.Effect<Option.Option<Fault>>
  /** Every fault injected so far. */
  readonly injected: Effect.Effect<ReadonlyArray<InjectedFault>>
}

interface LiveRule {
  readonly rule: FaultRule
  readonly remaining: number | undefined
}

/**
 * A fault injector with initial rules; `seed` seeds the probabilistic rules.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  rules: ReadonlyArray<FaultRule> = [],
  seed: string | number = 0
): Effect.Effect<FaultInjector> =>
  Effect.gen(function*() {
    const random = Random.make(seed)
    // A synchronized ref: picking reads the rules, draws, and writes the decremented count as one
    // step, so concurrent requests never both take the last use of a `times` rule.
    const live = yield* SynchronizedRef.make<ReadonlyArray<LiveRule>>(
      rules.map((rule) => ({ rule, remaining: rule.times }))
    )
    const injected = yield* Ref.make<ReadonlyArray<InjectedFault>>([])

    const pick = (operation: IdentityStore.Operation) =>
      SynchronizedRef.modifyEffect(live, (current) =>
        Effect.gen(function*() {
          for (const [index, entry] of current.entries()) {
            const { rule } = entry
            if ((rule.operation ?? "*") !== "*" && rule.operation !== operation) continue
            if (rule.probability !== undefined && (yield* random.next) >= rule.probability) continue
            yield* Ref.update(injected, (all) => [...all, { operation, fault: rule.fault._tag }])
            if (entry.remaining === undefined) return [Option.some(rule.fault), current] as const
            const remaining = entry.remaining - 1
            const next = remaining === 0
              ? current.filter((_, i) => i !== index)
              : current.map((e, i) => (i === index ? { rule, remaining } : e))
            return [Option.some(rule.fault), next] as const
          }
          return [Option.none<Fault>(), current] as const
        }))

    return {
      add: (rules) =>
        SynchronizedRef.update(
          live,
          (current) => [...current, ...rules.map((rule) => ({ rule, remaining: rule.times }))]
        ),
      clear: SynchronizedRef.set(live, []),
      next: (operation) => Effect.uninterruptible(pick(operation)),
      injected: Ref.get(injected)
    }
  })

const gatewayPage = new TextEncoder().encode(
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>" +
    "<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>\n"
)

const destroySocket = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy())

const resetReply = Reply.empty(500)

/**
 * Answers one request under a fault. `commit` performs the operation and builds its reply; faults
 * that model a failure before the service acted never run it.
 *
 * @since 0.1.0
 * @category combinators
 */
export const apply = <E, R>(
  fault: Option.Option<Fault>,
  request: HttpServerRequest.HttpServerRequest,
  commit: Effect.Effect<Reply.Reply, E, R>
): Effect.Effect<Reply.Reply, E, R> => {
  if (Option.isNone(fault)) return commit
  const f = fault.value
  switch (f._tag) {
    case "Latency":
      return Effect.zipRight(Effect.sleep(f.millis), commit)
    case "Status": {
      const seconds = f.retryAfterSeconds ?? 1
      const retry = f.status === 500 ? {} : { "retry-after": String(seconds), "retry-after-ms": String(seconds * 1000) }
      const [code, message] = f.status === 429
        ? ["TooManyRequests", `Too many requests. Retry after ${seconds} seconds.`]
        : f.status === 503
        ? ["ServiceUnavailable", `The service is temporarily unavailable. Retry after ${seconds} seconds.`]
        : ["InternalError", "An internal error occurred. Retry the request later."]
      return Effect.succeed(Reply.error(f.status, code, message, { headers: retry }))
    }
    case "ResetBeforeCommit":
      return Effect.as(destroySocket(request), resetReply)
    case "ResetAfterCommit":
      return Effect.zipLeft(Effect.as(commit, resetReply), destroySocket(request))
    case "TruncatedJson":
      return Effect.map(commit, (reply) => ({
        ...reply,
        body: reply.body?.subarray(0, Math.max(1, Math.floor(reply.body.length / 2))) ?? new Uint8Array([123])
      }))
    case "GatewayHtml":
      return Effect.succeed({ status: 502, headers: { "content-type": "text/html; charset=utf-8" }, body: gatewayPage })
    case "WrongContentType":
      return Effect.map(commit, (reply) => ({ ...reply, headers: { ...reply.headers, "content-type": "text/plain" } }))
  }
}
