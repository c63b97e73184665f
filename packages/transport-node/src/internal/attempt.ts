/**
 * The SDK's fast path over `node:http`/`node:https`: one attempt (request, head and bounded body)
 * under one timer, reported through a callback with the body in memory. No `HttpClientRequest`,
 * `Headers` or response object is built: the headers come as a plain record and the response's are
 * `IncomingMessage.headers` as they are.
 */
import type * as Http from "node:http"
import { readAll } from "./response.js"
import { type Agents, openRequest, type SendOptions } from "./send.js"

/**
 * One attempt, as the SDK's `AttemptTransport` contract describes it (declared here, structurally,
 * so that this package needs no import of the SDK).
 *
 * @since 0.1.0
 * @category internal
 */
export interface AttemptRequest {
  readonly method: string
  readonly origin: URL
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
  readonly timeoutMillis: number
  readonly maxBodyBytes: number
}

/**
 * How an attempt ended.
 *
 * @since 0.1.0
 * @category internal
 */
export type AttemptResult =
  | {
    readonly _tag: "Response"
    readonly response: {
      readonly status: number
      readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
      readonly body: Uint8Array
    }
  }
  | { readonly _tag: "Timeout" }
  | { readonly _tag: "Failed"; readonly reason: "Encode" | "Network"; readonly cause: unknown }

const timedOut: AttemptResult = { _tag: "Timeout" }

/**
 * Starts one attempt through `agents`; `done` is called once, unless the returned function aborts
 * the attempt first (which destroys the request and its socket).
 *
 * @since 0.1.0
 * @category internal
 */
export const start = (
  agents: Agents,
  options: SendOptions,
  request: AttemptRequest,
  done: (result: AttemptResult) => void
): () => void => {
  let finished = false
  const finish = (result: AttemptResult) => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    done(result)
  }
  let nodeRequest: Http.ClientRequest
  try {
    nodeRequest = openRequest(agents, options, request.origin, request.path, request.method, request.headers)
  } catch (cause) {
    // node:http throws synchronously on a header value with CR, LF, NUL or characters beyond Latin-1.
    done({ _tag: "Failed", reason: "Encode", cause })
    return () => {}
  }
  const timer = setTimeout(() => {
    finish(timedOut)
    nodeRequest.destroy()
  }, request.timeoutMillis)
  nodeRequest.on("error", (cause) => finish({ _tag: "Failed", reason: "Network", cause }))
  nodeRequest.on("response", (incoming) =>
    readAll(
      incoming,
      (body) =>
        finish({
          _tag: "Response",
          response: { status: incoming.statusCode ?? 0, headers: incoming.headers, body }
        }),
      (cause) => finish({ _tag: "Failed", reason: "Network", cause }),
      request.maxBodyBytes + 1
    ))
  nodeRequest.end(request.body)
  return () => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    nodeRequest.destroy()
  }
}
