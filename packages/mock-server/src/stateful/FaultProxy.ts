/**
 * Fault injection for the Prism mock: a small front proxy that forwards every request verbatim to
 * Prism and injects the same faults as the stateful mock (rules from options or `/__control/faults`).
 * "Commit" here means forwarding: a reset before commit never reaches Prism, one after commit does.
 *
 * @module
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as Faults from "./Faults.js"
import * as Reply from "./Reply.js"
import * as Routes from "./Routes.js"

/** Options of the fault proxy. */
export interface FaultProxyOptions {
  /** Where Prism listens. */
  readonly upstream: string
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly faults?: ReadonlyArray<Faults.FaultRule> | undefined
  readonly seed?: string | number | undefined
}

/** A running fault proxy. */
export interface FaultProxy {
  readonly url: string
  readonly faults: Faults.FaultInjector
}

const hopByHop = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"])

const forward = (upstream: string, request: HttpServerRequest.HttpServerRequest, body: Uint8Array) =>
  Effect.tryPromise(async (signal) => {
    const headers = Object.entries(request.headers).filter(([name]) => !hopByHop.has(name))
    const response = await fetch(`${upstream}${request.url}`, {
      method: request.method,
      headers,
      signal,
      ...(body.length > 0 ? { body: new Blob([new Uint8Array(body)]) } : {})
    })
    const replyHeaders: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      if (!hopByHop.has(name) && name !== "content-encoding") replyHeaders[name] = value
    })
    const bytes = new Uint8Array(await response.arrayBuffer())
    return { status: response.status, headers: replyHeaders, ...(bytes.length > 0 ? { body: bytes } : {}) }
  }).pipe(
    Effect.orElseSucceed(() => Reply.error(502, "BadGateway", "The mock behind the fault proxy did not answer."))
  )

/** Starts the fault proxy in front of `upstream` for the lifetime of the scope. */
export const make = (
  options: FaultProxyOptions
): Effect.Effect<FaultProxy, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const faults = yield* Faults.make(options.faults, options.seed)
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const body = new Uint8Array(yield* Effect.orElseSucceed(request.arrayBuffer, () => new ArrayBuffer(0)))
      const { path } = Routes.splitUrl(request.url)
      if (path === "/__control/faults") {
        if (request.method === "DELETE") return Reply.toResponse(yield* Effect.as(faults.clear, Reply.empty(204)))
        const parsed = yield* Effect.either(
          Schema.decodeUnknown(Schema.parseJson(Faults.FaultRules))(new TextDecoder().decode(body))
        )
        if (parsed._tag === "Left") return Reply.toResponse(Reply.error(400, "InvalidFaultRules", parsed.left.message))
        yield* faults.add(parsed.right.rules)
        return Reply.toResponse(Reply.empty(204))
      }
      const route = Routes.match(request.method, path)
      const fault = route === undefined ? yield* Effect.succeedNone : yield* faults.next(route.operation)
      return Reply.toResponse(yield* Faults.apply(fault, request, forward(options.upstream, request, body)))
    })
    const host = options.host ?? "127.0.0.1"
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host })
    yield* server.serve(app)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { url: `http://${host}:${port}`, faults }
  })
