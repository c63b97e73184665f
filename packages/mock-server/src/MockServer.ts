/**
 * The mock ACS Identity service as an Effect service: where it listens and how to connect.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as DevelopmentCredentials from "./DevelopmentCredentials.js"
import * as FrontProxy from "./prism/FrontProxy.js"
import * as PrismServer from "./prism/PrismServer.js"
import type * as Faults from "./shared/Faults.js"
import type * as Spec from "./Spec.js"
import * as StatefulServer from "./stateful/StatefulServer.js"

/**
 * Which implementation answers: Prism (spec-driven, stateless) or the stateful mock.
 *
 * @since 0.1.0
 * @category models
 */
export type MockServerMode = "prism" | "stateful"

/**
 * Options of {@link make}, {@link makePrism} and `MockServer.layerPrism`: the shared ones, Prism's
 * `dynamic`, and the `stateful` switch that {@link make} dispatches on. With `stateful: true`,
 * {@link make} passes only `port`, `host`, `faults` and `seed` on to the stateful mock; for its other
 * options use {@link makeStateful} or `MockServer.layerStateful`.
 *
 * @since 0.1.0
 * @category models
 */
export interface MockServerOptions {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** Prism only: generate response bodies from the schemas instead of the named examples. */
  readonly dynamic?: boolean | undefined
  /** Serve the stateful, signature-checking mock instead of Prism. */
  readonly stateful?: boolean | undefined
  /**
   * Fault rules. The stateful mock applies them itself; for Prism, giving this option (even `[]`)
   * turns on the front proxy's faults and its `/__control/faults`.
   */
  readonly faults?: ReadonlyArray<Faults.FaultRule> | undefined
  /** Seed of the stateful mock's ids and of probabilistic faults, so a run can be replayed. */
  readonly seed?: string | number | undefined
  /** Answer CORS preflights and send CORS headers for any origin; default `true`. */
  readonly cors?: boolean | undefined
}

/**
 * Why a mock server could not start.
 *
 * @since 0.1.0
 * @category errors
 */
export type MockServerError =
  | PrismServer.PrismStartError
  | Spec.SpecNotFoundError
  | StatefulServer.StatefulServerError

/**
 * Types belonging to the {@link MockServer} tag.
 *
 * @since 0.1.0
 * @category models
 */
export declare namespace MockServer {
  /**
   * A running mock server.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
    readonly url: string
    /** `endpoint=<url>/;accesskey=<development key>`, ready for any ACS client. */
    readonly connectionString: Redacted.Redacted<string>
    /** Which implementation answers. */
    readonly mode: MockServerMode
  }
}

/**
 * A running mock of the ACS Identity REST API, available for the lifetime of its layer.
 *
 * @since 0.1.0
 * @category services
 */
export class MockServer extends Context.Tag("@acs-identity/mock-server/MockServer")<MockServer, MockServer.Service>() {
  /**
   * Prism serving `spec/communication-identity.yaml`, behind a front proxy that makes its answer to
   * an invalid request name the violation and, when `faults` is given, injects faults (see
   * {@link makePrism}); stopped when the layer is released.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layerPrism = (options?: MockServerOptions): Layer.Layer<MockServer, MockServerError> =>
    Layer.scoped(MockServer, makePrism(options))

  /**
   * The stateful mock (see `StatefulServer`), taking every `StatefulServerOptions` option;
   * stopped when the layer is released.
   *
   * @since 0.1.0
   * @category layers
   */
  static readonly layerStateful = (
    options?: StatefulServer.StatefulServerOptions
  ): Layer.Layer<MockServer, MockServerError> => Layer.scoped(MockServer, makeStateful(options))
}

/**
 * Starts Prism in this process for the lifetime of the scope, on a free loopback-side port, behind
 * the front proxy (`FrontProxy`) listening on the requested one. The proxy makes Prism's answer to a
 * request that breaks the spec name the violation (Prism alone serves the first documented `400`
 * example whatever the request got wrong); with `faults` given (even `[]`) it also injects faults and
 * serves `/__control/faults`. CORS stays Prism's own unless faults are on.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePrism = (
  options: MockServerOptions = {}
): Effect.Effect<MockServer.Service, MockServerError, Scope.Scope> =>
  Effect.gen(function*() {
    const withFaults = options.faults !== undefined
    const prism = yield* PrismServer.start({
      port: 0,
      host: options.host,
      dynamic: options.dynamic,
      cors: withFaults ? false : options.cors
    })
    const front = yield* FrontProxy.make({
      upstream: prism.url,
      port: options.port,
      host: options.host,
      faults: options.faults ?? [],
      seed: options.seed,
      cors: withFaults ? options.cors : false,
      control: withFaults
    }).pipe(Effect.mapError((error) => new PrismServer.PrismStartError({ reason: "Listen", cause: error.cause })))
    return {
      url: front.url,
      connectionString: Redacted.make(DevelopmentCredentials.connectionStringFor(front.url)),
      mode: "prism"
    } satisfies MockServer.Service
  })

/**
 * Starts the stateful mock for the lifetime of the scope, with any `StatefulMockServer` option.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStateful = (
  options: StatefulServer.StatefulServerOptions = {}
): Effect.Effect<MockServer.Service, MockServerError, Scope.Scope> =>
  Effect.map(
    StatefulServer.make(options),
    (server): MockServer.Service => ({ url: server.url, connectionString: server.connectionString, mode: "stateful" })
  )

/**
 * Starts the mock the options ask for (`stateful: true` or Prism), for the lifetime of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: MockServerOptions = {}
): Effect.Effect<MockServer.Service, MockServerError, Scope.Scope> =>
  options.stateful === true
    ? makeStateful({
      port: options.port,
      host: options.host,
      faults: options.faults,
      seed: options.seed,
      cors: options.cors
    })
    : makePrism(options)
