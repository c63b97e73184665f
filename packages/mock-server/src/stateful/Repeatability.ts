/**
 * Repeatable creates (`Repeatability-Request-ID` and `Repeatability-First-Sent`), as ACS documents
 * them for its repeatable requests (OASIS Repeatable Requests 1.0): a request id is tracked for a
 * window of **5 minutes** by default. Within it, a repeat gets the first reply again with
 * `Repeatability-Result: replayed`; a request whose `Repeatability-First-Sent` is older than the
 * window is refused with `412 PreconditionFailed` (`Repeatability-Result: rejected`), since it may
 * already have run and its reply is no longer kept. A missing or unreadable `Repeatability-First-Sent`
 * is a 400.
 *
 * The replay cache is bounded in time and size: each reply is kept for the window (measured from
 * when it was recorded, which is never before its request was first sent) and at most
 * `maxEntries` are kept, the oldest dropped first. Both checks cost O(1) per request: entries sit in
 * insertion order, so expired ones are always at the front. Time comes from the Effect `Clock`, so
 * `TestClock` drives the window in tests.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Reply from "../shared/Reply.js"

/**
 * Bounds of the replay cache.
 *
 * @since 0.1.0
 * @category models
 */
export interface RepeatabilityOptions {
  /** How long a request id is tracked; defaults to 5 minutes, the window ACS documents. */
  readonly window?: Duration.DurationInput | undefined
  /** The most replies kept; the oldest is dropped beyond it. Defaults to 10,000. */
  readonly maxEntries?: number | undefined
}

/**
 * The default tracking window: 5 minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWindow: Duration.Duration = Duration.minutes(5)

/**
 * The default bound on kept replies.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxEntries = 10_000

/**
 * A replay cache: runs a repeatable request once per request id within the window.
 *
 * @since 0.1.0
 * @category models
 */
export interface Repeatability {
  /** Runs `commit` for a request, or replays or refuses it as its repeatability headers say. */
  readonly run: (
    headers: Readonly<Record<string, string | undefined>>,
    commit: Effect.Effect<Reply.Reply>
  ) => Effect.Effect<Reply.Reply>
  /** How many replies are kept now. */
  readonly size: Effect.Effect<number>
}

interface Entry {
  readonly reply: Reply.Reply
  readonly recordedAt: number
}

const withResult = (reply: Reply.Reply, result: "accepted" | "replayed" | "rejected"): Reply.Reply => ({
  ...reply,
  headers: { ...reply.headers, "repeatability-result": result }
})

/**
 * A replay cache with the given bounds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: RepeatabilityOptions = {}): Effect.Effect<Repeatability> =>
  Effect.gen(function*() {
    const window = Duration.toMillis(Duration.decode(options.window ?? defaultWindow))
    const maxEntries = Math.max(1, options.maxEntries ?? defaultMaxEntries)
    const minutes = Math.round(window / 60_000)
    const windowText = minutes >= 1 ? `${minutes} minute` : `${window} ms`
    // Insertion-ordered, so the oldest entry is always the first.
    const entries = new Map<string, Entry>()
    const lock = yield* Effect.makeSemaphore(1)

    const evict = (now: number) => {
      for (const [id, entry] of entries) {
        if (entries.size <= maxEntries && now - entry.recordedAt <= window) return
        entries.delete(id)
      }
    }

    const run: Repeatability["run"] = (headers, commit) => {
      const requestId = headers["repeatability-request-id"]
      if (requestId === undefined) return commit
      const firstSent = Date.parse(headers["repeatability-first-sent"] ?? "")
      if (Number.isNaN(firstSent)) {
        return Effect.succeed(withResult(
          Reply.error(400, "ValidationError", "Repeatability-First-Sent is required with Repeatability-Request-ID.", {
            target: "Repeatability-First-Sent"
          }),
          "rejected"
        ))
      }
      return lock.withPermits(1)(Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        evict(now)
        if (now - firstSent > window) {
          return withResult(
            Reply.error(
              412,
              "PreconditionFailed",
              `Repeatability-First-Sent header is not within the ${windowText} window.`,
              { target: "Repeatability-First-Sent" }
            ),
            "rejected"
          )
        }
        const previous = entries.get(requestId)
        if (previous !== undefined) return withResult(previous.reply, "replayed")
        const reply = yield* commit
        if (reply.status >= 300) return reply
        entries.set(requestId, { reply, recordedAt: yield* Clock.currentTimeMillis })
        evict(now)
        return withResult(reply, "accepted")
      }))
    }

    return { run, size: Effect.sync(() => entries.size) }
  })
