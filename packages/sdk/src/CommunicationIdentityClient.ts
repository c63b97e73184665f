/**
 * The ACS Identity client: every operation as a typed `Effect` whose error channel names exactly the
 * errors that operation can produce. The transport (`HttpClient`) and the credential
 * (`RequestSigner`) come from layers the caller provides.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { parseConnectionString, parseEndpoint } from "./ConnectionString.js"
import type { InvalidConnectionStringError } from "./Errors.js"
import {
  type CreateUserError,
  InvalidArgumentError,
  NotFoundError,
  ServiceError,
  type TeamsTokenError,
  UnexpectedResponseError,
  type UserOperationError
} from "./Errors.js"
import * as HmacCredential from "./HmacCredential.js"
import type { CommunicationUserIdentifier } from "./Identifier.js"
import * as Arguments from "./internal/arguments.js"
import { makeRequester, operationSpan, type Requester } from "./internal/requester.js"
import { decodeBody, discardBody } from "./internal/response.js"
import { require } from "./internal/validate.js"
import {
  AccessToken,
  CommunicationUserDetails,
  CommunicationUserToken,
  CreateIdentityRequestWire,
  CreateIdentityResponseWire,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  IdentityWire,
  TeamsExchangeRequestWire,
  type TokenScope
} from "./Models.js"
import { type RequestPolicy, resolveRequestPolicy } from "./RequestPolicy.js"
import { RequestSigner } from "./RequestSigner.js"

/** How to reach the service. */
export interface ClientOptions {
  /** The resource endpoint, e.g. `https://<resource>.communication.azure.com`. */
  readonly endpoint: string | URL
  /** The api-version to send; defaults to `2025-06-30`. `customId` and `getUser` need `2025-03-02-preview`. */
  readonly apiVersion?: ApiVersion
  /** Allow `http://` to a non-loopback host. Loopback hosts (the mock) are always allowed. */
  readonly allowInsecureConnection?: boolean
  /** Retries and timeouts for every call of this client; `withRequestPolicy` overrides them per call. */
  readonly policy?: Partial<RequestPolicy>
}

/** Options for the connection-string and `Config` layers. */
export type ConnectionOptions = Omit<ClientOptions, "endpoint">

/** The operations of the client. */
export interface Service {
  /** The api-version this client sends. */
  readonly apiVersion: ApiVersion
  /** Creates a user. With `customId` (preview) returns the existing user of that id if there is one. */
  readonly createUser: (
    options?: CreateUserOptions
  ) => Effect.Effect<CommunicationUserIdentifier, CreateUserError>
  /** Creates a user and issues its first token in one request. */
  readonly createUserAndToken: (
    scopes: ReadonlyArray<TokenScope>,
    options?: CreateUserAndTokenOptions
  ) => Effect.Effect<CommunicationUserToken, CreateUserError>
  /** Issues a token for a user (the original Python package's `issue_token`). */
  readonly getToken: (
    user: CommunicationUserIdentifier,
    scopes: ReadonlyArray<TokenScope>,
    options?: GetTokenOptions
  ) => Effect.Effect<AccessToken, UserOperationError>
  /** Revokes every token the user holds. */
  readonly revokeTokens: (user: CommunicationUserIdentifier) => Effect.Effect<void, UserOperationError>
  /** Deletes the user and revokes its tokens. */
  readonly deleteUser: (user: CommunicationUserIdentifier) => Effect.Effect<void, UserOperationError>
  /** Exchanges a Teams user's Entra token for an ACS token. */
  readonly getTokenForTeamsUser: (
    options: GetTokenForTeamsUserOptions
  ) => Effect.Effect<AccessToken, TeamsTokenError>
  /** Reads a user's details (preview api-version only). */
  readonly getUser: (user: CommunicationUserIdentifier) => Effect.Effect<CommunicationUserDetails, UserOperationError>
}

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** Checks the endpoint: an http(s) origin, and `http:` only for loopback or with `allowInsecureConnection`. */
export const resolveEndpoint = (options: ClientOptions): Effect.Effect<URL, InvalidArgumentError> => {
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

const decodeCreate = decodeBody(CreateIdentityResponseWire, "create")
const decodeToken = decodeBody(AccessToken, "access token")
const decodeIdentity = decodeBody(IdentityWire, "identity")
const encodeCreate = Schema.encodeSync(CreateIdentityRequestWire)
const encodeTeams = Schema.encodeSync(TeamsExchangeRequestWire)

const identityPath = (user: CommunicationUserIdentifier) =>
  `/identities/${encodeURIComponent(user.communicationUserId)}`

/** The service has no 404 for these operations: treat one as a generic service error. */
const notFoundAsServiceError = <A, E, R>(
  effect: Effect.Effect<A, E | NotFoundError, R>
): Effect.Effect<A, Exclude<E, NotFoundError> | ServiceError, R> =>
  Effect.catchIf(
    effect,
    (e): e is NotFoundError => e instanceof NotFoundError,
    (e) =>
      Effect.fail(
        new ServiceError({
          status: e.status,
          code: e.code,
          message: e.message,
          ...(e.target === undefined ? {} : { target: e.target }),
          ...(e.details === undefined ? {} : { details: e.details }),
          ...(e.innerError === undefined ? {} : { innerError: e.innerError }),
          ...(e.requestId === undefined ? {} : { requestId: e.requestId })
        })
      )
  ) as Effect.Effect<A, Exclude<E, NotFoundError> | ServiceError, R>

const isApiVersion = Schema.is(ApiVersion)

/** The api-version to send: the default, or one this SDK speaks (checked, as callers may not use TypeScript). */
const checkApiVersion = (options: ClientOptions): Effect.Effect<ApiVersion, InvalidArgumentError> =>
  options.apiVersion === undefined
    ? Effect.succeed(defaultApiVersion)
    : isApiVersion(options.apiVersion)
    ? Effect.succeed(options.apiVersion)
    : Effect.fail(
      new InvalidArgumentError({
        argument: "apiVersion",
        message: `apiVersion must be one of ${ApiVersion.literals.join(", ")}`
      })
    )

/** Builds the client from a transport and a signer. */
export const makeService = (
  options: ClientOptions,
  http: HttpClient.HttpClient,
  signer: RequestSigner["Type"]
): Effect.Effect<Service, InvalidArgumentError> =>
  Effect.map(Effect.all([resolveEndpoint(options), checkApiVersion(options), resolveRequestPolicy(options.policy)]), ([
    endpoint,
    apiVersion,
    policy
  ]) => {
    const send: Requester = makeRequester(
      { endpoint, apiVersion, policy },
      http,
      signer
    )

    const create = (request: Arguments.CreateRequest) =>
      send({
        method: "POST",
        path: "/identities",
        repeatable: true,
        body: Object.keys(request).length === 0 ? undefined : encodeCreate(request)
      }, decodeCreate).pipe(notFoundAsServiceError)

    const createUser = Effect.fnUntraced(function*(options?: CreateUserOptions) {
      const result = yield* create(yield* Arguments.createUser(apiVersion, options))
      return { communicationUserId: result.identity.id } satisfies CommunicationUserIdentifier
    }, operationSpan("CommunicationIdentityClient.createUser"))

    const createUserAndToken = Effect.fnUntraced(
      function*(scopes: ReadonlyArray<TokenScope>, options?: CreateUserAndTokenOptions) {
        const result = yield* create(yield* Arguments.createUserAndToken(apiVersion, scopes, options))
        if (result.accessToken === undefined) {
          return yield* new UnexpectedResponseError({
            status: 201,
            message: "the create response has no accessToken although scopes were requested"
          })
        }
        return new CommunicationUserToken({
          user: { communicationUserId: result.identity.id },
          token: result.accessToken.token,
          expiresOn: result.accessToken.expiresOn
        })
      },
      operationSpan("CommunicationIdentityClient.createUserAndToken")
    )

    const getToken = Effect.fnUntraced(
      function*(user: CommunicationUserIdentifier, scopes: ReadonlyArray<TokenScope>, options?: GetTokenOptions) {
        const [valid, request] = yield* Arguments.getToken(user, scopes, options)
        return yield* send(
          { method: "POST", path: `${identityPath(valid)}/:issueAccessToken`, body: request },
          decodeToken
        )
      },
      operationSpan("CommunicationIdentityClient.getToken")
    )

    const revokeTokens = Effect.fnUntraced(
      function*(user: CommunicationUserIdentifier) {
        const valid = yield* Arguments.user(user)
        return yield* send({ method: "POST", path: `${identityPath(valid)}/:revokeAccessTokens` }, discardBody)
      },
      operationSpan("CommunicationIdentityClient.revokeTokens")
    )

    const deleteUser = Effect.fnUntraced(
      function*(user: CommunicationUserIdentifier) {
        const valid = yield* Arguments.user(user)
        return yield* send({ method: "DELETE", path: identityPath(valid) }, discardBody)
      },
      operationSpan("CommunicationIdentityClient.deleteUser")
    )

    const getUser = Effect.fnUntraced(function*(user: CommunicationUserIdentifier) {
      const valid = yield* Arguments.getUser(apiVersion, user)
      const identity = yield* send({ method: "GET", path: identityPath(valid) }, decodeIdentity)
      return new CommunicationUserDetails(identity)
    }, operationSpan("CommunicationIdentityClient.getUser"))

    const getTokenForTeamsUser = Effect.fnUntraced(
      function*(options: GetTokenForTeamsUserOptions) {
        const request = yield* Arguments.getTokenForTeamsUser(options)
        return yield* send(
          { method: "POST", path: "/teamsUser/:exchangeAccessToken", body: encodeTeams(request) },
          decodeToken
        )
          .pipe(notFoundAsServiceError)
      },
      operationSpan("CommunicationIdentityClient.getTokenForTeamsUser")
    )

    return {
      apiVersion,
      createUser,
      createUserAndToken,
      getToken,
      revokeTokens,
      deleteUser,
      getTokenForTeamsUser,
      getUser
    }
  })

/** The ACS Identity client service. */
export class CommunicationIdentityClient
  extends Context.Tag("@acs-identity/sdk/CommunicationIdentityClient")<CommunicationIdentityClient, Service>()
{
  /** The client from options, with the transport and credential left to the caller. */
  static readonly make = (
    options: ClientOptions
  ): Effect.Effect<Service, InvalidArgumentError, HttpClient.HttpClient | RequestSigner> =>
    Effect.gen(function*() {
      return yield* makeService(options, yield* HttpClient.HttpClient, yield* RequestSigner)
    })

  /** The general layer: endpoint and options here, `RequestSigner` and `HttpClient` from other layers. */
  static readonly layer = (
    options: ClientOptions
  ): Layer.Layer<CommunicationIdentityClient, InvalidArgumentError, HttpClient.HttpClient | RequestSigner> =>
    Layer.effect(CommunicationIdentityClient, CommunicationIdentityClient.make(options))

  /** A client signing with the access key of a connection string; only `HttpClient` is left to provide. */
  static readonly fromConnectionString = (
    connectionString: string | Redacted.Redacted<string>,
    options?: ConnectionOptions
  ): Layer.Layer<
    CommunicationIdentityClient,
    InvalidConnectionStringError | InvalidArgumentError,
    HttpClient.HttpClient
  > =>
    Layer.unwrapEffect(
      Effect.map(parseConnectionString(connectionString), ({ accessKey, endpoint }) =>
        CommunicationIdentityClient.layer({ ...options, endpoint }).pipe(
          Layer.provide(HmacCredential.layer(accessKey))
        ))
    )

  /** Like `fromConnectionString`, reading `COMMUNICATION_CONNECTION_STRING` through `Config` as a `Redacted`. */
  static readonly layerConfig = (
    options?: ConnectionOptions & { readonly connectionString?: Config.Config<Redacted.Redacted<string>> }
  ): Layer.Layer<
    CommunicationIdentityClient,
    ConfigError.ConfigError | InvalidConnectionStringError | InvalidArgumentError,
    HttpClient.HttpClient
  > =>
    Layer.unwrapEffect(
      Effect.map(
        options?.connectionString ?? Config.redacted("COMMUNICATION_CONNECTION_STRING"),
        (connectionString) => {
          const { connectionString: _, ...connection } = options ?? {}
          return CommunicationIdentityClient.fromConnectionString(connectionString, connection)
        }
      )
    )
}
