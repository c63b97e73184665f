/**
 * The guard in front of the `/__control/` endpoints (state, fault rules, Teams tokens): they answer
 * only requests whose `Host` is a loopback name (so a web page cannot reach them through DNS
 * rebinding) and, for requests with a body, only JSON (so a plain HTML form cannot post to them).
 * They send no CORS headers, so other origins cannot call them from a browser.
 *
 * @since 0.1.0
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Option from "effect/Option"
import * as Reply from "./Reply.js"

/**
 * The path prefix of the control endpoints.
 *
 * @since 0.1.0
 * @category constants
 */
export const prefix = "/__control/"

/**
 * A `Host` header value split into its name and port (RFC 9110 `uri-host [ ":" port ]`): a
 * bracketed IPv6 literal, or a name or IPv4 address without `:`, `[`, `]`, `@`, `/`, a backslash or
 * white space.
 * `None` for anything else (`[::1]evil.example`, userinfo, two colons, an empty name, a port that
 * is not 1 to 5 digits).
 *
 * @since 0.1.0
 * @category utils
 */
export const parseHost = (
  host: string
): Option.Option<{ readonly name: string; readonly port: number | undefined }> => {
  const parsed = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]@/\\\s]+)(?::(\d{1,5}))?$/.exec(host)
  if (parsed === null) return Option.none()
  const port = parsed[2] === undefined ? undefined : Number(parsed[2])
  return port !== undefined && port > 65535 ? Option.none() : Option.some({ name: parsed[1]!.toLowerCase(), port })
}

const ipv4Loopback = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/

/**
 * Whether a `Host` header names the loopback interface: `localhost`, `127.x.x.x` or `[::1]`, with
 * or without a port. The whole value is parsed ({@link parseHost}); anything after the name but a
 * port refuses it.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLoopbackHost = (host: string | undefined): boolean => {
  if (host === undefined) return false
  return Option.match(parseHost(host), {
    onNone: () => false,
    onSome: ({ name }) => name === "localhost" || name === "[::1]" || ipv4Loopback.test(name)
  })
}

/**
 * Whether a content type is JSON (`application/json`, with or without parameters).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isJson = (contentType: string | undefined): boolean =>
  contentType !== undefined && contentType.split(";")[0]!.trim().toLowerCase() === "application/json"

/**
 * The refusal for a control request that breaks a rule, or `None` when it may proceed.
 *
 * @since 0.1.0
 * @category utils
 */
export const check = (request: HttpServerRequest.HttpServerRequest): Option.Option<Reply.Reply> => {
  if (!isLoopbackHost(request.headers["host"])) {
    return Option.some(
      Reply.error(403, "Forbidden", "The control endpoints answer only requests to a loopback host.")
    )
  }
  if (request.method === "POST" && !isJson(request.headers["content-type"])) {
    return Option.some(
      Reply.error(415, "UnsupportedMediaType", "The control endpoints accept only application/json bodies.")
    )
  }
  return Option.none()
}
