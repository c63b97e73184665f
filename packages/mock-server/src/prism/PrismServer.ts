/**
 * Stoplight Prism 5.14.2 running in this process, serving the ACS Identity spec.
 *
 * Prism validates every request (query, path, headers, body and the presence of credentials),
 * answers from the spec's named examples (or, in dynamic mode, from generated data) and checks
 * its own responses against the spec. Violations are reported in the `sl-violations` response
 * header; an invalid request gets the operation's declared `400` response.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createRequire } from "node:module"
import { baseUrl } from "../shared/baseUrl.js"
import * as Spec from "../Spec.js"

/**
 * How to start Prism. Every field is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface PrismServerOptions {
  /** TCP port; `0` (the default) picks a free one. */
  readonly port?: number | undefined
  /** Interface to bind; defaults to `127.0.0.1` (loopback only). */
  readonly host?: string | undefined
  /** Generate response bodies from the schemas instead of serving the named examples. */
  readonly dynamic?: boolean | undefined
  /** Spec to serve; defaults to the one this package ships (`Spec.locate`). */
  readonly specPath?: string | undefined
  /**
   * Prism's own CORS handling (default `true`): preflights are answered for any origin, echoing the
   * requested headers; `false` turns it off.
   */
  readonly cors?: boolean | undefined
}

/**
 * A running Prism server.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningPrism {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  readonly url: string
  /** The port actually bound (useful with port `0`). */
  readonly port: number
  /** The spec file being served. */
  readonly specPath: string
}

/**
 * Prism could not load the spec or bind its port.
 *
 * @since 0.1.0
 * @category errors
 */
export class PrismStartError extends Data.TaggedError("PrismStartError")<{
  readonly reason: "LoadSpec" | "Listen"
  readonly cause: unknown
}> {
  /**
   * What failed, with the cause's message.
   *
   * @since 0.1.0
   */
  override get message(): string {
    const detail = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return this.reason === "LoadSpec" ? `Prism could not load the spec: ${detail}` : `Prism could not listen: ${detail}`
  }
}

/**
 * The default bind address: loopback only.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHost = "127.0.0.1"

interface JsonSchemaFakerModule {
  readonly JSONSchemaFaker: { readonly option: (options: Readonly<Record<string, unknown>>) => void }
}

/**
 * Stops json-schema-faker from inventing extra properties in dynamic responses.
 *
 * json-schema-faker is a process-wide singleton and `prism-http` `require()`s its CommonJS build;
 * importing `json-schema-faker` from ESM would configure a different (ESM) instance, so the option
 * is set on the copy resolved from `prism-http`'s own location.
 */
const configureJsonSchemaFaker: Effect.Effect<void> = Effect.sync(() => {
  const requireFromHere = createRequire(import.meta.url)
  const requireFromPrism = createRequire(requireFromHere.resolve("@stoplight/prism-http"))
  const jsf = requireFromPrism("json-schema-faker") as JsonSchemaFakerModule
  jsf.JSONSchemaFaker.option({ fillProperties: false })
})

/** Waits one event-loop turn, so a closed listening socket is really released. */
const nextTurn: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/**
 * Starts Prism in this process and stops it when the scope closes.
 *
 * Requests are validated, the credential check is on (any non-empty `Authorization` header, or
 * `Bearer <token>`, passes) and responses are validated. Prism's own logging is silenced.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (
  options: PrismServerOptions = {}
): Effect.Effect<RunningPrism, PrismStartError | Spec.SpecNotFoundError, Scope.Scope> =>
  Effect.gen(function*() {
    const specPath = options.specPath ?? (yield* Spec.locate)
    // Prism takes seconds to load: it is imported only when a Prism server starts, so importing this
    // package (for the stateful mock, say) stays fast.
    const [{ createLogger }, { getHttpOperationsFromSpec }, { createServer }] = yield* Effect.promise(() =>
      Promise.all([
        import("@stoplight/prism-core"),
        import("@stoplight/prism-http"),
        import("@stoplight/prism-http-server")
      ])
    )
    yield* configureJsonSchemaFaker
    const operations = yield* Effect.tryPromise({
      try: () => getHttpOperationsFromSpec(specPath),
      catch: (cause) => new PrismStartError({ reason: "LoadSpec", cause })
    })
    const server = createServer(operations, {
      cors: options.cors ?? true,
      components: { logger: createLogger("acs-identity-mock", { level: "silent" }) },
      config: {
        isProxy: false,
        validateRequest: true,
        validateResponse: true,
        checkSecurity: true,
        errors: false,
        upstreamProxy: undefined,
        mock: { dynamic: options.dynamic ?? false, ignoreExamples: false }
      }
    })
    const host = options.host ?? defaultHost
    const listening = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => server.listen(options.port ?? 0, host),
        catch: (cause) => new PrismStartError({ reason: "Listen", cause })
      }),
      () =>
        Effect.promise(() => server.close().catch(() => undefined)).pipe(
          Effect.zipRight(nextTurn)
        )
    )
    // Prism reports `http://<host>:<port>` without brackets around an IPv6 host
    const port = Number(/:(\d+)$/.exec(listening)?.[1] ?? Number.NaN)
    return { url: baseUrl(host, port), port, specPath }
  })
