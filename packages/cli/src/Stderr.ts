/**
 * What goes to stderr: every `Console.error` — the command's failure report, `--verbose` lines and
 * `@effect/cli`'s argument errors alike — becomes exactly one line, `acs-identity: <text>`.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

/**
 * Collapses text (colours, line breaks, runs of spaces) into one trimmed line.
 *
 * @since 0.1.0
 * @category formatting
 */
export const oneLine = (text: string): string => text.replace(ansi, "").replace(/\s+/g, " ").trim()

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
