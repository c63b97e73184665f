/**
 * The stateful mock: a real HTTP server (`@effect/platform` on Node) serving the spec's routes over
 * the shared `IdentityStore`. It verifies every request's HMAC signature on the request exactly as
 * received (5-minute clock-skew window; the signature headers before the body is read, then the
 * body's hash), bounds request bodies (413 above 1 MiB), accepts configured bearer tokens, honours
 * `Repeatability-Request-ID` on create, injects faults, and exposes its state for assertions, both
 * as an Effect service and under `/__control/` (`GET state`, `POST`/`DELETE faults`, `POST teamsTokens`).
 *
 * @since 0.1.0
 */
import type { InvalidArgumentError } from "@acs-identity/sdk"
import { IdentityStore, InMemoryIdentity, Operations, SignatureVerifier } from "@acs-identity/sdk/testing"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as DevelopmentCredentials from "../DevelopmentCredentials.js"
import { baseUrl } from "../shared/baseUrl.js"
import * as ControlGuard from "../shared/ControlGuard.js"
import * as Cors from "../shared/Cors.js"
import * as Faults from "../shared/Faults.js"
import * as Reply from "../shared/Reply.js"
import * as RequestBody from "../shared/RequestBody.js"
import * as Routes from "../shared/Routes.js"
import * as Authentication from "./Authentication.js"
import * as ControlPlane from "./ControlPlane.js"
import * as Handlers from "./Handlers.js"
import * as Repeatability from "./Repeatability.js"

/**
 * Options of the stateful mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface StatefulServerOptions extends IdentityStore.StoreOptions, Authentication.AuthenticationOptions {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** The access key requests must be signed with; defaults to the development key. */
  readonly accessKey?: Redacted.Redacted<string> | undefined
  /** Allowed difference between `x-ms-date` and the server clock; defaults to 5 minutes. */
  readonly clockSkew?: Duration.DurationInput | undefined
  /** Fault rules active from the start. Probabilistic rules draw from `seed`. */
  readonly faults?: ReadonlyArray<Faults.FaultRule> | undefined
  /** Entra assignments per page of the list (default 5, so clients under test follow `nextLink`). */
  readonly pageSize?: number | undefined
  /** Answer CORS preflights and send CORS headers (see `Cors`); default `true`. */
  readonly cors?: boolean | undefined
  /** The largest request body accepted; larger ones get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** How long, and how many, repeatable creates are remembered (see `Repeatability`); 5 minutes, 10,000. */
  readonly repeatability?: Repeatability.RepeatabilityOptions | undefined
}

/**
 * A running stateful mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface StatefulServer {
  /** Base URL without a trailing slash. */
  readonly url: string
  /** `endpoint=<url>/;accesskey=<key>`. */
  readonly connectionString: Redacted.Redacted<string>
  /** The identity state, shared with every request. */
  readonly store: IdentityStore.IdentityStore
  /** The active fault rules. */
  readonly faults: Faults.FaultInjector
}

/**
 * Why the stateful mock could not start: the port, or an access key that is not base64.
 *
 * @since 0.1.0
 * @category errors
 */
export type StatefulServerError = HttpServerError.ServeError | InvalidArgumentError

/**
 * The stateful mock as a service.
 *
 * @since 0.1.0
 * @category services
 */
export class StatefulMockServer
  extends Context.Tag("@acs-identity/mock-server/StatefulMockServer")<StatefulMockServer, StatefulServer>()
{
  /**
   * Starts the server for the lifetime of the layer.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layer = (
    options?: StatefulServerOptions
  ): Layer.Layer<StatefulMockServer, StatefulServerError> => Layer.scoped(StatefulMockServer, make(options))
}

const supportedVersionsHeader = Routes.supportedApiVersions.join(", ")

/** Builds the request handler over a store, a fault injector and a signature verifier. */
const makeApp = (
  options: StatefulServerOptions,
  store: IdentityStore.IdentityStore,
  faults: Faults.FaultInjector,
  verifier: SignatureVerifier.Verifier
) =>
  Effect.gen(function*() {
    const repeatability = yield* Repeatability.make(options.repeatability)
    const authenticator = Authentication.make(options, verifier)
    const control = ControlPlane.make(store, faults)
    const operate = Handlers.make(store, options.pageSize ?? InMemoryIdentity.defaultPageSize)
    const maxBodyBytes = options.maxBodyBytes ?? RequestBody.defaultMaxBytes
    const readBody = (request: HttpServerRequest.HttpServerRequest) => RequestBody.read(request, maxBodyBytes)

    const serve = (
      request: HttpServerRequest.HttpServerRequest
    ): Effect.Effect<Reply.Reply, RequestBody.BodyTooLarge> =>
      Effect.gen(function*() {
        const { path, query } = Routes.splitUrl(request.url)
        if (path.startsWith(ControlGuard.prefix)) {
          const refusedControl = ControlGuard.check(request)
          if (Option.isSome(refusedControl)) return refusedControl.value
          return yield* control(request.method, path, yield* readBody(request))
        }
        const route = Routes.match(request.method, path)
        if (route === undefined) return Reply.error(404, "NotFound", "The requested resource was not found.")
        yield* store.recordRequest(route.operation)
        const definition = Operations.operations[route.operation]
        const head = { method: request.method, pathAndQuery: request.url, headers: request.headers }
        const refused = yield* authenticator.head(head, definition.authentication)
        if (Option.isSome(refused)) return refused.value
        const body = yield* readBody(request)
        const mismatched = yield* authenticator.body(head, definition.authentication, body)
        if (Option.isSome(mismatched)) return mismatched.value
        const apiVersion = Routes.apiVersion(query, route.operation)
        if (typeof apiVersion !== "string") return apiVersion
        const bearer = authenticator.userToken(head, definition.authentication)
        const commit = operate({ route, apiVersion, body, query, bearer })
        const once = definition.repeatable ? repeatability.run(request.headers, commit) : commit
        return yield* Faults.apply(yield* faults.next(route.operation), request, once)
      })

    const cors = options.cors ?? true
    /** An `MS-CV` correlation vector, the service's request id: 22 base64 characters and `.0`. */
    const correlationVector = (): string =>
      `${btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(16)))).slice(0, 22)}.0`
    const handle = (request: HttpServerRequest.HttpServerRequest) => {
      const isControl = request.url.startsWith(ControlGuard.prefix)
      const answer: Effect.Effect<Reply.Reply> = cors && !isControl && Cors.isPreflight(request)
        ? Effect.succeed(Cors.preflight)
        : Effect.catchTag(serve(request), "BodyTooLarge", (e) => Effect.succeed(RequestBody.tooLarge(e.limit)))
      return Effect.map(answer, (reply) => {
        const clientRequestId = request.headers["x-ms-client-request-id"]
        const withIds: Reply.Reply = {
          ...reply,
          headers: {
            ...reply.headers,
            "api-supported-versions": supportedVersionsHeader,
            "ms-cv": correlationVector(),
            ...(clientRequestId === undefined ? {} : { "x-ms-client-request-id": clientRequestId })
          }
        }
        return Reply.toResponse(cors && !isControl ? Cors.withHeaders(withIds) : withIds)
      })
    }

    return Effect.flatMap(HttpServerRequest.HttpServerRequest, handle) satisfies Effect.Effect<
      HttpServerResponse.HttpServerResponse,
      never,
      HttpServerRequest.HttpServerRequest
    >
  })

/**
 * Starts the stateful mock for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: StatefulServerOptions = {}
): Effect.Effect<StatefulServer, StatefulServerError, Scope.Scope> =>
  Effect.gen(function*() {
    const accessKey = options.accessKey ?? Redacted.make(DevelopmentCredentials.accessKey)
    const verifier = yield* SignatureVerifier.make(
      accessKey,
      options.clockSkew === undefined ? {} : { clockSkew: options.clockSkew }
    )
    const store = yield* IdentityStore.make(options)
    const faults = yield* Faults.make(options.faults, options.seed)
    const app = yield* makeApp(options, store, faults, verifier)
    const host = options.host ?? "127.0.0.1"
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port ?? 0, host })
    // A mock is not part of the application's traces: no server span per request.
    yield* server.serve(app).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const url = baseUrl(host, port)
    return {
      url,
      connectionString: Redacted.make(DevelopmentCredentials.connectionStringFor(url, Redacted.value(accessKey))),
      store,
      faults
    }
  })
