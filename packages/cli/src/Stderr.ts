/**
 * What goes to stderr: every `Console.error` — the command's failure report, `--verbose` lines and
 * `@effect/cli`'s own errors alike — and every log record (the SDK's retries) becomes exactly one
 * line, `acs-identity: <text>`, with its control characters escaped. Nothing but the command's
 * output goes to stdout.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { escape } from "./Controls.js"

// eslint-disable-next-line no-control-regex
const sgr = /\u001b\[[0-9;]*m/g

/**
 * Collapses text into one trimmed line: colours (SGR sequences, as `@effect/cli` styles its own
 * errors) are dropped, runs of whitespace (line breaks and tabs included) become one space, and
 * every other control character is escaped (`\x1b`), so no text the service sent can drive the
 * terminal.
 *
 * @since 0.1.0
 * @category formatting
 */
export const oneLine = (text: string): string => escape(text.replace(sgr, "").replace(/\s+/g, " ").trim())

/**
 * Runs an effect with a console whose `error` prints one prefixed line per call (nothing for an
 * empty message); the other methods are unchanged.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withOneLineErrors = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Console.consoleWith((console) =>
    Console.withConsole(effect, {
      ...console,
      error: (...args: ReadonlyArray<unknown>) => {
        const line = oneLine(args.map(String).join(" "))
        return line.length === 0 ? Effect.void : console.error(`acs-identity: ${line}`)
      }
    })
  )

/** A log record's message: its parts joined by spaces. */
const messageOf = (message: unknown) => (Array.isArray(message) ? message : [message]).map(String).join(" ")

/**
 * A log record as one line: `acs-identity: <level>: <message> (<key>=<value> …)`, then the first
 * line of its cause, if any.
 *
 * @since 0.1.0
 * @category logging
 */
export const logger: Logger.Logger<unknown, void> = Logger.withConsoleError(
  Logger.make(({ annotations, cause, logLevel, message }) => {
    const fields = HashMap.toEntries(annotations).map(([key, value]) => `${key}=${String(value)}`)
    const why = Cause.isEmpty(cause) ? "" : `: ${Cause.pretty(cause).split("\n")[0]}`
    return `acs-identity: ${
      oneLine(
        `${logLevel.label.toLowerCase()}: ${messageOf(message)}${
          fields.length === 0 ? "" : ` (${fields.join(" ")})`
        }${why}`
      )
    }`
  })
)

/**
 * Runs an effect with {@link logger} as its only logger (no pretty logger writing to stdout) and
 * warnings and worse shown; {@link withDebugLogs} shows more.
 *
 * @since 0.1.0
 * @category logging
 */
export const withLogs = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  effect.pipe(
    Effect.locally(FiberRef.currentLoggers, HashSet.make(logger)),
    Logger.withMinimumLogLevel(LogLevel.Warning)
  )

/**
 * Shows debug records too (`--verbose`: each retry and why).
 *
 * @since 0.1.0
 * @category logging
 */
export const withDebugLogs: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = Logger
  .withMinimumLogLevel(LogLevel.Debug)
