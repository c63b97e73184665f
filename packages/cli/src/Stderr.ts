/**
 * What goes to stderr: every `Console.error` — the command's failure report, `--verbose` lines and
 * `@effect/cli`'s own errors alike — becomes exactly one line, `acs-identity: <text>`, with its
 * control characters escaped.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
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
