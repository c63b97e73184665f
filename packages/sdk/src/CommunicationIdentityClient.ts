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
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

import type { ApiVersion } from "./ApiVersion.js"
import { connectionStringConfig, parseConnectionString } from "./ConnectionString.js"
import * as EntraCredential from "./EntraCredential.js"
import type { InvalidConnectionStringError } from "./Errors.js"
import type { InvalidArgumentError } from "./Errors.js"
import * as HmacCredential from "./HmacCredential.js"
import { makeClient, type Service } from "./internal/client.js"
import { makeInvoke } from "./internal/pipeline.js"
import { resolveTarget } from "./internal/settings.js"
import { readOptions } from "./internal/validate.js"
import type { RequestPolicy } from "./RequestPolicy.js"
import { RequestSigner } from "./RequestSigner.js"
import { type Service as TransportService, Transport } from "./Transport.js"

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

export type {
  /**
   * The operations of the client. An operation the client's api-version lacks fails with
   * `InvalidArgumentError` (argument `apiVersion`) without a request.
   *
   * @since 0.1.0
   * @category models
   */
  Service
} from "./internal/client.js"

/** Builds the client from a transport and a signer (checked in place: no effect steps to start). */
const makeService = (
  options: unknown,
  transport: TransportService,
  signer: RequestSigner["Type"],
  endpoint?: URL
): Either.Either<Service, InvalidArgumentError> =>
  Either.map(
    resolveTarget(options, endpoint),
    (target) => makeClient(target.apiVersion, target.endpoint, makeInvoke(target, transport, signer))
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
  ): Layer.Layer<CommunicationIdentityClient, InvalidArgumentError, Transport> =>
    Layer.effect(
      CommunicationIdentityClient,
      Effect.flatMap(readOptions(options, "options", ["credential"]), ({ credential }) =>
        Effect.flatMap(
          EntraCredential.fromTokenCredential(credential as EntraCredential.TokenCredential),
          (signer) => Effect.flatMap(Transport, (transport) => makeService(options, transport, signer))
        ))
    )

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
      Effect.flatMap(parseConnectionString(connectionString), ({ accessKey, endpoint }) =>
        Effect.flatMap(
          HmacCredential.make(accessKey),
          (signer) => Effect.flatMap(Transport, (transport) => makeService(options, transport, signer, endpoint))
        ))
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
