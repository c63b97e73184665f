/**
 * The `acs-identity-mock` command: serves the ACS Identity spec with Prism until SIGINT/SIGTERM.
 *
 * Prints the URL, then the ready line `COMMUNICATION_CONNECTION_STRING=endpoint=…;accesskey=…`
 * (scripts can wait for that line), and exits with code 0, the port freed, on SIGINT or SIGTERM.
 * (`npm run mock` execs node, so npm's forwarded signal reaches this process and not a shell.)
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { parseArgs } from "node:util"
import type { MockServer as MockServerTag, MockServerError } from "./MockServer.js"

/**
 * The port used when `--port` is not given: Prism's usual port, easy to remember.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPort = 4010

const usage = `Usage: acs-identity-mock [--port <n>] [--host <address>] [--dynamic] [--stateful] [--faults] [--no-cors]

Serves spec/communication-identity.yaml with Stoplight Prism (requests and responses are validated;
a request that breaks the spec gets 400 naming the violation, all of them in the sl-violations header).

Options:
  --port <n>         port to listen on (default ${defaultPort}; 0 picks a free port)
  --host <address>   address to bind (default 127.0.0.1)
  --dynamic          generate response bodies from the schemas instead of the named examples
  --stateful         serve the stateful, signature-checking mock instead of Prism
  --faults           Prism: inject faults (the stateful mock always can); set rules with
                     POST /__control/faults, clear with DELETE /__control/faults
  --no-cors          do not answer CORS preflights nor send CORS headers (sent by default, any origin)
  --help             show this text

Prints COMMUNICATION_CONNECTION_STRING=endpoint=<url>/;accesskey=<development key> when ready.
Pick other responses per request with the headers "Prefer: code=404" or "Prefer: example=identityOnly".
Stop with Ctrl+C (SIGINT) or SIGTERM.`

type Command =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Invalid"; readonly message: string }
  | {
    readonly _tag: "Serve"
    readonly port: number
    readonly host: string | undefined
    readonly dynamic: boolean
    readonly stateful: boolean
    readonly faults: boolean
    readonly cors: boolean
  }

/** Reads the command line (without `node` and the script path). */
const parseCommand = (args: ReadonlyArray<string>): Command => {
  try {
    const { values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        dynamic: { type: "boolean", default: false },
        stateful: { type: "boolean", default: false },
        faults: { type: "boolean", default: false },
        "no-cors": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false }
      }
    })
    if (values.help) return { _tag: "Help" }
    const port = values.port === undefined ? defaultPort : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return { _tag: "Invalid", message: `--port must be an integer from 0 to 65535, got ${values.port}` }
    }
    return {
      _tag: "Serve",
      port,
      host: values.host,
      dynamic: values.dynamic,
      stateful: values.stateful,
      faults: values.faults,
      cors: !values["no-cors"]
    }
  } catch (error) {
    return { _tag: "Invalid", message: error instanceof Error ? error.message : String(error) }
  }
}

/** Serves until interrupted. The mock modules (Prism is slow to load) are imported only here. */
const serve = (command: Extract<Command, { _tag: "Serve" }>) =>
  Effect.flatMap(Effect.promise(() => import("./MockServer.js")), ({ MockServer }) => serveWith(MockServer, command))

/** Why the server did not start, in words (a listen failure's own message is empty). */
const startFailure = (error: MockServerError): string =>
  error._tag === "ServeError"
    ? `could not listen: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`
    : error.message

const serveWith = (MockServer: typeof MockServerTag, command: Extract<Command, { _tag: "Serve" }>) =>
  Effect.gen(function*() {
    const server = yield* MockServer
    const kind = command.stateful ? "stateful" : `Prism${command.dynamic ? ", dynamic" : ""}`
    yield* Console.log(`ACS Identity mock (${kind}) listening on ${server.url}`)
    yield* Console.log(`COMMUNICATION_CONNECTION_STRING=${Redacted.value(server.connectionString)}`)
    return yield* Effect.never
  }).pipe(
    Effect.provide(
      command.stateful
        ? MockServer.layerStateful({ port: command.port, host: command.host, cors: command.cors })
        : MockServer.layerPrism({
          port: command.port,
          host: command.host,
          dynamic: command.dynamic,
          cors: command.cors,
          ...(command.faults ? { faults: [] } : {})
        })
    ),
    Effect.tapError((error) => Console.error(`acs-identity-mock: ${startFailure(error)}`))
  )

const main = (args: ReadonlyArray<string>) =>
  Effect.suspend(() => {
    const command = parseCommand(args)
    switch (command._tag) {
      case "Help":
        return Console.log(usage)
      case "Invalid":
        return Console.error(`acs-identity-mock: ${command.message}\n\n${usage}`).pipe(
          Effect.zipRight(Effect.sync(() => {
            process.exitCode = 2
          }))
        )
      case "Serve":
        return serve(command)
    }
  })

NodeRuntime.runMain(main(process.argv.slice(2)), { disableErrorReporting: true })
