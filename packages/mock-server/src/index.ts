/**
 * Mock servers for the Azure Communication Services Identity REST API.
 *
 * - {@link MockServer}: the Effect service (`MockServer.layerPrism()`, `MockServer.layerStateful()`).
 * - {@link startMockServer}: the same, as a plain promise for code without Effect.
 * - `PrismServer`, `StatefulServer`, `FrontProxy`, `Faults`, `Spec`, `DevelopmentCredentials`: the
 *   building blocks.
 *
 * @since 0.1.0
 */

/**
 * The development access key and connection-string builder used by every mock.
 *
 * @since 0.1.0
 */
export * as DevelopmentCredentials from "./DevelopmentCredentials.js"

export {
  /**
   * Starts the mock the options ask for, within a scope.
   *
   * @since 0.1.0
   * @category constructors
   */
  make,
  /**
   * Starts Prism within a scope.
   *
   * @since 0.1.0
   * @category constructors
   */
  makePrism,
  /**
   * Starts the stateful mock within a scope.
   *
   * @since 0.1.0
   * @category constructors
   */
  makeStateful,
  /**
   * The mock server service tag, with `MockServer.layerPrism(options)` and `MockServer.layerStateful(options)`.
   *
   * @since 0.1.0
   * @category services
   */
  MockServer
} from "./MockServer.js"

export type {
  /**
   * Why a mock server could not start.
   *
   * @since 0.1.0
   * @category errors
   */
  MockServerError,
  /**
   * `"prism"` or `"stateful"`.
   *
   * @since 0.1.0
   * @category models
   */
  MockServerMode,
  /**
   * Options of every mock implementation.
   *
   * @since 0.1.0
   * @category models
   */
  MockServerOptions
} from "./MockServer.js"

/**
 * Prism running in-process from the spec, as a scoped effect.
 *
 * @since 0.1.0
 */
export * as PrismServer from "./prism/PrismServer.js"

/**
 * Locating the spec the package ships.
 *
 * @since 0.1.0
 */
export * as Spec from "./Spec.js"

export {
  /**
   * Starts the mock the options ask for and resolves once it listens; `close()` stops it.
   *
   * @since 0.1.0
   * @category constructors
   */
  startMockServer
} from "./startMockServer.js"

export type {
  /**
   * A server started by `startMockServer`.
   *
   * @since 0.1.0
   * @category models
   */
  RunningMockServer
} from "./startMockServer.js"

/**
 * The stateful, signature-checking mock over the SDK's `IdentityStore`.
 *
 * @since 0.1.0
 */
export * as StatefulServer from "./stateful/StatefulServer.js"

/**
 * Fault rules and their injection, shared by both mock modes.
 *
 * @since 0.1.0
 */
export * as Faults from "./shared/Faults.js"

/**
 * The fault-injecting proxy put in front of Prism.
 *
 * @since 0.1.0
 */
export * as FrontProxy from "./prism/FrontProxy.js"
