/**
 * Mock servers for the Azure Communication Services Identity REST API.
 *
 * - {@link MockServer}: the Effect service (`MockServer.layerPrism()`).
 * - {@link startMockServer}: the same, as a plain promise for code without Effect.
 * - `PrismServer`, `Spec`, `DevelopmentCredentials`: the building blocks.
 *
 * @module
 */

/** The development access key and connection-string builder used by every mock. */
export * as DevelopmentCredentials from "./DevelopmentCredentials.js"

export {
  /** Starts the mock the options ask for, within a scope. */
  make,
  /** Starts Prism within a scope. */
  makePrism,
  /** Starts the stateful mock within a scope. */
  makeStateful,
  /** The mock server service tag, with `MockServer.layerPrism(options)`. */
  MockServer
} from "./MockServer.js"

export type {
  /** Why a mock server could not start. */
  MockServerError,
  /** `"prism"` or `"stateful"`. */
  MockServerMode,
  /** Options of every mock implementation. */
  MockServerOptions
} from "./MockServer.js"

/** Prism running in-process from the spec, as a scoped effect. */
export * as PrismServer from "./PrismServer.js"

/** Locating the spec file. */
export * as Spec from "./Spec.js"

export {
  /** Promise-based start/stop. */
  startMockServer
} from "./startMockServer.js"

export type {
  /** A server started by `startMockServer`. */
  RunningMockServer
} from "./startMockServer.js"

/** The stateful, signature-checking mock over the SDK's `IdentityStore`. */
export * as StatefulServer from "./stateful/StatefulServer.js"

/** Fault rules and their injection, shared by both mock modes. */
export * as Faults from "./stateful/Faults.js"

/** The fault-injecting proxy put in front of Prism. */
export * as FaultProxy from "./stateful/FaultProxy.js"
