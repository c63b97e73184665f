/**
 * The deadline of one attempt inside an `Effect.async`, for the transports that run on callbacks:
 * the attempt resumes at most once, a timer fails it with `Timeout` once its budget has passed and
 * aborts what is in flight, and interrupting the caller clears the timer and aborts as well.
 */
import * as Effect from "effect/Effect"
import type { TransportError } from "../Errors.js"
import { failure } from "../Transport.js"

/** What an attempt under a deadline resumes with, and its `Effect.async` canceller. */
export interface AttemptDeadline<A> {
  /** Resumes the attempt, unless it has already ended (timed out, finished or interrupted). */
  readonly settle: (result: Effect.Effect<A, TransportError>) => void
  /** The canceller to return from `Effect.async`. */
  readonly cancel: Effect.Effect<void>
}

/** Arms the deadline: `Timeout` after `millis` (clamped to the 2^31 - 1 ms a timer holds), then `abort`. */
export const attemptDeadline = <A>(
  resume: (result: Effect.Effect<A, TransportError>) => void,
  millis: number,
  abort: () => void
): AttemptDeadline<A> => {
  let settled = false
  const timer = setTimeout(() => {
    settle(Effect.fail(failure("Timeout")))
    abort()
  }, Math.min(millis, 2 ** 31 - 1))
  const settle = (result: Effect.Effect<A, TransportError>) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    resume(result)
  }
  const cancel = Effect.sync(() => {
    settled = true
    clearTimeout(timer)
    abort()
  })
  return { settle, cancel }
}
