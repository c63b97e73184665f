/**
 * A client's settings, checked once when it is built (by the client and by `TokenExchange`): the
 * options object is read once, then its endpoint, api-version, request policy and `User-Agent`
 * prefix are checked in that order, so a bad one is an `InvalidArgumentError` before any request.
 */
import * as Either from "effect/Either"
import { ApiVersion, defaultApiVersion } from "../ApiVersion.js"
import { parseEndpoint } from "../ConnectionString.js"
import { InvalidArgumentError } from "../Errors.js"
import { resolveRequestPolicy } from "../RequestPolicy.js"
import { userAgent } from "../Version.js"
import type { Target } from "./pipeline.js"
import { readOptions } from "./validate.js"

const fields = ["endpoint", "apiVersion", "allowInsecureConnection", "policy", "userAgentPrefix"] as const

/** The target of a client's options; `endpoint`, when given, is the one a connection string named. */
export const resolveTarget = (options: unknown, endpoint?: URL): Either.Either<Target, InvalidArgumentError> =>
  Either.flatMap(readOptions(options, "options", fields), (read) =>
    Either.map(
      Either.all([
        resolveEndpoint(endpoint ?? read.endpoint, read.allowInsecureConnection),
        resolveApiVersion(read.apiVersion),
        resolveRequestPolicy(read.policy),
        resolveUserAgent(read.userAgentPrefix)
      ]),
      ([endpoint, apiVersion, policy, userAgent]) => ({ endpoint, apiVersion, policy, userAgent })
    ))

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** An http(s) origin, and `http:` only for loopback or with `allowInsecureConnection`. */
const resolveEndpoint = (
  value: unknown,
  allowInsecureConnection: unknown
): Either.Either<URL, InvalidArgumentError> => {
  const endpoint = typeof value === "string" || value instanceof URL ? parseEndpoint(value) : undefined
  if (endpoint === undefined) {
    return invalid("endpoint", "the endpoint must be an http(s) URL with a host and no path or query")
  }
  return endpoint.protocol === "https:" || isLoopback(endpoint.hostname) || allowInsecureConnection === true
    ? Either.right(endpoint)
    : invalid("endpoint", "http:// is allowed only for loopback hosts or with allowInsecureConnection: true")
}

/** The default api-version, or one this SDK speaks (checked, as callers may not use TypeScript). */
const resolveApiVersion = (value: unknown): Either.Either<ApiVersion, InvalidArgumentError> =>
  value === undefined
    ? Either.right(defaultApiVersion)
    : (ApiVersion.literals as ReadonlyArray<unknown>).includes(value)
    ? Either.right(value as ApiVersion)
    : invalid("apiVersion", `apiVersion must be one of ${ApiVersion.literals.join(", ")}`)

/**
 * The `User-Agent` for an application's prefix (its own id, as Azure support asks for it): printable
 * ASCII, at most 256 characters, before the SDK's product token.
 */
const resolveUserAgent = (prefix: unknown): Either.Either<string, InvalidArgumentError> =>
  prefix === undefined
    ? Either.right(userAgent)
    : typeof prefix === "string" && /^[\x21-\x7e][\x20-\x7e]{0,255}$/.test(prefix) && !prefix.endsWith(" ")
    ? Either.right(`${prefix} ${userAgent}`)
    : invalid(
      "userAgentPrefix",
      "userAgentPrefix must be 1 to 256 printable ASCII characters, not starting or ending with a space"
    )

const invalid = (argument: string, message: string) => Either.left(new InvalidArgumentError({ argument, message }))
