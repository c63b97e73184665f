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
  type UserOperationError
} from "./Errors.js"
import * as HmacCredential from "./HmacCredential.js"
import type { CommunicationUserIdentifier } from "./Identifier.js"
import { makeClient } from "./internal/client.js"
import { resolveEndpoint } from "./internal/endpoint.js"
import type { ListOptions } from "./internal/paging.js"
import { makeInvoke, resolveUserAgent } from "./internal/pipeline.js"
import {
  type AccessToken,
  type CommunicationUserDetails,
  type CommunicationUserToken,
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
 * Builds the client from a transport and a signer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeService = (
  options: ClientOptions,
  transport: TransportService,
  signer: RequestSigner["Type"]
): Effect.Effect<Service, InvalidArgumentError> =>
  Effect.map(
    Effect.all([
      resolveEndpoint(options),
      checkApiVersion(options),
      resolveRequestPolicy(options.policy),
      resolveUserAgent(options.userAgentPrefix)
    ]),
    ([endpoint, apiVersion, policy, userAgent]) =>
      makeClient(apiVersion, endpoint, makeInvoke({ endpoint, apiVersion, policy, userAgent }, transport, signer))
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
