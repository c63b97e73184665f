/**
 * `@acs-identity/cli`: the `acs-identity` command on `@effect/cli`, for embedding or testing.
 *
 * @since 0.1.0
 */

/** Shared options and output of the assignment commands. */
export * as Assignment from "./Assignment.js"
/** The command tree and `main`. */
export * as Cli from "./Cli.js"
/** The shared options and the client they describe. */
export * as Connection from "./Connection.js"
/** `entra` assignment commands (preview). */
export * as EntraCommands from "./EntraCommands.js"
/** Exit codes and failure reports. */
export * as ExitCode from "./ExitCode.js"
/** Output formats. */
export * as Output from "./Output.js"
/** `--verbose` request logging. */
export * as RequestLog from "./RequestLog.js"
/** One-line stderr. */
export * as Stderr from "./Stderr.js"
/** `teams-extension` assignment commands. */
export * as TeamsExtensionCommands from "./TeamsExtensionCommands.js"
/** `token` commands. */
export * as TokenCommands from "./TokenCommands.js"
/** The command's own errors. */
export * as UsageError from "./UsageError.js"
/** `user` commands. */
export * as UserCommands from "./UserCommands.js"
