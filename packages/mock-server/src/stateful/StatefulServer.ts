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
import { ApiVersion, EntraAssignment, type InvalidArgumentError, TeamsExtensionAssignment } from "@acs-identity/sdk"
import { IdentityStore, InMemoryIdentity, Operations, SignatureVerifier } from "@acs-identity/sdk/testing"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as DevelopmentCredentials from "../DevelopmentCredentials.js"
import { baseUrl } from "../internal/baseUrl.js"
import * as ControlGuard from "./ControlGuard.js"
import * as Cors from "./Cors.js"
import * as Faults from "./Faults.js"
import * as Repeatability from "./Repeatability.js"
import * as Reply from "./Reply.js"
import * as RequestBody from "./RequestBody.js"
import * as Routes from "./Routes.js"
import * as Wire from "./Wire.js"

/**
 * Options of the stateful mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface StatefulServerOptions extends IdentityStore.StoreOptions {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** The access key requests must be signed with; defaults to the development key. */
  readonly accessKey?: Redacted.Redacted<string> | undefined
  /**
   * `verify` (default) checks every HMAC signature; `presence` only requires an `Authorization`
   * header, for runs behind a proxy that rewrites `Host` (such as Prism's proxy mode).
   */
  readonly signature?: "verify" | "presence" | undefined
  /** Allowed difference between `x-ms-date` and the server clock; defaults to 5 minutes. */
  readonly clockSkew?: Duration.DurationInput | undefined
  /** Bearer tokens accepted in `Authorization: Bearer <token>`; none by default. */
  readonly bearerTokens?: ReadonlyArray<Redacted.Redacted<string>> | undefined
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

const unauthorized = (message: string) => Reply.error(401, "Unauthorized", message)

const supportedVersionsHeader = Routes.supportedApiVersions.join(", ")

const TeamsRegistration = Schema.Struct({
  token: Schema.String.pipe(Schema.minLength(1)),
  appId: Schema.String,
  userId: Schema.String,
  expiresOn: Schema.optional(Schema.Date)
})

/** The decoded request body of an operation (`undefined` for one without a body). */
type RequestOf<K extends Operations.OperationId> = (typeof Operations.operations)[K]["request"] extends infer S
  ? S extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<S> : undefined
  : never

/** What a handler gets: the request, validated with the SDK's schemas. */
interface HandlerContext<K extends Operations.OperationId> {
  readonly params: Readonly<Record<string, string>>
  readonly body: RequestOf<K>
  readonly apiVersion: string
  readonly query: URLSearchParams
  /** The `Authorization: Bearer` token of an operation that authenticates with the user's Entra token. */
  readonly bearer: Redacted.Redacted<string> | undefined
}

/** A handler's answer; a store failure becomes the service's error envelope. */
type Handled = Effect.Effect<
  Reply.Reply,
  { readonly status: number; readonly code: string; readonly message: string; readonly target?: string | undefined }
>

type Handlers = { readonly [K in Operations.OperationId]: (context: HandlerContext<K>) => Handled }

const encodeTeams = Schema.encodeSync(TeamsExtensionAssignment)
const encodeEntraSync = Schema.encodeSync(EntraAssignment)
const encodeEntra = (assignment: EntraAssignment) => encodeEntraSync(assignment)
/** Stands for a missing bearer: the store refuses it like any token that is not a JWT (401). */
const noBearer = Redacted.make("")

/** Builds the request handler over a store, a fault injector and a signature verifier. */
const makeApp = (
  options: StatefulServerOptions,
  store: IdentityStore.IdentityStore,
  faults: Faults.FaultInjector,
  verifier: SignatureVerifier.Verifier
) =>
  Effect.gen(function*() {
    const repeatability = yield* Repeatability.make(options.repeatability)
    const bearers = new Set((options.bearerTokens ?? []).map(Redacted.value))

    /** Checks the credential on the request head alone, before its body is read. */
    const authenticate = (request: SignatureVerifier.ReceivedHead): Effect.Effect<Option.Option<Reply.Reply>> => {
      const authorization = request.headers["authorization"] ?? ""
      if (authorization.startsWith("Bearer ")) {
        return Effect.succeed(
          bearers.has(authorization.slice(7))
            ? Option.none()
            : Option.some(unauthorized("The bearer token is not valid."))
        )
      }
      if (options.signature === "presence") {
        return Effect.succeed(
          authorization.length > 0
            ? Option.none()
            : Option.some(unauthorized("The request has no Authorization header."))
        )
      }
      return verifier.verifyHead(request).pipe(
        Effect.as(Option.none()),
        Effect.catchAll((rejected) => Effect.succeed(Option.some(unauthorized(rejected.message))))
      )
    }

    const storeFailure = (error: Effect.Effect.Error<Handled>) =>
      Effect.succeed(Reply.error(error.status, error.code, error.message, { target: error.target }))

    const pageSize = options.pageSize ?? InMemoryIdentity.defaultPageSize
    const noContent = Effect.as(Reply.empty(204))
    const upserted = <A>(encode: (a: A) => unknown) => (result: IdentityStore.UpsertResult<A>) =>
      Reply.json(result.created ? 201 : 200, encode(result.assignment))

    /** One handler per operation of the table: leaving one out is a compile error. */
    const handlers: Handlers = {
      createIdentity: ({ apiVersion, body }) =>
        Effect.map(store.createIdentity(body), (result) =>
          Reply.json(201, {
            identity: Wire.identity(result.user, apiVersion),
            ...(result.accessToken === undefined ? {} : { accessToken: Wire.accessToken(result.accessToken) })
          })),
      getIdentity: ({ apiVersion, params }) =>
        Effect.map(store.getIdentity(params.id!), (user) => Reply.json(200, Wire.identity(user, apiVersion))),
      deleteIdentity: ({ params }) => noContent(store.deleteIdentity(params.id!)),
      revokeAccessTokens: ({ params }) => noContent(store.revokeTokens(params.id!)),
      issueAccessToken: ({ body, params }) =>
        Effect.map(store.issueToken(params.id!, body), (token) => Reply.json(200, Wire.accessToken(token))),
      exchangeTeamsUserAccessToken: ({ body }) =>
        Effect.map(store.exchangeTeamsToken(body), (token) => Reply.json(200, Wire.accessToken(token))),
      exchangeTeamsExtensionAccessToken: ({ bearer }) =>
        Effect.map(store.exchangeTeamsExtensionToken(bearer ?? noBearer), (result) =>
          Reply.json(200, Wire.exchangeResult(result))),
      getTeamsExtensionAssignment: ({ params }) =>
        Effect.map(store.getTeamsExtensionAssignment(params.tenantId!, params.objectId!), (a) =>
          Reply.json(200, encodeTeams(a))),
      upsertTeamsExtensionAssignment: ({ body, params }) =>
        Effect.map(
          store.upsertTeamsExtensionAssignment(params.tenantId!, params.objectId!, body),
          upserted(encodeTeams)
        ),
      deleteTeamsExtensionAssignment: ({ params }) =>
        noContent(store.deleteTeamsExtensionAssignment(params.tenantId!, params.objectId!)),
      exchangeEntraAccessToken: ({ bearer }) =>
        Effect.map(store.exchangeEntraToken(bearer ?? noBearer), (result) =>
          Reply.json(200, Wire.exchangeResult(result))),
      listEntraAssignments: ({ apiVersion, query }) =>
        Effect.map(store.listEntraAssignments(pageSize, query.get("skipToken") ?? undefined), (page) =>
          Reply.json(200, {
            value: page.value.map(encodeEntra),
            ...(page.next === undefined ? {} : {
              nextLink: `/access/entra/assignments?${new URLSearchParams({
                "api-version": apiVersion,
                skipToken: page.next
              })}`
            })
          })),
      getEntraAssignment: ({ params }) =>
        Effect.map(store.getEntraAssignment(params.objectId!), (a) =>
          Reply.json(200, encodeEntra(a))),
      upsertEntraAssignment: ({ body, params }) =>
        Effect.map(store.upsertEntraAssignment(params.objectId!, body), upserted(encodeEntra)),
      deleteEntraAssignment: ({ params }) =>
        noContent(store.deleteEntraAssignment(params.objectId!)),
      updateEntraAssignments: ({ body }) =>
        Effect.map(store.updateEntraAssignments(body), (written) =>
          written.length === 0 ? Reply.empty(204) : Reply.json(200, { value: written.map(encodeEntra) }))
    }

    const operate = (
      route: Routes.Route,
      apiVersion: string,
      body: Uint8Array,
      query: URLSearchParams,
      bearer: Redacted.Redacted<string> | undefined
    ): Effect.Effect<Reply.Reply> => {
      const params = Wire.params(route.operation, route.params)
      if (Wire.isReply(params)) {
        return Effect.succeed(params)
      }
      const decoded = Wire.request(route.operation, body, apiVersion)
      if (Wire.isReply(decoded)) {
        return Effect.succeed(decoded)
      }
      const handler = handlers[route.operation] as (context: HandlerContext<Operations.OperationId>) => Handled
      return handler({
        params,
        body: decoded as RequestOf<Operations.OperationId>,
        apiVersion,
        query,
        bearer
      }).pipe(Effect.catchAll(storeFailure))
    }

    const control = (
      request: HttpServerRequest.HttpServerRequest,
      path: string,
      body: Uint8Array
    ): Effect.Effect<Reply.Reply> => {
      const parsed = Wire.parseObject(body)
      if (path === "/__control/state" && request.method === "GET") {
        return Effect.map(
          Effect.zip(store.snapshot, faults.injected),
          ([state, injected]) =>
            Reply.json(200, {
              resourceId: state.resourceId,
              users: state.users.map((user) => ({
                ...Wire.identity(user, ApiVersion.previewApiVersion),
                createdAt: Reply.formatDate(user.createdAt),
                ...(user.revokedAt === undefined ? {} : { revokedAt: Reply.formatDate(user.revokedAt) }),
                ...(user.deletedAt === undefined ? {} : { deletedAt: Reply.formatDate(user.deletedAt) })
              })),
              tokensIssued: state.tokens.length,
              revocations: state.revocations.length,
              deletions: state.deletions.length,
              requests: state.requests,
              requestCount: state.requestCount,
              faultsInjected: injected
            })
        )
      }
      if (path === "/__control/faults" && request.method === "DELETE") {
        return Effect.as(faults.clear, Reply.empty(204))
      }
      if (path === "/__control/faults" && request.method === "POST") {
        return Schema.decodeUnknown(Faults.FaultRules)(parsed).pipe(
          Effect.flatMap(({ rules }) =>
            faults.add(rules)
          ),
          Effect.as(Reply.empty(204)),
          Effect.catchAll((e) =>
            Effect.succeed(Reply.error(400, "InvalidFaultRules", e.message))
          )
        )
      }
      if (path === "/__control/teamsTokens" && request.method === "POST") {
        return Schema.decodeUnknown(TeamsRegistration)(parsed).pipe(
          Effect.flatMap((registration) =>
            store.registerTeamsToken(registration)
          ),
          Effect.as(Reply.empty(204)),
          Effect.catchAll(() =>
            Effect.succeed(Reply.error(400, "InvalidTeamsToken", "expected {token, appId, userId, expiresOn?}"))
          )
        )
      }
      return Effect.succeed(Reply.error(404, "NotFound", "The requested resource was not found."))
    }

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
          return yield* control(request, path, yield* readBody(request))
        }
        const route = Routes.match(request.method, path)
        if (route === undefined) return Reply.error(404, "NotFound", "The requested resource was not found.")
        yield* store.recordRequest(route.operation)
        const definition = Operations.operations[route.operation]
        const authorization = request.headers["authorization"] ?? ""
        const bearer = definition.authentication === "user" && authorization.startsWith("Bearer ")
          ? Redacted.make(authorization.slice(7))
          : undefined
        const head = { method: request.method, pathAndQuery: request.url, headers: request.headers }
        if (definition.authentication === "resource") {
          const refused = yield* authenticate(head)
          if (Option.isSome(refused)) return refused.value
        }
        const body = yield* readBody(request)
        const signed = definition.authentication === "resource" && !authorization.startsWith("Bearer ")
        if (signed && options.signature !== "presence") {
          const checked = yield* Effect.either(verifier.verifyBody({ ...head, body }))
          if (Either.isLeft(checked)) return unauthorized(checked.left.message)
        }
        const version = Routes.apiVersion(query, route.operation)
        if (typeof version !== "string") return version
        const commit = operate(route, version, body, query, bearer)
        const once = definition.repeatable ? repeatability.run(request.headers, commit) : commit
        return yield* Faults.apply(yield* faults.next(route.operation), request, once)
      })

    const cors = options.cors ?? true
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
    yield* server.serve(app)
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const url = baseUrl(host, port)
    return {
      url,
      connectionString: Redacted.make(DevelopmentCredentials.connectionStringFor(url, Redacted.value(accessKey))),
      store,
      faults
    }
  })
