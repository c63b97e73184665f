/**
 * `@acs-identity/sdk`: the Azure Communication Services Identity API for Effect. The package root
 * holds what applications use; test tools are in `@acs-identity/sdk/testing`.
 *
 * @since 0.1.0
 */

/**
 * The api-versions this SDK speaks.
 *
 * @since 0.1.0
 */
export * as ApiVersion from "./ApiVersion.js"

export {
  /**
   * How to reach the service.
   *
   * @since 0.1.0
   * @category models
   */
  type ClientOptions,
  /**
   * The client service, its operations and layers.
   *
   * @since 0.1.0
   * @category client
   */
  CommunicationIdentityClient,
  /**
   * Options for the connection-string and `Config` layers.
   *
   * @since 0.1.0
   * @category models
   */
  type ConnectionOptions
} from "./CommunicationIdentityClient.js"

export {
  /**
   * The connection string through `Config`; a missing one says it is not set and how to set it.
   *
   * @since 0.1.0
   * @category config
   */
  connectionStringConfig,
  /**
   * The config a connection string is read from when none is named.
   *
   * @since 0.1.0
   * @category config
   */
  defaultConnectionStringVariable,
  /**
   * Parses `endpoint=…;accesskey=…`.
   *
   * @since 0.1.0
   * @category parsing
   */
  parseConnectionString,
  /**
   * What a connection string holds.
   *
   * @since 0.1.0
   * @category models
   */
  type ParsedConnectionString
} from "./ConnectionString.js"

/**
 * Entra ID bearer-token credential.
 *
 * @since 0.1.0
 */
export * as EntraCredential from "./EntraCredential.js"

/**
 * Typed errors.
 *
 * @since 0.1.0
 */
export * from "./Errors.js"

/**
 * HMAC-SHA256 access-key credential.
 *
 * @since 0.1.0
 */
export * as HmacCredential from "./HmacCredential.js"

/**
 * Communication identifiers and raw ids.
 *
 * @since 0.1.0
 */
export * from "./Identifier.js"

/**
 * The values operations take and return: tokens, users, assignments and their options, and the
 * schemas that check them.
 *
 * @since 0.1.0
 */
export * from "./Models.js"

/**
 * The signer port.
 *
 * @since 0.1.0
 */
export * from "./RequestSigner.js"

/**
 * The transport contract the client sends through, and the adapter of any `@effect/platform`
 * `HttpClient` to it (`@acs-identity/transport-node` implements it over `node:http`).
 *
 * @since 0.1.0
 */
export * as Transport from "./Transport.js"

export {
  /**
   * The package name.
   *
   * @since 0.1.0
   * @category constants
   */
  packageName,
  /**
   * The package version.
   *
   * @since 0.1.0
   * @category constants
   */
  packageVersion
} from "./Version.js"

/**
 * The client's metrics, span attribute names and trace-context switch.
 *
 * @since 0.1.0
 */
export * as Telemetry from "./Telemetry.js"

/**
 * The two Entra-token exchanges, usable with only a `Transport` (no resource credential).
 *
 * @since 0.1.0
 */
export * as TokenExchange from "./TokenExchange.js"

export {
  /**
   * The default retries and timeouts.
   *
   * @since 0.1.0
   * @category constants
   */
  defaultRequestPolicy,
  /**
   * Retry and timeout settings.
   *
   * @since 0.1.0
   * @category models
   */
  type RequestPolicy,
  /**
   * Overrides the policy for the calls an effect makes.
   *
   * @since 0.1.0
   * @category combinators
   */
  withRequestPolicy
} from "./RequestPolicy.js"
