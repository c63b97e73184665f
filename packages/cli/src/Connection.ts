/**
 * The options every command shares — where requests go, how they are signed, which api-version,
 * `--verbose` — and running an operation with the client they describe.
 *
 * Credentials, first match wins:
 * 1. `--mock`: an embedded stateful mock, started in this process for this one command (`mock start`
 *    serves one for many);
 * 2. `--connection-string`;
 * 3. `--endpoint` with `--auth-mode login`: `DefaultAzureCredential` from `@azure/identity` (an
 *    optional peer: environment, workload or managed identity, Azure CLI sign-in…);
 *    or `--endpoint` with an Entra token from `--entra-token` or `ACS_IDENTITY_ENTRA_TOKEN`;
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
  Transport
} from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as EmbeddedMock from "./EmbeddedMock.js"
import * as Flag from "./Flag.js"
import * as Output from "./Output.js"
import * as RequestLog from "./RequestLog.js"
import * as Stderr from "./Stderr.js"
import type { MockStartError } from "./UsageError.js"
import { UsageError } from "./UsageError.js"

/**
 * The environment variables read, in the order they are tried.
 *
 * @since 0.1.0
 * @category constants
 */
export const environment = {
  connectionStrings: ["AZURE_COMMUNICATION_CONNECTION_STRING", "COMMUNICATION_CONNECTION_STRING"],
  entraToken: "ACS_IDENTITY_ENTRA_TOKEN",
  /** As the official client reads them: `HTTPS_PROXY`, else `ALL_PROXY`, else `HTTP_PROXY`. */
  proxies: ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"],
  noProxy: ["NO_PROXY", "no_proxy"]
} as const

/**
 * The most `--retries` accepted.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRetries = 10

/**
 * The values of `--auth-mode`, as `az` spells them: `key` signs with the access key, `login` with
 * an Entra sign-in.
 *
 * @since 0.1.0
 * @category constants
 */
export const authModes = ["key", "login"] as const

/**
 * The shared options, to spread into every command's flags.
 *
 * @since 0.1.0
 * @category options
 */
export const flags = {
  connectionString: Flag.global(Flag.optional(Flag.secret("connection-string", {
    pseudo: "connection-string",
    accepts: "endpoint=https://<resource>.communication.azure.com/;accesskey=<key>",
    description:
      "The resource's connection string, endpoint=https://<resource>.communication.azure.com/;accesskey=<key>. " +
      `Without it (and without --endpoint), ${environment.connectionStrings.join(", then ")} is read.`
  }))),
  endpoint: Flag.global(Flag.optional(Flag.id("endpoint", {
    pseudo: "url",
    accepts: "a URL without whitespace or control characters",
    description: "The resource endpoint, to authenticate with an Entra token instead of an access key."
  }))),
  entraToken: Flag.global(Flag.optional(Flag.secret("entra-token", {
    pseudo: "token",
    description: `An Entra access token for ${EntraCredential.scope}, used with --endpoint. ` +
      `Prefer ${environment.entraToken}: arguments are visible to other users of the machine.`
  }))),
  authMode: Flag.global(Flag.optional(Flag.choice("auth-mode", authModes, {
    pseudo: "mode",
    description: "key (default): the access key of a connection string; login: an Entra sign-in through " +
      "@azure/identity's DefaultAzureCredential (install @azure/identity), with --endpoint."
  }))),
  mock: Flag.global(
    Flag.toggle("mock", "Run against an embedded stateful mock started for this command alone; needs no resource.")
  ),
  apiVersion: Flag.global(Flag.optional(Flag.choice("api-version", ApiVersion.ApiVersion.literals, {
    pseudo: "version",
    description: `The api-version to send (default ${ApiVersion.defaultApiVersion}; ` +
      `${ApiVersion.previewApiVersion} for user show, --custom-id and entra).`
  }))),
  retries: Flag.global(Flag.optional(Flag.whole("retries", {
    pseudo: "count",
    min: 0,
    max: maxRetries,
    description: "Retries after a throttled, transient or failed attempt (default 3); 0 fails at once."
  }))),
  output: Output.option,
  query: Output.query,
  verbose: Flag.global(
    Flag.toggle(
      "verbose",
      "Log each HTTP attempt (method, URL, status, time, request id) on stderr; never secrets. " +
        "With mock start: each request the mock serves."
    )
  )
}

/**
 * The parsed shared options.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionArgs = Flag.Parsed<typeof flags>

/**
 * The specs of the shared options, as `Argv` accepts them before a command's name.
 *
 * @since 0.1.0
 * @category options
 */
export const globals: ReadonlyArray<Flag.Spec> = Object.values(flags).map((flag) => flag.spec)

/**
 * What a command needs from the connection beyond the shared options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Requirements {
  /**
   * The operation needs the preview api-version; it is sent unless `--api-version` says otherwise
   * (`Argv` refuses one that lacks the command).
   */
  readonly preview?: boolean
  /** With `--mock`: a Teams user's Entra token the embedded mock accepts for the exchange. */
  readonly mockTeamsToken?: EmbeddedMock.TeamsToken
  /** The command authenticates with the end user's token: `--endpoint` alone will do. */
  readonly endpointOnly?: boolean
}

type Credentials =
  | { readonly _tag: "Mock" }
  | { readonly _tag: "ConnectionString"; readonly value: Redacted.Redacted<string>; readonly from: string }
  | { readonly _tag: "Entra"; readonly endpoint: string; readonly token: Redacted.Redacted<string> }
  | { readonly _tag: "Login"; readonly endpoint: string }
  | { readonly _tag: "Endpoint"; readonly endpoint: string }

/** A variable's value; an empty one counts as unset. */
const fromEnvironment = (name: string) =>
  Config.option(Config.redacted(name)).pipe(
    Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>()),
    Effect.map(Option.filter((value) => Redacted.value(value).length > 0))
  )

/** The first of `names` that is set, with its name. */
const firstFromEnvironment = (names: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    for (const name of names) {
      const value = yield* fromEnvironment(name)
      if (Option.isSome(value)) return Option.some({ name, value: value.value })
    }
    return Option.none()
  })

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
    const login = Option.getOrUndefined(args.authMode) === "login"
    if (login) {
      if (args.mock) return yield* new UsageError({ message: "--auth-mode login cannot be combined with --mock" })
      const other = given.filter((flag) => flag !== "--endpoint")
      if (other.length > 0) {
        return yield* new UsageError({ message: `--auth-mode login cannot be combined with ${other.join(", ")}` })
      }
      if (Option.isNone(args.endpoint)) {
        return yield* new UsageError({ message: "--auth-mode login needs --endpoint <url> (the resource endpoint)" })
      }
      return { _tag: "Login", endpoint: args.endpoint.value } as const
    }
    if (Option.isSome(args.authMode) && (Option.isSome(args.endpoint) || Option.isSome(args.entraToken))) {
      return yield* new UsageError({
        message: "--auth-mode key signs with a connection string's access key: drop --endpoint and --entra-token"
      })
    }
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
    const found = yield* firstFromEnvironment(environment.connectionStrings)
    if (Option.isNone(found)) return yield* new UsageError({ message: missing })
    return { _tag: "ConnectionString", value: found.value.value, from: found.value.name } as const
  })

/** The shape of `@azure/identity` this command uses. */
interface AzureIdentity {
  readonly DefaultAzureCredential: new() => EntraCredential.TokenCredential
}

/**
 * `@azure/identity`'s `DefaultAzureCredential`, imported when `--auth-mode login` asks for it: the
 * package is an optional peer, so a missing one is a usage error saying how to install it.
 */
const defaultAzureCredential: Effect.Effect<EntraCredential.TokenCredential, UsageError> = Effect.tryPromise({
  try: () => import("@azure/identity" as string) as Promise<AzureIdentity>,
  catch: () =>
    new UsageError({
      message: "--auth-mode login needs @azure/identity: install it next to acs-identity (npm install @azure/identity)"
    })
}).pipe(Effect.map((identity) => new identity.DefaultAzureCredential()))

/** What the client is built with besides the endpoint and the credential. */
type Settings = Omit<ClientOptions, "endpoint">

/** The client's settings; `Argv` has checked the values (`--retries` from 0 to {@link maxRetries}). */
const settings = (args: ConnectionArgs, requirements: Requirements): Settings => {
  const apiVersion = Option.getOrUndefined(args.apiVersion) ??
    (requirements.preview === true ? ApiVersion.previewApiVersion : undefined)
  const retries = Option.getOrUndefined(args.retries)
  return {
    ...(apiVersion === undefined ? {} : { apiVersion }),
    ...(retries === undefined ? {} : { policy: { maxRetries: retries } })
  }
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

const describeCredentials = (chosen: Credentials): string => {
  switch (chosen._tag) {
    case "Mock":
      return "--mock"
    case "ConnectionString":
      return chosen.from
    case "Entra":
      return "--endpoint and an Entra token"
    case "Login":
      return "--auth-mode login (DefaultAzureCredential)"
    case "Endpoint":
      return "--endpoint (the user's token authenticates)"
  }
}

/** Resolves the settings and credentials, logging the choice (and the api-version sent) with `--verbose`. */
const resolve = (args: ConnectionArgs, requirements: Requirements) =>
  Effect.gen(function*() {
    const options = settings(args, requirements)
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

/**
 * Whether a request has left, so that an interruption can say whether it may have taken effect.
 *
 * @since 0.1.0
 * @category models
 */
export type Sent = Ref.Ref<boolean>

/**
 * The proxy of `HTTPS_PROXY`, `ALL_PROXY` or `HTTP_PROXY` (each also in lower case; the first set
 * wins, as in the official client) and the hosts `NO_PROXY` (or `no_proxy`) sends around it;
 * `--mock`, on loopback, never goes through one.
 */
const proxyFromEnvironment = Effect.zip(
  firstFromEnvironment(environment.proxies),
  firstFromEnvironment(environment.noProxy)
)

/**
 * Node's transport, through the environment's proxy if it names one; with `verbose`, says which
 * proxy (its host and port only: the URL may hold a password) and which variables chose it.
 */
const nodeTransport = (verbose: boolean): Layer.Layer<Transport.Transport, UsageError> =>
  Layer.unwrapEffect(Effect.map(proxyFromEnvironment, ([proxy, noProxy]) => {
    if (Option.isNone(proxy)) return NodeTransport.layer
    const url = Redacted.value(proxy.value.value)
    const bypass = Option.map(noProxy, ({ value }) => Redacted.value(value))
    return NodeTransport.layerWith({ proxy: url, noProxy: Option.getOrUndefined(bypass) }).pipe(
      Layer.mapError(() =>
        new UsageError({
          message: `${proxy.value.name} must be an http:// or https://[user:password@]host[:port] URL`
        })
      ),
      // Only once the transport took the URL, so it parses.
      Layer.tap(() =>
        verbose
          ? Console.error(
            `proxy ${new URL(url).host} from ${proxy.value.name}${
              Option.isSome(noProxy) ? `, not for the hosts of ${noProxy.value.name}` : ""
            }`
          )
          : Effect.void
      )
    )
  }))

/**
 * The transport: Node's (through the environment's proxy unless `direct`), logging with `--verbose`,
 * marking `sent` as each request leaves.
 */
const transport = (verbose: boolean, sent: Sent, direct: boolean): Layer.Layer<Transport.Transport, UsageError> => {
  const node = direct ? NodeTransport.layer : nodeTransport(verbose)
  return Layer.effect(
    Transport.Transport,
    Effect.map(Transport.Transport, (inner): Transport.Service => ({
      send: (request) => Effect.zipRight(Ref.set(sent, true), inner.send(request))
    }))
  ).pipe(Layer.provide(verbose ? RequestLog.layer.pipe(Layer.provide(node)) : node))
}

/**
 * The client layer the options describe. With `--mock` the mock server lives as long as the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const clientLayer = (
  args: ConnectionArgs,
  requirements: Requirements = {},
  sent?: Sent
): Layer.Layer<CommunicationIdentityClient, UsageError | MockStartError | InvalidArgumentError> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const { chosen, options } = yield* resolve(args, requirements)
    const client = chosen._tag === "Mock"
      ? yield* withAccessKey(
        (yield* EmbeddedMock.start(requirements.mockTeamsToken)).connectionString,
        "--mock",
        options
      )
      : chosen._tag === "ConnectionString"
      ? yield* withAccessKey(chosen.value, chosen.from, options)
      : chosen._tag === "Entra"
      ? CommunicationIdentityClient.layer({ ...options, endpoint: chosen.endpoint }).pipe(
        Layer.provide(EntraCredential.layer(Effect.succeed(chosen.token)))
      )
      : chosen._tag === "Login"
      ? CommunicationIdentityClient.layerEntra({
        ...options,
        endpoint: chosen.endpoint,
        credential: yield* defaultAzureCredential
      })
      : yield* new UsageError({
        message: `this command signs its requests: --endpoint needs --entra-token or ${environment.entraToken}`
      })
    return client.pipe(
      Layer.provide(transport(args.verbose, sent ?? (yield* Ref.make(false)), chosen._tag === "Mock"))
    )
  }))

/**
 * What an interruption (Ctrl-C, SIGTERM) prints on stderr: whether the request had left, and so
 * may have taken effect. The exit code is 130 (see `ExitCode`).
 *
 * @since 0.1.0
 * @category running
 */
export const interrupted = (sent: boolean): string =>
  sent
    ? "interrupted: the request was sent and may have taken effect"
    : "interrupted before any request was sent"

/**
 * Runs `use` with a fresh {@link Sent}, saying on stderr what an interruption left behind; with
 * `--verbose`, the SDK's debug log records (each retry and why) are shown too.
 */
const reportingInterruption = <A, E, R>(
  args: ConnectionArgs,
  use: (sent: Sent) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Ref.make(false),
    (sent) => Effect.onInterrupt(use(sent), () => Effect.flatMap(Ref.get(sent), (s) => Console.error(interrupted(s))))
  ).pipe(args.verbose ? Stderr.withDebugLogs : identity)

/**
 * Runs an operation with the client the options describe (which does its own printing).
 *
 * @since 0.1.0
 * @category running
 */
export const use = <E>(
  args: ConnectionArgs,
  operation: (client: CommunicationIdentityClient["Type"]) => Effect.Effect<void, E>,
  requirements?: Requirements
): Effect.Effect<void, E | UsageError | MockStartError | InvalidArgumentError> =>
  reportingInterruption(args, (sent) =>
    Effect.flatMap(CommunicationIdentityClient, operation).pipe(
      Effect.provide(clientLayer(args, requirements, sent))
    ))

const print = (args: ConnectionArgs, result: Output.Printable | undefined) => {
  const text = result === undefined ? undefined : Output.render(args, result)
  return text === undefined ? Effect.void : Console.log(text)
}

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
  use(args, (client) => Effect.flatMap(operation(client), (result) => print(args, result)), requirements)

/** The endpoint the credentials point at: the mock's, the connection string's or `--endpoint`. */
const endpointOf = (chosen: Credentials, requirements: Requirements) =>
  Effect.gen(function*() {
    switch (chosen._tag) {
      case "Mock":
        return (yield* EmbeddedMock.start(requirements.mockTeamsToken)).url
      case "ConnectionString":
        return (yield* Effect.mapError(
          parseConnectionString(chosen.value),
          (error) => new UsageError({ message: `invalid connection string from ${chosen.from}: ${error.message}` })
        )).endpoint
      case "Entra":
      case "Login":
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
  operation: (exchange: TokenExchange.TokenExchange) => Effect.Effect<Output.Printable, E>,
  requirements: Pick<Requirements, "preview"> = {}
): Effect.Effect<void, E | UsageError | MockStartError | InvalidArgumentError> =>
  reportingInterruption(args, (sent) =>
    Effect.gen(function*() {
      const { chosen, options } = yield* resolve(args, { ...requirements, endpointOnly: true })
      const endpoint = yield* endpointOf(chosen, {})
      yield* Effect.flatMap(TokenExchange.make({ ...options, endpoint }), operation).pipe(
        Effect.flatMap((result) => print(args, result)),
        Effect.provide(transport(args.verbose, sent, chosen._tag === "Mock"))
      )
    }).pipe(Effect.scoped))
