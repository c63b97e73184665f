/**
 * What goes to stdout: the command's output alone, each `Console.log` written to the stream and
 * awaited, so a long listing goes at the reader's pace. A failed write ends the command with an
 * {@link OutputError} (a defect: `Console.log` has no error channel): quietly when the reader has
 * gone (`EPIPE`, as in `acs-identity entra list | head -1`), else as an error naming why
 * (`ENOSPC`, `EBADF`).
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"

/**
 * The output could not be written; `code` is the system's (`EPIPE`, `ENOSPC`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class OutputError extends Data.TaggedError("OutputError")<{
  readonly code: string | undefined
  readonly message: string
}> {}

/**
 * Whether the reader has gone (a closed pipe): nothing is wrong, nobody reads the rest.
 *
 * @since 0.1.0
 * @category predicates
 */
export const readerGone = (error: OutputError): boolean => error.code === "EPIPE"

/** What a stream needs to be written to. */
interface Writable {
  readonly write: (text: string, callback: (error?: Error | null) => void) => unknown
  readonly on: (event: "error", listener: (error: Error) => void) => unknown
}

const write = (stream: Writable, text: string) =>
  Effect.async<void>((resume) => {
    stream.write(`${text}\n`, (error) => {
      resume(
        error === null || error === undefined
          ? Effect.void
          : Effect.die(new OutputError({ code: (error as NodeJS.ErrnoException).code, message: error.message }))
      )
    })
  })

/**
 * Runs an effect whose `Console.log` writes to `stream` (the process's stdout), waiting for each
 * write and dying with an {@link OutputError} when one fails; the other methods are unchanged.
 *
 * @since 0.1.0
 * @category combinators
 */
export const writingTo = (stream: Writable) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    // A failed write is reported to its callback; the stream's 'error' event, emitted as well, must not crash.
    stream.on("error", () => {})
    return Console.consoleWith((console) =>
      Console.withConsole(effect, {
        ...console,
        log: (...args: ReadonlyArray<unknown>) => write(stream, args.map(String).join(" "))
      })
    )
  })
