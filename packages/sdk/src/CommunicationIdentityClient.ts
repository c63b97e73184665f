/**
 * The ACS Identity client: every operation as a typed `Effect` whose error channel names exactly the
 * errors that operation can produce. The transport (`Transport`) and the credential
 * (`RequestSigner`) come from layers the caller provides.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Stream from "effect/Stream"

import { ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { connectionStringConfig, parseConnectionString } from "./ConnectionString.js"
import * as EntraCredential from "./EntraCredential.js"
import type { InvalidConnectionStringError } from "./Errors.js"
import {
  type AssignmentError,
  type AssignmentWriteError,
  type CreateUserError,
  InvalidArgumentError,
  type TeamsTokenError,
  type TokenExchangeError,
  UnexpectedResponseError,
  type UserOperationError
} from "./Errors.js"
import * as HmacCredential from "./HmacCredential.js"
import type { CommunicationUserIdentifier } from "./Identifier.js"
import * as Arguments from "./internal/arguments.js"
import { resolveEndpoint } from "./internal/endpoint.js"
import { type ListOptions, type Page, paginate } from "./internal/paging.js"
import { type Answer, makeInvoke, operation, resolveUserAgent, type Trace } from "./internal/pipeline.js"
import { exchange } from "./internal/tokenExchange.js"
import {
  type AccessToken,
  CommunicationUserDetails,
  CommunicationUserToken,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type EntraAssignment,
  type EntraAssignmentChanges,
  type EntraToken,
  type ExchangedToken,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  type TeamsExtensionAssignment,
  type TeamsExtensionAssignmentKey,
  type TokenScope,
  type Upserted,
  type UpsertEntraAssignmentOptions,
  type UpsertTeamsExtensionAssignmentOptions
} from "./Models.js"
import { type ClientMethod, type OperationId, operations } from "./Operations.js"
import { type RequestPolicy, resolveRequestPolicy } from "./RequestPolicy.js"
import { RequestSigner } from "./RequestSigner.js"
import { type Service as TransportService, Transport } from "./Transport.js"

export type {
  /**
   * Options of a listing: the most pages it follows.
   *
   * @since 0.1.0
   * @category models
   */
  ListOptions
} from "./internal/paging.js"

export {
  /**
   * Checks the endpoint: an http(s) origin, and `http:` only for loopback or with `allowInsecureConnection`.
   *
   * @since 0.1.0
   * @category constructors
   */
  resolveEndpoint
}

/**
 * How to reach the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** The resource endpoint, e.g. `https://<resource>.communication.azure.com`. */
  readonly endpoint: string | URL
  /**
   * The api-version to send; defaults to `2025-06-30`. `customId`, `getUser` and the Entra ID
   * operations need `2025-03-02-preview`; the Teams Phone extension is in every version but `2023-10-01`.
   */
  readonly apiVersion?: ApiVersion | undefined
  /** Allow `http://` to a non-loopback host. Loopback hosts (the mock) are always allowed. */
  readonly allowInsecureConnection?: boolean | undefined
  /** Retries and timeouts for every call of this client; `withRequestPolicy` overrides them per call. */
  readonly policy?: Partial<RequestPolicy> | undefined
  /**
   * Your application's id, sent before the SDK's in `User-Agent` (`my-app/1.2 acs-identity-sdk/0.1.0`),
   * as the official clients' `userAgentOptions.userAgentPrefix`: Azure support reads it. Printable ASCII,
   * at most 256 characters.
   */
  readonly userAgentPrefix?: string | undefined
}

/**
 * Options for the connection-string and `Config` layers.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionOptions = Omit<ClientOptions, "endpoint">

/**
 * The operations of the client. An operation the client's api-version lacks fails with
 * `InvalidArgumentError` (argument `apiVersion`) without a request.
 *
 * @since 0.1.0
 * @category models
 */
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
  /**
   * Exchanges a Teams Phone extension user's Entra token (sent as the bearer, not the client's
   * credential) for its ACS identity and token.
   */
  readonly getTokenForTeamsExtensionUser: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
  /** Reads the Teams Phone extension assignment of an Entra object of a tenant. */
  readonly getTeamsExtensionAssignment: (
    key: TeamsExtensionAssignmentKey
  ) => Effect.Effect<TeamsExtensionAssignment, AssignmentError>
  /** Creates or replaces a Teams Phone extension assignment; says which it did. */
  readonly upsertTeamsExtensionAssignment: (
    options: UpsertTeamsExtensionAssignmentOptions
  ) => Effect.Effect<Upserted<TeamsExtensionAssignment>, AssignmentWriteError>
  /** Deletes a Teams Phone extension assignment. */
  readonly deleteTeamsExtensionAssignment: (key: TeamsExtensionAssignmentKey) => Effect.Effect<void, AssignmentError>
  /** Exchanges an Entra ID user's token (the bearer) for its ACS identity and token (preview). */
  readonly getTokenForEntraUser: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
  /**
   * Every Entra ID assignment, following `nextLink` page by page as the stream is read (preview). At
   * most `maxPages` pages are followed (default 1,000, empty pages included), and a `nextLink` seen
   * before (a cycle) ends the stream with `UnexpectedResponseError`.
   */
  readonly listEntraAssignments: (options?: ListOptions) => Stream.Stream<EntraAssignment, AssignmentWriteError>
  /** Reads the Entra ID assignment of an object (preview). */
  readonly getEntraAssignment: (objectId: string) => Effect.Effect<EntraAssignment, AssignmentError>
  /** Creates or replaces the Entra ID assignment of an object; says which it did (preview). */
  readonly upsertEntraAssignment: (
    options: UpsertEntraAssignmentOptions
  ) => Effect.Effect<Upserted<EntraAssignment>, AssignmentWriteError>
  /** Deletes the Entra ID assignment of an object (preview). */
  readonly deleteEntraAssignment: (objectId: string) => Effect.Effect<void, AssignmentError>
  /**
   * Applies many changes at once (a JSON merge patch): each objectId maps to its new assignment, or
   * to `null` to delete it. Returns the assignments the service reports back (preview).
   */
  readonly updateEntraAssignments: (
    changes: EntraAssignmentChanges
  ) => Effect.Effect<ReadonlyArray<EntraAssignment>, AssignmentWriteError>
}

const listPath = operations.listEntraAssignments.path

/** The query of a `nextLink` on this endpoint and list path, or an error for a link that leaves them. */
const nextQuery = (endpoint: URL, nextLink: string): Effect.Effect<string, UnexpectedResponseError> => {
  let next: URL | undefined
  try {
    next = new URL(nextLink, endpoint)
  } catch {
    next = undefined
  }
  if (next === undefined || next.origin !== endpoint.origin || next.pathname !== listPath) {
    return Effect.fail(
      new UnexpectedResponseError({ status: 200, message: "the nextLink does not point to this endpoint's list" })
    )
  }
  next.searchParams.delete("api-version")
  return Effect.succeed(next.searchParams.toString())
}

const isApiVersion = (value: unknown): value is ApiVersion =>
  (ApiVersion.literals as ReadonlyArray<unknown>).includes(value)

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

/**
 * `S`, which must have a method for every operation of the table: a row whose `clientMethod` the
 * client's `Service` lacks does not compile.
 */
type CoveringTable<S extends { readonly [M in ClientMethod]: unknown }> = S

/**
 * Builds the client from a transport and a signer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeService = (
  options: ClientOptions,
  transport: TransportService,
  signer: RequestSigner["Type"]
): Effect.Effect<CoveringTable<Service>, InvalidArgumentError> =>
  Effect.map(
    Effect.all([
      resolveEndpoint(options),
      checkApiVersion(options),
      resolveRequestPolicy(options.policy),
      resolveUserAgent(options.userAgentPrefix)
    ]),
    ([endpoint, apiVersion, policy, userAgent]) => {
      const invoke = makeInvoke({ endpoint, apiVersion, policy, userAgent }, transport, signer)
      const run = <A, E>(id: OperationId, body: (trace: Trace) => Effect.Effect<A, E>, variant?: keyof Service) =>
        operation(apiVersion, id, body, variant)
      const value = <A>(answer: { readonly value: A }) => answer.value
      const upserted = <A>({ status, value }: Answer<A>): Upserted<A> => ({
        assignment: value,
        created: status === 201
      })
      const create = (request: Arguments.CreateRequest, trace: Trace) =>
        Effect.map(
          invoke("createIdentity", Object.keys(request).length === 0 ? { trace } : { body: request, trace }),
          value
        )

      return {
        apiVersion,
        createUser: (options) =>
          run("createIdentity", (trace) =>
            Arguments.createUser(apiVersion, options).pipe(
              Effect.flatMap((request) => create(request, trace)),
              Effect.map((result): CommunicationUserIdentifier => ({ communicationUserId: result.identity.id }))
            )),
        createUserAndToken: (scopes, options) =>
          run("createIdentity", (trace) =>
            Arguments.createUserAndToken(apiVersion, scopes, options).pipe(
              Effect.flatMap((request) => create(request, trace)),
              Effect.flatMap((result) =>
                result.accessToken === undefined
                  ? new UnexpectedResponseError({
                    status: 201,
                    message: "the create response has no accessToken although scopes were requested"
                  })
                  : Effect.succeed(
                    new CommunicationUserToken({
                      user: { communicationUserId: result.identity.id },
                      token: result.accessToken.token,
                      expiresOn: result.accessToken.expiresOn
                    })
                  )
              )
            ), "createUserAndToken"),
        getToken: (user, scopes, options) =>
          run("issueAccessToken", (trace) => {
            // The arguments are checked now (as every operation's are); valid ones cost no effect step.
            const args = Arguments.getTokenEither(apiVersion, user, scopes, options)
            return args._tag === "Left"
              ? Effect.fail(args.left)
              : Effect.map(
                invoke("issueAccessToken", {
                  params: { id: args.right[0].communicationUserId },
                  body: args.right[1],
                  trace
                }),
                value
              )
          }),
        revokeTokens: (user) =>
          run("revokeAccessTokens", (trace) =>
            Effect.flatMap(Arguments.user(user), (valid) =>
              Effect.asVoid(invoke("revokeAccessTokens", { params: { id: valid.communicationUserId }, trace })))),
        deleteUser: (user) =>
          run("deleteIdentity", (trace) =>
            Effect.flatMap(Arguments.user(user), (valid) =>
              Effect.asVoid(invoke("deleteIdentity", { params: { id: valid.communicationUserId }, trace })))),
        getUser: (user) =>
          run("getIdentity", (trace) =>
            Arguments.user(user).pipe(
              Effect.flatMap((valid) =>
                invoke("getIdentity", { params: { id: valid.communicationUserId }, trace })
              ),
              Effect.map(({ value }) =>
                new CommunicationUserDetails(value)
              )
            )),
        getTokenForTeamsUser: (options) =>
          run("exchangeTeamsUserAccessToken", (trace) =>
            Arguments.getTokenForTeamsUser(options).pipe(
              Effect.flatMap((body) =>
                invoke("exchangeTeamsUserAccessToken", { body, trace })
              ),
              Effect.map(value)
            )),
        getTokenForTeamsExtensionUser: exchange(invoke, apiVersion, "exchangeTeamsExtensionAccessToken"),
        getTeamsExtensionAssignment: (key) =>
          run("getTeamsExtensionAssignment", (trace) =>
            Arguments.teamsExtensionKey(key).pipe(
              Effect.flatMap((params) => invoke("getTeamsExtensionAssignment", { params: { ...params }, trace })),
              Effect.map(value)
            )),
        upsertTeamsExtensionAssignment: (options) =>
          run("upsertTeamsExtensionAssignment", (trace) =>
            Arguments.upsertTeamsExtensionAssignment(options).pipe(
              Effect.flatMap(([params, body]) =>
                invoke("upsertTeamsExtensionAssignment", { params: { ...params }, body, trace })
              ),
              Effect.map(upserted)
            )),
        deleteTeamsExtensionAssignment: (key) =>
          run("deleteTeamsExtensionAssignment", (trace) =>
            Arguments.teamsExtensionKey(key).pipe(
              Effect.flatMap((params) => invoke("deleteTeamsExtensionAssignment", { params: { ...params }, trace })),
              Effect.asVoid
            )),
        getTokenForEntraUser: exchange(invoke, apiVersion, "exchangeEntraAccessToken"),
        listEntraAssignments: (options) =>
          paginate(
            (query) =>
              run("listEntraAssignments", (trace) =>
                invoke("listEntraAssignments", { query: query === "" ? undefined : query, trace }).pipe(
                  Effect.flatMap(({ value: page }): Effect.Effect<Page<EntraAssignment>, UnexpectedResponseError> =>
                    page.nextLink === undefined
                      ? Effect.succeed({ items: page.value, next: undefined })
                      : Effect.map(nextQuery(endpoint, page.nextLink), (next) => ({ items: page.value, next }))
                  )
                )),
            options
          ),
        getEntraAssignment: (objectId) =>
          run("getEntraAssignment", (trace) =>
            Arguments.objectId(objectId).pipe(
              Effect.flatMap((valid) => invoke("getEntraAssignment", { params: { objectId: valid }, trace })),
              Effect.map(value)
            )),
        upsertEntraAssignment: (options) =>
          run("upsertEntraAssignment", (trace) =>
            Arguments.upsertEntraAssignment(options).pipe(
              Effect.flatMap(([objectId, body]) =>
                invoke("upsertEntraAssignment", { params: { objectId }, body, trace })
              ),
              Effect.map(upserted)
            )),
        deleteEntraAssignment: (objectId) =>
          run("deleteEntraAssignment", (trace) =>
            Arguments.objectId(objectId).pipe(
              Effect.flatMap((valid) => invoke("deleteEntraAssignment", { params: { objectId: valid }, trace })),
              Effect.asVoid
            )),
        updateEntraAssignments: (changes) =>
          run("updateEntraAssignments", (trace) =>
            Arguments.updateEntraAssignments(changes).pipe(
              Effect.flatMap((body) => invoke("updateEntraAssignments", { body, trace })),
              Effect.map(({ value }) => value.value)
            ))
      } satisfies Service
    }
  )

/**
 * The ACS Identity client service.
 *
 * @example
 * ```ts
 * import { CommunicationIdentityClient } from "@acs-identity/sdk"
 * import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* CommunicationIdentityClient
 *   const user = yield* client.createUser()
 *   const token = yield* client.getToken(user, ["chat"], { expiresInMinutes: 60 })
 *   return { user, expiresOn: token.expiresOn } // token.token stays Redacted
 * })
 *
 * const ClientLive = CommunicationIdentityClient.fromConnectionString(
 *   Redacted.make("endpoint=https://contoso.communication.azure.com/;accesskey=c2VjcmV0")
 * ).pipe(Layer.provide(HttpClientTransport.layerFetch))
 *
 * export const runnable = Effect.provide(program, ClientLive)
 * ```
 *
 * @since 0.1.0
 * @category services
 */
export class CommunicationIdentityClient
  extends Context.Tag("@acs-identity/sdk/CommunicationIdentityClient")<CommunicationIdentityClient, Service>()
{
  /**
   * The client from options, with the transport and credential left to the caller.
   *
   * @since 0.1.0
   * @category constructors
   */
  static readonly make = (
    options: ClientOptions
  ): Effect.Effect<Service, InvalidArgumentError, Transport | RequestSigner> =>
    Effect.gen(function*() {
      return yield* makeService(options, yield* Transport, yield* RequestSigner)
    })

  /**
   * The general layer: endpoint and options here, `RequestSigner` and `Transport` from other layers.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layer = (
    options: ClientOptions
  ): Layer.Layer<CommunicationIdentityClient, InvalidArgumentError, Transport | RequestSigner> =>
    Layer.effect(CommunicationIdentityClient, CommunicationIdentityClient.make(options))

  /**
   * A client authenticated by an Entra identity: any `@azure/identity` `TokenCredential`
   * (`DefaultAzureCredential`, `ManagedIdentityCredential`, …), its tokens cached by expiry
   * (`EntraCredential`); only the `Transport` is left to provide.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layerEntra = (
    options: ClientOptions & { readonly credential: EntraCredential.TokenCredential }
  ): Layer.Layer<CommunicationIdentityClient, InvalidArgumentError, Transport> => {
    const { credential, ...client } = options
    return Layer.effect(
      CommunicationIdentityClient,
      Effect.flatMap(
        EntraCredential.fromTokenCredential(credential),
        (signer) => Effect.flatMap(Transport, (transport) => makeService(client, transport, signer))
      )
    )
  }

  /**
   * Like `layerEntra`, reading the endpoint through `Config`: `COMMUNICATION_ENDPOINT` unless the
   * `endpoint` option names another config.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layerEntraConfig = (
    credential: EntraCredential.TokenCredential,
    options?: ConnectionOptions & { readonly endpoint?: Config.Config<string> | undefined }
  ): Layer.Layer<CommunicationIdentityClient, ConfigError.ConfigError | InvalidArgumentError, Transport> =>
    Layer.unwrapEffect(
      Effect.map(options?.endpoint ?? Config.string("COMMUNICATION_ENDPOINT"), (endpoint) => {
        const { endpoint: _, ...connection } = options ?? {}
        return CommunicationIdentityClient.layerEntra({ ...connection, endpoint, credential })
      })
    )

  /**
   * A client signing with the access key of a connection string; only the `Transport` is left to provide.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly fromConnectionString = (
    connectionString: string | Redacted.Redacted<string>,
    options?: ConnectionOptions
  ): Layer.Layer<
    CommunicationIdentityClient,
    InvalidConnectionStringError | InvalidArgumentError,
    Transport
  > =>
    // One layer node (rather than an unwrapped layer providing the signer's layer): building layers is
    // most of a cold start's client construction.
    Layer.effect(
      CommunicationIdentityClient,
      Effect.gen(function*() {
        const { accessKey, endpoint } = yield* parseConnectionString(connectionString)
        const signer = yield* HmacCredential.make(accessKey)
        return yield* makeService({ ...options, endpoint }, yield* Transport, signer)
      })
    )

  /**
   * Like `fromConnectionString`, reading the connection string through `Config` as a `Redacted`:
   * `COMMUNICATION_CONNECTION_STRING` unless the `connectionString` option names another config.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layerConfig = (
    options?: ConnectionOptions & { readonly connectionString?: Config.Config<Redacted.Redacted<string>> | undefined }
  ): Layer.Layer<
    CommunicationIdentityClient,
    ConfigError.ConfigError | InvalidConnectionStringError | InvalidArgumentError,
    Transport
  > =>
    Layer.unwrapEffect(
      Effect.map(
        options?.connectionString ?? connectionStringConfig(),
        (connectionString) => {
          const { connectionString: _, ...connection } = options ?? {}
          return CommunicationIdentityClient.fromConnectionString(connectionString, connection)
        }
      )
    )
}
