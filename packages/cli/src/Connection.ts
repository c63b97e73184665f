/**
 * The options every command shares — where requests go, how they are signed, which api-version,
 * `--verbose` — and running an operation with the client they describe.
 *
 * Credentials, first match wins:
 * 1. `--mock`: an embedded stateful mock, started in this process for this one command;
 * 2. `--connection-string`;
 * 3. `--endpoint` with an Entra token from `--entra-token` or `ACS_IDENTITY_ENTRA_TOKEN`;
 * 4. `AZURE_COMMUNICATION_CONNECTION_STRING` (the Azure CLI's variable);
 * 5. `COMMUNICATION_CONNECTION_STRING` (the SDK's variable).
 *
 * Every secret is read as a `Redacted` and only ever handed to the signer.
 *
 * @since 0.1.0
 */
import {
  ApiVersion,
  type ClientOptions,
  CommunicationIdentityClient,
  EntraCredential,
  HmacCredential,
  type InvalidArgumentError,
  parseConnectionString,
  TokenExchange,
  type Transport
} from "@acs-identity/sdk"
import type { IdentityStore } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Output from "./Output.js"
import * as RequestLog from "./RequestLog.js"
import { MockStartError, UsageError } from "./UsageError.js"
import * as WholeNumber from "./WholeNumber.js"

/**
 * The environment variables read, in the order they are tried.
 *
 * @since 0.1.0
 * @category constants
 */
export const environment = {
  connectionStrings: ["AZURE_COMMUNICATION_CONNECTION_STRING", "COMMUNICATION_CONNECTION_STRING"],
  entraToken: "ACS_IDENTITY_ENTRA_TOKEN"
} as const

/**
 * The most `--retries` accepted.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRetries = 10

/**
 * The shared options, to spread into every command's options.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  connectionString: Options.redacted("connection-string").pipe(
    Options.withDescription(
      "endpoint=https://<resource>.communication.azure.com/;accesskey=<key>. Without it (and without --endpoint), " +
        `${environment.connectionStrings.join(", then ")} is read.`
    ),
    Options.optional
  ),
  endpoint: Options.text("endpoint").pipe(
    Options.withDescription("The resource endpoint, to authenticate with an Entra token instead of an access key."),
    Options.optional
  ),
  entraToken: Options.redacted("entra-token").pipe(
    Options.withDescription(
      `An Entra access token for ${EntraCredential.scope}, used with --endpoint. ` +
        `Prefer ${environment.entraToken}: arguments are visible to other users of the machine.`
    ),
    Options.optional
  ),
  mock: Options.boolean("mock").pipe(
    Options.withDescription("Run against an embedded stateful mock started for this command; needs no resource.")
  ),
  apiVersion: Options.choice("api-version", ApiVersion.ApiVersion.literals).pipe(
    Options.withDescription(
      `The api-version to send (default ${ApiVersion.defaultApiVersion}; ` +
        `${ApiVersion.previewApiVersion} for user show and --custom-id).`
    ),
    Options.optional
  ),
  retries: WholeNumber.option("retries", "count").pipe(
    Options.withDescription(
      `Retries after a throttled, transient or failed attempt, 0 to ${maxRetries} (default 3); 0 fails at once.`
    ),
    Options.optional
  ),
  output: Output.option,
  verbose: Options.boolean("verbose").pipe(
    Options.withDescription("Log each HTTP attempt (method, URL, status, time, request id) on stderr; never secrets.")
  )
}

/**
 * The parsed shared options.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectionArgs {
  readonly connectionString: Option.Option<Redacted.Redacted<string>>
  readonly endpoint: Option.Option<string>
  readonly entraToken: Option.Option<Redacted.Redacted<string>>
  readonly mock: boolean
  readonly apiVersion: Option.Option<ApiVersion.ApiVersion>
  readonly retries: Option.Option<number>
  readonly output: Output.Format
  readonly verbose: boolean
}

/**
 * What a command needs from the connection beyond the shared options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Requirements {
  /** The operation needs the preview api-version; it is sent unless `--api-version` says otherwise. */
  readonly preview?: boolean
  /** With `--mock`: a Teams user's Entra token the embedded mock accepts for the exchange. */
  readonly mockTeamsToken?: IdentityStore.TeamsTokenRegistration
  /** The command authenticates with the end user's token: `--endpoint` alone will do. */
  readonly endpointOnly?: boolean
}

type Credentials =
  | { readonly _tag: "Mock" }
  | { readonly _tag: "ConnectionString"; readonly value: Redacted.Redacted<string>; readonly from: string }
  | { readonly _tag: "Entra"; readonly endpoint: string; readonly token: Redacted.Redacted<string> }
  | { readonly _tag: "Endpoint"; readonly endpoint: string }

/** A variable's value; an empty one counts as unset. */
const fromEnvironment = (name: string) =>
  Config.option(Config.redacted(name)).pipe(
    Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>()),
    Effect.map(Option.filter((value) => Redacted.value(value).length > 0))
  )

const missing = `no credentials: give --connection-string, set ${
  environment.connectionStrings.join(" or ")
}, use --endpoint with --entra-token (or ${environment.entraToken}), or try --mock`

/** Picks the credentials from the options and the environment, rejecting contradictory combinations. */
const credentials = (args: ConnectionArgs, requirements: Requirements): Effect.Effect<Credentials, UsageError> =>
  Effect.gen(function*() {
    const given = [
      Option.isSome(args.connectionString) ? "--connection-string" : undefined,
      Option.isSome(args.endpoint) ? "--endpoint" : undefined,
      Option.isSome(args.entraToken) ? "--entra-token" : undefined
    ].filter((flag) => flag !== undefined)
    if (args.mock) {
      if (given.length > 0) {
        return yield* new UsageError({ message: `--mock cannot be combined with ${given.join(", ")}` })
      }
      return { _tag: "Mock" } as const
    }
    if (Option.isSome(args.connectionString)) {
      if (given.length > 1) {
        return yield* new UsageError({
          message: `--connection-string cannot be combined with ${given.slice(1).join(", ")}`
        })
      }
      return { _tag: "ConnectionString", value: args.connectionString.value, from: "--connection-string" } as const
    }
    if (Option.isSome(args.endpoint)) {
      if (requirements.endpointOnly === true) return { _tag: "Endpoint", endpoint: args.endpoint.value } as const
      const token = Option.isSome(args.entraToken) ? args.entraToken : yield* fromEnvironment(environment.entraToken)
      if (Option.isNone(token)) {
        return yield* new UsageError({
          message: `--endpoint needs an Entra token: give --entra-token or set ${environment.entraToken}`
        })
      }
      return { _tag: "Entra", endpoint: args.endpoint.value, token: token.value } as const
    }
    if (Option.isSome(args.entraToken)) return yield* new UsageError({ message: "--entra-token needs --endpoint" })
    for (const name of environment.connectionStrings) {
      const value = yield* fromEnvironment(name)
      if (Option.isSome(value)) return { _tag: "ConnectionString", value: value.value, from: name } as const
    }
    return yield* new UsageError({ message: missing })
  })

/** What the client is built with besides the endpoint and the credential. */
type Settings = Omit<ClientOptions, "endpoint">

const settings = (args: ConnectionArgs, requirements: Requirements): Effect.Effect<Settings, UsageError> => {
  const apiVersion = Option.getOrUndefined(args.apiVersion) ??
    (requirements.preview === true ? ApiVersion.previewApiVersion : undefined)
  const retries = Option.getOrUndefined(args.retries)
  if (retries !== undefined && !(retries >= 0 && retries <= maxRetries)) {
    return Effect.fail(new UsageError({ message: `--retries must be an integer from 0 to ${maxRetries}` }))
  }
  return Effect.succeed({
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(retries === undefined ? {} : { policy: { maxRetries: retries } })
  })
}

const withAccessKey = (connectionString: Redacted.Redacted<string>, from: string, options: Settings) =>
  Effect.map(
    Effect.mapError(
      parseConnectionString(connectionString),
      (error) => new UsageError({ message: `invalid connection string from ${from}: ${error.message}` })
    ),
    ({ accessKey, endpoint }) =>
      CommunicationIdentityClient.layer({ ...options, endpoint }).pipe(
        Layer.provide(HmacCredential.layer(accessKey))
      )
  )

/** Starts the stateful mock for the scope; its module (and the mock server's) is loaded only here. */
const startMock = (requirements: Requirements) =>
  Effect.gen(function*() {
    const { StatefulServer } = yield* Effect.promise(() => import("@acs-identity/mock-server"))
    return yield* StatefulServer.make({
      ...(requirements.mockTeamsToken === undefined ? {} : { teamsTokens: [requirements.mockTeamsToken] })
    }).pipe(Effect.mapError((error) => new MockStartError({ message: error.message })))
  })

const describeCredentials = (chosen: Credentials): string => {
  switch (chosen._tag) {
    case "Mock":
      return "--mock"
    case "ConnectionString":
      return chosen.from
    case "Entra":
      return "--endpoint and an Entra token"
    case "Endpoint":
      return "--endpoint (the user's token authenticates)"
  }
}

/** Resolves the settings and credentials, logging the choice with `--verbose`. */
const resolve = (args: ConnectionArgs, requirements: Requirements) =>
  Effect.gen(function*() {
    const options = yield* settings(args, requirements)
    const chosen = yield* credentials(args, requirements)
    if (args.verbose) {
      yield* Console.error(
        `credentials from ${describeCredentials(chosen)}, api-version ${
          options.apiVersion ?? ApiVersion.defaultApiVersion
        }`
      )
    }
    return { options, chosen }
  })

const transport = (verbose: boolean): Layer.Layer<Transport.Transport> =>
  verbose ? RequestLog.layer.pipe(Layer.provide(NodeTransport.layer)) : NodeTransport.layer

/**
 * The client layer the options describe. With `--mock` the mock server lives as long as the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const clientLayer = (
  args: ConnectionArgs,
  requirements: Requirements = {}
): Layer.Layer<CommunicationIdentityClient, UsageError | MockStartError | InvalidArgumentError> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const { chosen, options } = yield* resolve(args, requirements)
    const client = chosen._tag === "Mock"
      ? yield* withAccessKey((yield* startMock(requirements)).connectionString, "--mock", options)
      : chosen._tag === "ConnectionString"
      ? yield* withAccessKey(chosen.value, chosen.from, options)
      : chosen._tag === "Entra"
      ? CommunicationIdentityClient.layer({ ...options, endpoint: chosen.endpoint }).pipe(
        Layer.provide(EntraCredential.layer(Effect.succeed(chosen.token)))
      )
      : yield* new UsageError({
        message: `this command signs its requests: --endpoint needs --entra-token or ${environment.entraToken}`
      })
    return client.pipe(Layer.provide(transport(args.verbose)))
  }))

/**
 * Runs an operation with the client the options describe and prints its result in the chosen
 * format; an operation returning `undefined` prints nothing.
 *
 * @since 0.1.0
 * @category running
 */
export const withClient = <E>(
  args: ConnectionArgs,
  operation: (client: CommunicationIdentityClient["Type"]) => Effect.Effect<Output.Printable | undefined, E>,
  requirements?: Requirements
): Effect.Effect<void, E | UsageError | MockStartError | InvalidArgumentError> =>
  Effect.flatMap(CommunicationIdentityClient, operation).pipe(
    Effect.provide(clientLayer(args, requirements)),
    Effect.flatMap((result) => {
      const text = result === undefined ? undefined : Output.render(args.output, result)
      return text === undefined ? Effect.void : Console.log(text)
    })
  )

/** The endpoint the credentials point at: the mock's, the connection string's or `--endpoint`. */
const endpointOf = (chosen: Credentials, requirements: Requirements) =>
  Effect.gen(function*() {
    switch (chosen._tag) {
      case "Mock":
        return (yield* startMock(requirements)).url
      case "ConnectionString":
        return (yield* Effect.mapError(
          parseConnectionString(chosen.value),
          (error) => new UsageError({ message: `invalid connection string from ${chosen.from}: ${error.message}` })
        )).endpoint
      case "Entra":
      case "Endpoint":
        return chosen.endpoint
    }
  })

/**
 * Runs an exchange authenticated by the end user's own Entra token and prints its result. Only an
 * endpoint is needed — from `--endpoint` alone, a connection string (whose key is not used) or
 * `--mock` — since no request is signed with a resource credential.
 *
 * @since 0.1.0
 * @category running
 */
export const withTokenExchange = <E>(
  args: ConnectionArgs,
  operation: (exchange: TokenExchange.TokenExchange) => Effect.Effect<Output.Printable, E>
): Effect.Effect<void, E | UsageError | MockStartError | InvalidArgumentError> =>
  Effect.gen(function*() {
    const { chosen, options } = yield* resolve(args, { endpointOnly: true })
    const endpoint = yield* endpointOf(chosen, {})
    const exchange = yield* TokenExchange.make({ ...options, endpoint })
    const text = Output.render(args.output, yield* operation(exchange))
    if (text !== undefined) yield* Console.log(text)
  }).pipe(Effect.scoped, Effect.provide(transport(args.verbose)))
