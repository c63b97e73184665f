/**
 * The `acs-identity` command tree and its entry point: parsing (with `--help`, `--version` and
 * `--completions` from `@effect/cli`), running, and turning every failure into one line on stderr
 * and its documented exit code.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as EntraCommands from "./EntraCommands.js"
import { ExitCode, report } from "./ExitCode.js"
import * as Stderr from "./Stderr.js"
import * as TeamsExtensionCommands from "./TeamsExtensionCommands.js"
import * as TokenCommands from "./TokenCommands.js"
import * as UserCommands from "./UserCommands.js"

/**
 * The version `--version` prints; a test keeps it equal to package.json.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * The root command.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("acs-identity").pipe(
  Command.withDescription(
    "Azure Communication Services Identity from the command line: users, access tokens, token exchanges and assignments."
  ),
  Command.withSubcommands([
    UserCommands.command,
    TokenCommands.command,
    TeamsExtensionCommands.command,
    EntraCommands.command
  ])
)

const cli = Command.run(command, { name: "acs-identity", version })

/**
 * Runs the command line `argv` (as `process.argv`: the runtime and the script first) and returns
 * the exit code. Failures are printed as one line on stderr; `@effect/cli` prints its own argument
 * errors.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, never, CliApp.CliApp.Environment> =>
  cli(argv).pipe(
    Effect.as(ExitCode.success),
    Effect.catchAll((failure) => {
      if (ValidationError.isValidationError(failure)) return Effect.succeed(ExitCode.usage)
      const { code, line } = report(failure)
      return Effect.as(Console.error(line), code)
    }),
    Effect.catchAllDefect((defect) =>
      Effect.as(
        Console.error(`internal error: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`),
        ExitCode.internal
      )
    ),
    Stderr.withOneLineErrors
  )
