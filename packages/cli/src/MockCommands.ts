/**
 * `acs-identity mock start`: one stateful mock kept for many commands. `--mock` starts an empty mock
 * for each command, so a user created by one is unknown to the next; `mock start` prints the
 * connection string of a mock that serves until interrupted (Ctrl-C), for the other commands to
 * use through `--connection-string` or `AZURE_COMMUNICATION_CONNECTION_STRING`.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CommandTree from "./CommandTree.js"
import * as Connection from "./Connection.js"
import * as EmbeddedMock from "./EmbeddedMock.js"
import * as Flag from "./Flag.js"
import * as Output from "./Output.js"

/**
 * `mock start [--port <port>]`: prints `connectionString` and `endpoint`, then serves on loopback
 * until interrupted; with `--verbose`, logs each request it serves on stderr.
 *
 * @since 0.1.0
 * @category commands
 */
export const start = CommandTree.leaf(
  "start",
  {
    description: "Start a stateful mock on 127.0.0.1, print its connection string, and serve until interrupted " +
      "(Ctrl-C); the other commands share its users and tokens.",
    flags: {
      port: Flag.optional(Flag.whole("port", {
        pseudo: "port",
        min: 0,
        max: 65535,
        description: "The TCP port (default 0: a free one)."
      })),
      output: Output.option,
      query: Output.query,
      verbose: Connection.flags.verbose
    },
    fields: ["connectionString", "endpoint"],
    operations: [],
    examples: [
      {
        summary: "In bash: start a mock in the background (exec, so that MOCK_PID is the mock's own) and point the " +
          "other commands at it:",
        command: "coproc MOCK { exec acs-identity mock start --query connectionString -o tsv; }"
      },
      {
        summary: "",
        command: "read -r AZURE_COMMUNICATION_CONNECTION_STRING <&\"${MOCK[0]}\""
      },
      { summary: "", command: "export AZURE_COMMUNICATION_CONNECTION_STRING" },
      {
        summary: "",
        command: "U=$(acs-identity user create --query id -o tsv)"
      },
      { summary: "", command: "acs-identity token issue --scope chat --user \"$U\"" },
      { summary: "", command: "kill -INT \"$MOCK_PID\"" }
    ]
  },
  (args) =>
    Effect.scoped(Effect.gen(function*() {
      const mock = yield* EmbeddedMock.start(undefined, Option.getOrElse(args.port, () => 0), args.verbose)
      const text = Output.render(args, [
        ["connectionString", Redacted.value(mock.connectionString)],
        ["endpoint", `${mock.url}/`]
      ])
      if (text !== undefined) yield* Console.log(text)
      return yield* Effect.onInterrupt(Effect.never, () => Console.error("mock stopped"))
    }))
)

/**
 * `mock`, with its subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CommandTree.group("mock", {
  description: "A stateful mock of the service that outlives one command (--mock starts one per command).",
  examples: [{ summary: "Serve a mock on port 4010:", command: "acs-identity mock start --port 4010" }]
}, [start])
