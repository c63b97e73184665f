/**
 * `@acs-identity/sdk`: the Azure Communication Services Identity API for Effect.
 *
 * @since 0.1.0
 */

/** The api-versions this SDK speaks. */
export * as ApiVersion from "./ApiVersion.js"
/** The client service, its operations and layers. */
export * from "./CommunicationIdentityClient.js"
/** Connection-string parsing. */
export * from "./ConnectionString.js"
/** Entra ID bearer-token credential. */
export * as EntraCredential from "./EntraCredential.js"
/** Typed errors. */
export * from "./Errors.js"
/** HMAC-SHA256 access-key credential. */
export * as HmacCredential from "./HmacCredential.js"
/** Communication identifiers and raw ids. */
export * from "./Identifier.js"
/** Argument and result models. */
export * from "./Models.js"
/** The signer port. */
export * from "./RequestSigner.js"
/** Package name and version. */
export * from "./Version.js"
/** Every operation of the service, defined once. */
export * as Operations from "./Operations.js"
/** The two Entra-token exchanges, usable with only an `HttpClient`. */
export * as TokenExchange from "./TokenExchange.js"
/** Retries, timeouts and per-call overrides. */
export * from "./RequestPolicy.js"
/** The client with no HTTP, for unit tests, and its inspectable state. */
export * as InMemoryIdentity from "./InMemoryIdentity.js"
/** The identity semantics shared by the in-memory layer and the stateful mock. */
export * as IdentityStore from "./testing/IdentityStore.js"
/** Server-side HMAC signature verification, for mocks. */
export * as SignatureVerifier from "./testing/SignatureVerifier.js"
/** The conformance suite any client layer can be run through. */
export * as Conformance from "./testing/Conformance.js"
