/**
 * The `acs-identity` command tree and its entry point: the command line is checked by `Argv`
 * (usage errors, `--help`, `--version`, `--completions`), then parsed and run by `@effect/cli`;
 * every failure becomes one line on stderr and its documented exit code.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Argv from "./Argv.js"
import * as CommandTree from "./CommandTree.js"
import * as Completions from "./Completions.js"
import * as Connection from "./Connection.js"
import * as EntraCommands from "./EntraCommands.js"
import { ExitCode, report } from "./ExitCode.js"
import * as Help from "./Help.js"
import * as MockCommands from "./MockCommands.js"
import * as Stderr from "./Stderr.js"
import * as Stdout from "./Stdout.js"
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
 * The root command, `acs-identity`, with its `user`, `token`, `teams-extension`, `entra` and
 * `mock` subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const definition = CommandTree.group("acs-identity", {
  description:
    "Azure Communication Services Identity from the command line: users, access tokens, token exchanges and assignments.",
  examples: [
    {
      summary: "A user and a chat token, with no resource (an embedded mock):",
      command: "acs-identity token issue --scope chat --mock"
    },
    {
      summary: "Against your resource:",
      command: "AZURE_COMMUNICATION_CONNECTION_STRING='endpoint=https://…;accesskey=…' acs-identity user create"
    }
  ]
}, [
  UserCommands.command,
  TokenCommands.command,
  TeamsExtensionCommands.command,
  EntraCommands.command,
  MockCommands.command
])

/**
 * The root of the command tree as `Argv` and `Help` see it.
 *
 * @since 0.1.0
 * @category commands
 */
export const tree = definition.node as CommandTree.Group

const cli = Command.run(definition.command, { name: "acs-identity", version })

/**
 * How the process's terminal is: whether help may be styled (see `Help.colour`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Terminal {
  readonly colour: boolean
}

/**
 * Runs the command line `argv` (as `process.argv`: the runtime and the script first) and returns
 * the exit code. Failures and log records are printed as one line each on stderr; an output the
 * reader stopped reading (`EPIPE`, see `Stdout`) ends the command quietly with exit 0.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (
  argv: ReadonlyArray<string>,
  terminal: Terminal = { colour: false }
): Effect.Effect<ExitCode, never, CliApp.CliApp.Environment> =>
  Argv.interpret(tree, Connection.globals, argv.slice(2)).pipe(
    Effect.flatMap((interpretation) => {
      switch (interpretation._tag) {
        case "Version":
          return Effect.as(Console.log(version), ExitCode.success)
        case "Completions":
          return Effect.as(Console.log(Completions.script(interpretation.shell, tree)), ExitCode.success)
        case "Help":
          return Effect.as(
            Console.log(Help.render(interpretation.path, interpretation.node, Connection.globals, terminal.colour)),
            ExitCode.success
          )
        case "Run":
          return Effect.as(cli([...argv.slice(0, 2), ...interpretation.args]), ExitCode.success)
      }
    }),
    Effect.catchAll((failure) => {
      // What Argv lets through, @effect/cli parses; what it still refuses (an unreadable --changes file) it has printed.
      if (ValidationError.isValidationError(failure)) return Effect.succeed(ExitCode.usage)
      const { code, line } = report(failure)
      return Effect.as(Console.error(line), code)
    }),
    Effect.catchAllDefect((defect) => {
      if (defect instanceof Stdout.OutputError) {
        if (Stdout.readerGone(defect)) return Effect.succeed(ExitCode.success)
        const { code, line } = report(defect)
        return Effect.as(Console.error(line), code)
      }
      return Effect.as(
        Console.error(`internal error: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`),
        ExitCode.internal
      )
    }),
    Stderr.withOneLineErrors,
    Stderr.withLogs
  )
