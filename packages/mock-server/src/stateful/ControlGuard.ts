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
 * Whether a `Host` header names the loopback interface: `localhost`, `127.x.x.x` or `[::1]`, with
 * or without a port.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isLoopbackHost = (host: string | undefined): boolean => {
  if (host === undefined) return false
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "")
  return name.toLowerCase() === "localhost" || name === "[::1]" || /^127(\.\d{1,3}){3}$/.test(name)
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
 * @category guards
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
