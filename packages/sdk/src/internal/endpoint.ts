/** The endpoint check shared by the client and `TokenExchange`. */
import * as Effect from "effect/Effect"
import { parseEndpoint } from "../ConnectionString.js"
import { InvalidArgumentError } from "../Errors.js"
import { require } from "./validate.js"

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** Checks the endpoint: an http(s) origin, and `http:` only for loopback or with `allowInsecureConnection`. */
export const resolveEndpoint = (options: {
  readonly endpoint: string | URL
  readonly allowInsecureConnection?: boolean | undefined
}): Effect.Effect<URL, InvalidArgumentError> => {
  const endpoint = parseEndpoint(options.endpoint)
  if (endpoint === undefined) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "endpoint",
        message: "the endpoint must be an http(s) URL with a host and no path or query"
      })
    )
  }
  return Effect.as(
    require(
      endpoint.protocol === "https:" || isLoopback(endpoint.hostname) || options.allowInsecureConnection === true,
      "endpoint",
      "http:// is allowed only for loopback hosts or with allowInsecureConnection: true"
    ),
    endpoint
  )
}
