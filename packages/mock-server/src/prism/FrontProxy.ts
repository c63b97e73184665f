/**
 * The front proxy of the Prism mock. It forwards every request verbatim to Prism and injects the
 * same faults as the stateful mock (rules from options or `/__control/faults`). "Commit" here means
 * forwarding: a reset before commit never reaches Prism, one after commit does. Prism's answer to a
 * request that breaks the spec is made to name the violation (see `ViolationReply`), and
 * a preview part used under a version without it is refused as the stateful mock refuses it
 * (`Wire.versionRefusal`): the spec accepts every part on every version.
 * Request bodies are bounded (413 above 1 MiB) and `/__control/faults` is guarded (`ControlGuard`).
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import { baseUrl } from "../shared/baseUrl.js"
import * as ControlGuard from "../shared/ControlGuard.js"
import * as Cors from "../shared/Cors.js"
import * as Faults from "../shared/Faults.js"
import * as Reply from "../shared/Reply.js"
import * as RequestBody from "../shared/RequestBody.js"
import * as Routes from "../shared/Routes.js"
import * as Wire from "../shared/Wire.js"
import * as ViolationReply from "./ViolationReply.js"

/**
 * Options of the fault proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface FrontProxyOptions {
  /** Where Prism listens. */
  readonly upstream: string
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** Fault rules active from the start. */
  readonly faults?: ReadonlyArray<Faults.FaultRule> | undefined
  /** Seed of probabilistic faults. */
  readonly seed?: string | number | undefined
  /** Answer CORS preflights itself (see `Cors`); default `true`. Prism's answers pass through. */
  readonly cors?: boolean | undefined
  /** The largest request body forwarded; larger ones get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** Serve `/__control/faults` (default `true`); without it, that path goes to Prism like any other. */
  readonly control?: boolean | undefined
}

/**
 * A running fault proxy.
 *
 * @since 0.1.0
 * @category models
 */
export interface FrontProxy {
  /** Base URL without a trailing slash. */
  readonly url: string
  /** The active fault rules. */
  readonly faults: Faults.FaultInjector
}

/**
 * Headers that belong to one connection (RFC 9110 section 7.6.1), plus `host` and `content-length`,
 * which the forwarding request sets itself, and `expect`: Node has already answered
 * `Expect: 100-continue` on the client's connection, and forwarding it makes `fetch` refuse the request.
 */
const hopByHop = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "te",
  "trailer",
  "upgrade",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "expect"
])

/**
 * What a create asks Prism for. Prism cannot tell a plain create from one with scopes, and the
 * service never returns a token for a plain create: unless the caller chose an example (or a status
 * or dynamic bodies) itself, a create with scopes is served the spec's example with a token, and any
 * `accessToken` is dropped from the reply to a plain create (the spec's first example has none;
 * dynamic bodies may invent one).
 */
const createShaping = (request: HttpServerRequest.HttpServerRequest, sent: Record<string, unknown> | undefined) => {
  const prefer = request.headers.prefer ?? ""
  if (/example=|dynamic=|code=(?!201)/.test(prefer) || sent === undefined) return undefined
  const scopes = sent.createTokenWithScopes
  const withToken = Array.isArray(scopes) && scopes.length > 0
  const example = withToken ? (sent.customId == null ? "identityWithAccessToken" : "identityWithCustomId") : undefined
  return {
    prefer: example === undefined ? undefined : [prefer, `example=${example}`].filter((p) => p.length > 0).join(", "),
    dropToken: !withToken
  }
}

const withoutAccessToken = (bytes: Uint8Array): Uint8Array => {
  const parsed = Wire.parseObject(bytes)
  if (Wire.isReply(parsed) || !("accessToken" in parsed)) return bytes
  const { accessToken: _dropped, ...rest } = parsed
  return new TextEncoder().encode(JSON.stringify(rest))
}

const forward = (
  upstream: string,
  request: HttpServerRequest.HttpServerRequest,
  body: Uint8Array,
  isCreate: boolean
) =>
  Effect.tryPromise(async (signal) => {
    const parsedBody = Wire.parseObject(body)
    const sent = Wire.isReply(parsedBody) ? undefined : parsedBody
    const shaping = isCreate ? createShaping(request, sent) : undefined
    // So are the headers the `Connection` header names.
    const named = new Set((request.headers.connection ?? "").split(",").map((name) => name.trim().toLowerCase()))
    const headers = Object.entries(request.headers).filter(([name]) =>
      !hopByHop.has(name) && !named.has(name) && !(name === "prefer" && shaping?.prefer !== undefined)
    )
    if (shaping?.prefer !== undefined) headers.push(["prefer", shaping.prefer])
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
    const received = new Uint8Array(await response.arrayBuffer())
    const bytes = shaping?.dropToken === true && response.status === 201 ? withoutAccessToken(received) : received
    return ViolationReply.forInvalidRequest(response.status, replyHeaders["sl-violations"], replyHeaders, sent) ??
      { status: response.status, headers: replyHeaders, ...(bytes.length > 0 ? { body: bytes } : {}) }
  }).pipe(
    Effect.orElseSucceed(() => Reply.error(502, "BadGateway", "The mock behind the fault proxy did not answer."))
  )

/**
 * Starts the fault proxy in front of `upstream` for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: FrontProxyOptions
): Effect.Effect<FrontProxy, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const faults = yield* Faults.make(options.faults, options.seed)
    const maxBodyBytes = options.maxBodyBytes ?? RequestBody.defaultMaxBytes
    const controlFaults = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function*() {
        const refused = ControlGuard.check(request)
        if (Option.isSome(refused)) return refused.value
        if (request.method === "DELETE") return yield* Effect.as(faults.clear, Reply.empty(204))
        const body = yield* RequestBody.read(request, maxBodyBytes)
        const parsed = yield* Effect.either(
          Schema.decodeUnknown(Schema.parseJson(Faults.FaultRules))(new TextDecoder().decode(body))
        )
        if (Either.isLeft(parsed)) return Reply.error(400, "InvalidFaultRules", parsed.left.message)
        yield* faults.add(parsed.right.rules)
        return Reply.empty(204)
      })
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const { path, query } = Routes.splitUrl(request.url)
      if (options.control !== false && path === `${ControlGuard.prefix}faults`) return controlFaults(request)
      if (options.cors !== false && Cors.isPreflight(request)) return Effect.succeed(Cors.preflight)
      const route = Routes.match(request.method, path)
      const fault = route === undefined ? yield* Effect.succeedNone : yield* faults.next(route.operation)
      const forwarded = Effect.flatMap(RequestBody.read(request, maxBodyBytes), (body) => {
        // After Prism's own credential check, as the stateful mock refuses only authenticated requests so.
        const refusal = route === undefined || request.headers.authorization === undefined
          ? undefined
          : Wire.versionRefusal(route.operation, query, body)
        return Faults.apply(
          fault,
          request,
          refusal === undefined
            ? forward(options.upstream, request, body, route?.operation === "createIdentity")
            : Effect.succeed(refusal)
        )
      })
      return Effect.map(forwarded, (reply) => options.cors === false ? reply : Cors.withHeaders(reply))
    }).pipe(
      Effect.flatten,
      Effect.catchTag("BodyTooLarge", (e) => Effect.succeed(RequestBody.tooLarge(e.limit))),
      Effect.map(Reply.toResponse)
    )
    const host = options.host ?? "127.0.0.1"
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host })
    // A mock is not part of the application's traces: no server span per request.
    yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { url: baseUrl(host, port), faults }
  })
