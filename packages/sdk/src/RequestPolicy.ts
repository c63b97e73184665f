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
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { type CommunicationIdentityError, InvalidArgumentError, isRetryable } from "./Errors.js"
import { readOptions } from "./internal/validate.js"

/**
 * Retry and timeout settings.
 *
 * @since 0.1.0
 * @category policy
 */
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

/**
 * The defaults: 3 retries from about 1 s, capped at 30 s; 30 s per attempt; 2 minutes in all.
 *
 * @since 0.1.0
 * @category policy
 */
export const defaultRequestPolicy: RequestPolicy = {
  maxRetries: 3,
  baseDelay: "1 second",
  maxDelay: "30 seconds",
  attemptTimeout: "30 seconds",
  timeout: "2 minutes"
}

/**
 * Per-call overrides, read when a call starts.
 *
 * @since 0.1.0
 * @category policy
 */
export const currentRequestPolicy: FiberRef.FiberRef<Partial<RequestPolicy>> = FiberRef.unsafeMake<
  Partial<RequestPolicy>
>({})

/**
 * Runs `self` with some policy settings overridden for the calls it makes.
 *
 * @example
 * ```ts
 * import { CommunicationIdentityClient, withRequestPolicy } from "@acs-identity/sdk"
 * import { Effect } from "effect"
 *
 * // one attempt only, with 5 seconds for it
 * export const tokenOnce = (communicationUserId: string) =>
 *   Effect.flatMap(CommunicationIdentityClient, (client) => client.getToken({ communicationUserId }, ["chat"])).pipe(
 *     withRequestPolicy({ maxRetries: 0, attemptTimeout: "5 seconds" })
 *   )
 * ```
 *
 * @since 0.1.0
 * @category policy
 */
export const withRequestPolicy: {
  (policy: Partial<RequestPolicy>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RequestPolicy>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RequestPolicy>): Effect.Effect<A, E, R> =>
    Effect.locallyWith(
      self,
      currentRequestPolicy,
      (current) => typeof policy === "object" && policy !== null ? overlay(current, policy) : current
    )
)

/**
 * A policy whose settings have been checked: a whole number of retries, and durations that are
 * finite and (for the two timeouts) positive.
 *
 * @since 0.1.0
 * @category policy
 */
export interface ResolvedRequestPolicy {
  readonly maxRetries: number
  readonly baseDelay: Duration.Duration
  readonly maxDelay: Duration.Duration
  readonly attemptTimeout: Duration.Duration
  readonly timeout: Duration.Duration
}

const policyFields = ["maxRetries", "baseDelay", "maxDelay", "attemptTimeout", "timeout"] as const

/** `base` with the settings `overrides` gives; one given as `undefined` keeps `base`'s. */
const overlay = <P extends Partial<Record<keyof RequestPolicy, unknown>>>(
  base: P,
  overrides: Partial<Record<keyof RequestPolicy, unknown>>
): P => {
  const merged: Partial<Record<keyof RequestPolicy, unknown>> = { ...base }
  for (const name of policyFields) if (overrides[name] !== undefined) merged[name] = overrides[name]
  return merged as P
}

const duration = (
  value: unknown,
  name: keyof RequestPolicy,
  positive: boolean
): Either.Either<Duration.Duration, InvalidArgumentError> => {
  let decoded: Option.Option<Duration.Duration>
  try {
    decoded = Duration.decodeUnknown(value)
  } catch {
    decoded = Option.none()
  }
  if (Option.isSome(decoded) && Duration.isFinite(decoded.value)) {
    const millis = Duration.toMillis(decoded.value)
    if (Number.isFinite(millis) && (positive ? millis > 0 : millis >= 0)) return Either.right(decoded.value)
  }
  return Either.left(
    new InvalidArgumentError({
      argument: `policy.${name}`,
      message: `policy.${name} must be a finite ${positive ? "positive " : ""}duration such as "30 seconds"`
    })
  )
}

/**
 * Checks a policy (the defaults overlaid with `overrides`): `maxRetries` a whole number from 0,
 * durations finite, timeouts positive. Runs when a client is built and when a call starts with
 * per-call overrides, so a bad value is an `InvalidArgumentError` before any request.
 *
 * @since 0.1.0
 * @category policy
 */
export const resolveRequestPolicy = (
  overrides: unknown,
  base: RequestPolicy = defaultRequestPolicy
): Either.Either<ResolvedRequestPolicy, InvalidArgumentError> =>
  Either.flatMap(readOptions(overrides, "policy", policyFields), (read) => {
    const policy = overlay(base, read)
    const { maxRetries } = policy
    if (typeof maxRetries !== "number" || !Number.isSafeInteger(maxRetries) || maxRetries < 0) {
      return Either.left(
        new InvalidArgumentError({
          argument: "policy.maxRetries",
          message: "policy.maxRetries must be a whole number from 0"
        })
      )
    }
    return Either.all({
      maxRetries: Either.right(maxRetries),
      baseDelay: duration(policy.baseDelay, "baseDelay", false),
      maxDelay: duration(policy.maxDelay, "maxDelay", false),
      attemptTimeout: duration(policy.attemptTimeout, "attemptTimeout", true),
      timeout: duration(policy.timeout, "timeout", true)
    })
  })

const retryAfterOf = (error: CommunicationIdentityError): Duration.Duration =>
  (error._tag === "ThrottledError" || error._tag === "ServiceError") && error.retryAfter !== undefined
    ? error.retryAfter
    : Duration.zero

/**
 * The retry schedule for a policy: jittered exponential backoff capped at `maxDelay` (after the
 * jitter, so no backoff exceeds it), at least the `Retry-After` the service sent, for retryable
 * errors only (plus `retryAlso`), at most `maxRetries` times. Given a `deadline` (epoch millis by
 * the `Clock`), no wait runs past it and no retry starts after it; when the wait the service asks
 * for cannot fit before the deadline, the schedule stops at once, so the caller gets the
 * `ThrottledError` (with its `retryAfter`) rather than a timeout later.
 *
 * @since 0.1.0
 * @category policy
 */
export const retrySchedule = (
  policy: RequestPolicy | ResolvedRequestPolicy,
  deadline?: number,
  retryAlso?: (error: CommunicationIdentityError) => boolean
): Schedule.Schedule<unknown, CommunicationIdentityError> => {
  const maxDelay = Duration.decode(policy.maxDelay)
  const backoff = Schedule.exponential(policy.baseDelay).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((delay) => Duration.min(delay, maxDelay))
  )
  const serviceWait = Schedule.identity<CommunicationIdentityError>().pipe(Schedule.addDelay(retryAfterOf))
  const schedule = backoff.pipe(
    Schedule.intersect(serviceWait),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.whileInput((error: CommunicationIdentityError) =>
      isRetryable(error) || (retryAlso !== undefined && retryAlso(error))
    )
  )
  if (deadline === undefined) return schedule
  const remaining = Effect.map(Clock.currentTimeMillis, (now) => Math.max(0, deadline - now))
  return schedule.pipe(
    Schedule.checkEffect((error: CommunicationIdentityError) =>
      Effect.map(remaining, (left) => left > 0 && Duration.toMillis(retryAfterOf(error)) < left)
    ),
    Schedule.modifyDelayEffect((_, delay) =>
      Effect.map(remaining, (left) => Duration.min(delay, Duration.millis(left)))
    )
  )
}
