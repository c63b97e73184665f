/**
 * The exit code of each kind of failure, and the one line printed on stderr for it.
 *
 * | code | kind | when |
 * | ---: | --- | --- |
 * | 0 | success | |
 * | 1 | internal | a bug, `--mock` could not start, or the output could not be written |
 * | 2 | usage | bad or missing arguments or credentials; nothing was sent |
 * | 3 | authentication | 401, or the credential could not sign |
 * | 4 | authorization | 403 |
 * | 5 | not found | 404, whatever the command |
 * | 6 | bad request | the service rejected the request (400) |
 * | 7 | throttled | 429, still after the retries |
 * | 8 | service | any other status (5xx, 409, …) |
 * | 9 | network | connection refused or reset, DNS, timeout |
 * | 10 | unexpected response | a success whose body is not what the service documents |
 * | 130 | interrupted | Ctrl-C or SIGTERM; stderr says whether the request had been sent |
 *
 * @since 0.1.0
 */
import type { InvalidArgumentError, NotFoundError, RequestError, ServiceError, ThrottledError } from "@acs-identity/sdk"
import * as Duration from "effect/Duration"
import { oneLine } from "./Stderr.js"
import type { OutputError } from "./Stdout.js"
import type { MockStartError, UsageError } from "./UsageError.js"

/**
 * The documented exit codes.
 *
 * @since 0.1.0
 * @category models
 */
export const ExitCode = {
  success: 0,
  internal: 1,
  usage: 2,
  authentication: 3,
  authorization: 4,
  notFound: 5,
  badRequest: 6,
  throttled: 7,
  service: 8,
  network: 9,
  unexpectedResponse: 10,
  interrupted: 130
} as const

/**
 * One of the values of {@link ExitCode}.
 *
 * @since 0.1.0
 * @category models
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/**
 * Every failure a command can end in.
 *
 * @since 0.1.0
 * @category models
 */
export type CommandFailure =
  | UsageError
  | MockStartError
  | OutputError
  | InvalidArgumentError
  | NotFoundError
  | RequestError

/**
 * What the user sees of a failure: the exit code and the line for stderr (`acs-identity: ` is added by `Stderr`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly code: ExitCode
  readonly line: string
}

/** The SDK's argument names, as the command line spells them. */
const flags: Readonly<Record<string, string>> = {
  user: "user id",
  scopes: "--scope",
  expiresInMinutes: "--expires-in",
  customId: "--custom-id",
  getUser: "user show",
  teamsUserAadToken: "--aad-token",
  clientId: "--client",
  userObjectId: "--aad-user",
  tenantId: "--tenant",
  objectId: "--object",
  principalType: "--principal-type",
  clientIds: "--client",
  changes: "--changes",
  entraToken: "--aad-token",
  apiVersion: "--api-version",
  endpoint: "endpoint",
  accessKey: "access key"
}

const requestId = (id: string | undefined) => (id === undefined ? "" : ` [request id ${id}]`)

/**
 * What the network said (`connect ECONNREFUSED …`, `the proxy refused the tunnel (407, …)`): the
 * cause's message, which the SDK has already stripped of the request's secrets.
 */
const why = (cause: unknown) => (cause instanceof Error && cause.message !== "" ? `: ${oneLine(cause.message)}` : "")

const fromService = (
  kind: string,
  error: {
    readonly status: number
    readonly code: string
    readonly message: string
    readonly requestId?: string | undefined
  }
) => `${kind} (${error.status} ${oneLine(error.code)}): ${oneLine(error.message)}${requestId(error.requestId)}`

const retryAfter = (error: ThrottledError | ServiceError) =>
  error.retryAfter === undefined ? "" : ` (retry after ${Duration.format(error.retryAfter)})`

/**
 * The exit code and the stderr line of a failure. The line never holds a secret: the SDK's errors
 * carry none, and the command's own errors name options, not values.
 *
 * @since 0.1.0
 * @category rendering
 */
export const report = (failure: CommandFailure): Report => {
  switch (failure._tag) {
    case "UsageError":
      return { code: ExitCode.usage, line: oneLine(failure.message) }
    case "MockStartError":
      return { code: ExitCode.internal, line: `the embedded mock could not start: ${oneLine(failure.message)}` }
    case "OutputError":
      return { code: ExitCode.internal, line: `cannot write the output: ${oneLine(failure.message)}` }
    case "InvalidArgumentError":
      return {
        code: ExitCode.usage,
        line: `invalid ${flags[failure.argument] ?? failure.argument}: ${
          oneLine(failure.message).replace(/^invalid [^:]+: /, "")
        }`
      }
    case "CredentialError":
      return { code: ExitCode.authentication, line: `credential failed: ${oneLine(failure.message)}` }
    case "AuthenticationError":
      return { code: ExitCode.authentication, line: fromService("authentication failed", failure) }
    case "AuthorizationError":
      return { code: ExitCode.authorization, line: fromService("not authorized", failure) }
    case "NotFoundError":
      return { code: ExitCode.notFound, line: fromService("not found", failure) }
    case "BadRequestError":
      return {
        code: ExitCode.badRequest,
        line: fromService("rejected by the service", failure) +
          (failure.target === undefined ? "" : ` (target ${oneLine(failure.target)})`)
      }
    case "ThrottledError":
      return { code: ExitCode.throttled, line: fromService("throttled", failure) + retryAfter(failure) }
    case "ServiceError":
      // A 404 where the SDK expects none (a wrong endpoint or path) is still "not found".
      return failure.status === 404
        ? { code: ExitCode.notFound, line: fromService("not found", failure) }
        : { code: ExitCode.service, line: fromService("service error", failure) + retryAfter(failure) }
    case "TransportError":
      return {
        code: ExitCode.network,
        line: `network error (${failure.reason}): ${oneLine(failure.message)}${why(failure.cause)}${
          requestId(failure.requestId)
        }`
      }
    case "UnexpectedResponseError":
      return {
        code: ExitCode.unexpectedResponse,
        line: `unexpected response (${failure.status}): ${oneLine(failure.message)}${requestId(failure.requestId)}`
      }
  }
}
