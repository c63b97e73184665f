/**
 * How hard the client tries: retries with exponential backoff and jitter that never come sooner than
 * the service's `Retry-After`, a per-attempt timeout inside the retries and an overall deadline
 * around them. Set per client (`ClientOptions.policy`) and per call (`withRequestPolicy`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Schedule from "effect/Schedule"
import { type CommunicationIdentityError, isRetryable } from "./Errors.js"

/** Retry and timeout settings. */
export interface RequestPolicy {
  /** Retries after the first attempt; `0` turns retrying off. Default 3. */
  readonly maxRetries: number
  /** The first backoff delay, doubled on each retry (before jitter). Default 1 second. */
  readonly baseDelay: Duration.DurationInput
  /** The longest backoff delay. A longer `Retry-After` from the service still wins. Default 30 seconds. */
  readonly maxDelay: Duration.DurationInput
  /** The limit for one attempt (sign, send, read the response). Default 30 seconds. */
  readonly attemptTimeout: Duration.DurationInput
  /** The limit for the whole call including retries and waits. Default 2 minutes. */
  readonly timeout: Duration.DurationInput
}

/** The defaults: 3 retries from about 1 s, capped at 30 s; 30 s per attempt; 2 minutes in all. */
export const defaultRequestPolicy: RequestPolicy = {
  maxRetries: 3,
  baseDelay: "1 second",
  maxDelay: "30 seconds",
  attemptTimeout: "30 seconds",
  timeout: "2 minutes"
}

/** Per-call overrides, read when a call starts. */
export const currentRequestPolicy: FiberRef.FiberRef<Partial<RequestPolicy>> = FiberRef.unsafeMake<
  Partial<RequestPolicy>
>({})

/**
 * Runs `self` with some policy settings overridden for the calls it makes, e.g.
 * `client.getToken(user, ["chat"]).pipe(withRequestPolicy({ maxRetries: 0 }))`.
 */
export const withRequestPolicy: {
  (policy: Partial<RequestPolicy>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RequestPolicy>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RequestPolicy>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(self, currentRequestPolicy, (current) => ({ ...current, ...policy }))
)

const retryAfterOf = (error: CommunicationIdentityError): Duration.Duration =>
  (error._tag === "ThrottledError" || error._tag === "ServiceError") && error.retryAfter !== undefined
    ? error.retryAfter
    : Duration.zero

/**
 * The retry schedule for a policy: jittered exponential backoff capped at `maxDelay`, at least the
 * `Retry-After` the service sent, for retryable errors only, at most `maxRetries` times. Given a
 * `deadline` (epoch millis by the `Clock`), no wait runs past it and no retry starts after it.
 */
export const retrySchedule = (
  policy: RequestPolicy,
  deadline?: number
): Schedule.Schedule<unknown, CommunicationIdentityError> => {
  const maxDelay = Duration.decode(policy.maxDelay)
  const backoff = Schedule.exponential(policy.baseDelay).pipe(
    Schedule.modifyDelay((delay) => Duration.min(delay, maxDelay)),
    Schedule.jittered
  )
  const serviceWait = Schedule.identity<CommunicationIdentityError>().pipe(Schedule.addDelay(retryAfterOf))
  const schedule = backoff.pipe(
    Schedule.intersect(serviceWait),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.whileInput(isRetryable)
  )
  if (deadline === undefined) return schedule
  const remaining = Effect.map(Clock.currentTimeMillis, (now) => Math.max(0, deadline - now))
  return schedule.pipe(
    Schedule.checkEffect(() => Effect.map(remaining, (left) => left > 0)),
    Schedule.modifyDelayEffect((_, delay) =>
      Effect.map(remaining, (left) => Duration.min(delay, Duration.millis(left)))
    )
  )
}
