/** The endpoint check shared by the client and `TokenExchange`. */
import * as Either from "effect/Either"
import { parseEndpoint } from "../ConnectionString.js"
import { InvalidArgumentError } from "../Errors.js"

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** Checks the endpoint: an http(s) origin, and `http:` only for loopback or with `allowInsecureConnection`. */
export const resolveEndpoint = (options: {
  readonly endpoint: string | URL
  readonly allowInsecureConnection?: boolean | undefined
}): Either.Either<URL, InvalidArgumentError> => {
  const endpoint = parseEndpoint(options.endpoint)
  if (endpoint === undefined) {
    return invalid("the endpoint must be an http(s) URL with a host and no path or query")
  }
  return endpoint.protocol === "https:" || isLoopback(endpoint.hostname) || options.allowInsecureConnection === true
    ? Either.right(endpoint)
    : invalid("http:// is allowed only for loopback hosts or with allowInsecureConnection: true")
}

const invalid = (message: string) => Either.left(new InvalidArgumentError({ argument: "endpoint", message }))
