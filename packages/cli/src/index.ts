/**
 * `@acs-identity/cli`: the `acs-identity` command on `@effect/cli`, for embedding or testing.
 *
 * @since 0.1.0
 */

/**
 * Shared options and output of the assignment commands.
 *
 * @since 0.1.0
 */
export * as Assignment from "./Assignment.js"

/**
 * The command tree and `main`, its entry point.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * The shared options and the client they describe.
 *
 * @since 0.1.0
 */
export * as Connection from "./Connection.js"

/**
 * `entra` assignment commands (preview).
 *
 * @since 0.1.0
 */
export * as EntraCommands from "./EntraCommands.js"

/**
 * Exit codes and failure reports.
 *
 * @since 0.1.0
 */
export * as ExitCode from "./ExitCode.js"

/**
 * The `--output` formats and how results are printed in them.
 *
 * @since 0.1.0
 */
export * as Output from "./Output.js"

/**
 * `--verbose` request logging.
 *
 * @since 0.1.0
 */
export * as RequestLog from "./RequestLog.js"

/**
 * Every message on stderr as one line, `acs-identity: <text>`.
 *
 * @since 0.1.0
 */
export * as Stderr from "./Stderr.js"

/**
 * Stdout: the command's output alone, each write awaited; a failed write ends the command.
 *
 * @since 0.1.0
 */
export * as Stdout from "./Stdout.js"

/**
 * `teams-extension` assignment commands.
 *
 * @since 0.1.0
 */
export * as TeamsExtensionCommands from "./TeamsExtensionCommands.js"

/**
 * `token` commands.
 *
 * @since 0.1.0
 */
export * as TokenCommands from "./TokenCommands.js"

/**
 * The command's own errors.
 *
 * @since 0.1.0
 */
export * as UsageError from "./UsageError.js"

/**
 * `user` commands.
 *
 * @since 0.1.0
 */
export * as UserCommands from "./UserCommands.js"
