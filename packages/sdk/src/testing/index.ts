/**
 * `@acs-identity/sdk/testing`: tools for testing code that uses the client, and for building mocks
 * of the service.
 *
 * @since 0.1.0
 */

/**
 * The whole client with no HTTP, and its inspectable state (`InMemoryIdentity.InMemoryIdentityState`).
 *
 * @since 0.1.0
 */
export * as InMemoryIdentity from "../InMemoryIdentity.js"

/**
 * The conformance suite any client layer can be run through.
 *
 * @since 0.1.0
 */
export * as Conformance from "./Conformance.js"

/**
 * The identity semantics shared by the in-memory layer and the stateful mock.
 *
 * @since 0.1.0
 */
export * as IdentityStore from "./IdentityStore.js"

/**
 * What the service answers to each operation, from a store: shared by the in-memory layer and the
 * stateful mock.
 *
 * @since 0.1.0
 */
export * as StoreAnswers from "./StoreAnswers.js"

/**
 * Server-side HMAC signature verification, for mocks.
 *
 * @since 0.1.0
 */
export * as SignatureVerifier from "./SignatureVerifier.js"

/**
 * Every operation of the service, defined once: what mocks route and validate by.
 *
 * @since 0.1.0
 */
export * as Operations from "../Operations.js"

/**
 * A tracer and logger that record everything a program emits as text, for tests that search it
 * (for a secret that must not be there, say).
 *
 * @since 0.1.0
 */
export * as TelemetryRecorder from "./TelemetryRecorder.js"
