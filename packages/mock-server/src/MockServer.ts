/**
 * The mock ACS Identity service as an Effect service: where it listens and how to connect.
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as DevelopmentCredentials from "./DevelopmentCredentials.js"
import * as PrismServer from "./PrismServer.js"
import type * as Spec from "./Spec.js"

/** Which implementation answers: Prism (spec-driven, stateless) or the stateful mock. */
export type MockServerMode = "prism" | "stateful"

/**
 * Options shared by every mock implementation. Mode-specific options sit beside the shared ones
 * (today only Prism's `dynamic`); a later `stateful` switch and its fault options are added here
 * and dispatched in {@link make}.
 */
export interface MockServerOptions {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1`. */
  readonly host?: string | undefined
  /** Prism only: generate response bodies from the schemas instead of the named examples. */
  readonly dynamic?: boolean | undefined
}

/** Why a mock server could not start. */
export type MockServerError = PrismServer.PrismStartError | Spec.SpecNotFoundError

/** Types belonging to the {@link MockServer} tag. */
export declare namespace MockServer {
  /** A running mock server. */
  export interface Service {
    /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
    readonly url: string
    /** `endpoint=<url>/;accesskey=<development key>`, ready for any ACS client. */
    readonly connectionString: Redacted.Redacted<string>
    /** Which implementation answers. */
    readonly mode: MockServerMode
  }
}

/** A running mock of the ACS Identity REST API, available for the lifetime of its layer. */
export class MockServer extends Context.Tag("@acs-identity/mock-server/MockServer")<MockServer, MockServer.Service>() {
  /** Prism serving `spec/communication-identity.yaml`; stopped when the layer is released. */
  static readonly layerPrism = (options?: MockServerOptions): Layer.Layer<MockServer, MockServerError> =>
    Layer.scoped(MockServer, makePrism(options))
}

/** Starts Prism in this process for the lifetime of the scope. */
export const makePrism = (
  options: MockServerOptions = {}
): Effect.Effect<MockServer.Service, MockServerError, Scope.Scope> =>
  Effect.map(
    PrismServer.start({ port: options.port, host: options.host, dynamic: options.dynamic }),
    (prism): MockServer.Service => ({
      url: prism.url,
      connectionString: Redacted.make(DevelopmentCredentials.connectionStringFor(prism.url)),
      mode: "prism"
    })
  )

/** Starts the mock the options ask for, for the lifetime of the scope (today always Prism). */
export const make = (
  options: MockServerOptions = {}
): Effect.Effect<MockServer.Service, MockServerError, Scope.Scope> => makePrism(options)
