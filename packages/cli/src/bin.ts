/**
 * The `acs-identity` executable: runs {@link Cli.main} on `process.argv`, its output written to
 * stdout through `Stdout`, and exits with its code;
 * interrupted (Ctrl-C, SIGTERM), it exits 130, as shells expect, after the command has said on
 * stderr whether its request had been sent.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"
import { ExitCode } from "./ExitCode.js"
import * as Help from "./Help.js"
import * as Stdout from "./Stdout.js"

Cli.main(process.argv, { colour: Help.colour(process.env, process.stdout.isTTY === true) }).pipe(
  Stdout.writingTo(process.stdout),
  Effect.flatMap((code) =>
    Effect.sync(() => {
      process.exitCode = code
    })
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit)
          ? ExitCode.success
          : Cause.isInterruptedOnly(exit.cause)
          ? ExitCode.interrupted
          : ExitCode.internal
      )
  })
)
