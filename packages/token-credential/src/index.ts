/**
 * `@acs-identity/token-credential`: the credential ACS client apps (chat, calling) use to keep a
 * valid user token, for Effect. Holds no resource-key machinery.
 *
 * @since 0.1.0
 */

/**
 * The token a credential hands out, and how its expiry is read.
 *
 * @since 0.1.0
 */
export * from "./AccessToken.js"
/**
 * The credential service and its static and refreshing layers.
 *
 * @since 0.1.0
 */
export * from "./CommunicationTokenCredential.js"
/**
 * The credential's error.
 *
 * @since 0.1.0
 */
export * from "./CredentialError.js"
/**
 * A credential that exchanges the user's Entra token for an ACS token.
 *
 * @since 0.1.0
 */
export * as EntraExchange from "./EntraExchange.js"
/**
 * A drop-in for the official `CommunicationTokenCredential` interface.
 *
 * @since 0.1.0
 */
export * as OfficialCredential from "./OfficialCredential.js"
