/**
 * The SDK's `Transport` for Node: HTTP/1.1 over `node:net` / `node:tls` with keep-alive connections
 * per origin. Each round trip writes its request in one go and parses the response as it arrives,
 * under one timer in a single `Effect.async`, with no `node:http` request, response or stream
 * object per call. Interrupting a call destroys its connection.
 *
 * @since 0.1.0
 */
import { InvalidArgumentError, Transport } from "@acs-identity/sdk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { netHost, Pool, type Settings, type TlsOptions } from "./internal/pool.js"
import { roundTrip } from "./internal/roundTrip.js"
import { bypassOf, type Proxy } from "./internal/tunnel.js"

export type {
  /**
   * TLS settings for `https:` origins (a private CA, a client certificate, …).
   *
   * @since 0.1.0
   * @category models
   */
  TlsOptions
} from "./internal/pool.js"

/**
 * Transport settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Keep connections open for reuse. Default `true`. */
  readonly keepAlive?: boolean | undefined
  /** The most connections per origin, in use or idle; more requests wait for one. Default: no limit. */
  readonly maxSockets?: number | undefined
  /** Fail a request whose socket sees no activity for this long. Default: no limit. */
  readonly idleTimeout?: Duration.DurationInput | undefined
  /** TLS settings for `https:` endpoints. Default: Node's, verifying the server against its CAs. */
  readonly tls?: TlsOptions | undefined
  /**
   * A proxy, `http://[user:password@]host[:port]` or `https://…` (`process.env.HTTPS_PROXY`, say),
   * that `https:` endpoints are tunnelled through with `CONNECT`; `http:` endpoints (a loopback mock)
   * connect directly. An `https:` proxy is itself reached over TLS (`proxyTls`). The user and
   * password are sent as `Proxy-Authorization: Basic` and appear in no error. Empty or absent: no proxy.
   */
  readonly proxy?: string | URL | Redacted.Redacted<string> | undefined
  /** TLS settings for an `https:` proxy. Default: Node's, verifying the proxy against its CAs. */
  readonly proxyTls?: TlsOptions | undefined
  /**
   * Endpoints that connect directly although `proxy` is set, as `NO_PROXY` lists them
   * (`process.env.NO_PROXY`, say): `*`, host names and IP addresses, domains (`.example.com` or
   * `example.com`, with every name below), each with an optional `:port`, and IP ranges
   * (`10.0.0.0/8`, matched by endpoints given as an address); separated by commas.
   */
  readonly noProxy?: string | ReadonlyArray<string> | undefined
}

const invalid = (argument: string, message: string) => Effect.fail(new InvalidArgumentError({ argument, message }))

/** The proxy, from its URL; the URL is never echoed, as it may hold a password. */
const proxyOf = (options: Options | undefined): Either.Either<Proxy | undefined, InvalidArgumentError> => {
  const option = options?.proxy
  const text = Redacted.isRedacted(option) ? Redacted.value(option) : option === undefined ? "" : String(option)
  if (text === "") return Either.right(undefined)
  let url: URL | undefined
  let credentials: string | undefined
  try {
    url = new URL(text)
    credentials = url.username === "" && url.password === ""
      ? undefined
      : Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")
  } catch {
    url = undefined
  }
  const secure = url?.protocol === "https:"
  if (
    url === undefined || !(secure || url.protocol === "http:") || url.hostname === "" || url.search !== "" ||
    url.hash !== ""
  ) {
    return Either.left(
      new InvalidArgumentError({
        argument: "proxy",
        message: "proxy must be an http:// or https://[user:password@]host[:port] URL"
      })
    )
  }
  return Either.right({
    host: netHost(url.hostname),
    port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
    tls: secure ? options?.proxyTls ?? {} : undefined,
    authorization: credentials === undefined ? undefined : Redacted.make(`Basic ${credentials}`),
    bypass: bypassOf(options?.noProxy)
  })
}

/** The options checked: a positive whole `maxSockets`, a finite `idleTimeout`, an `http:` or `https:` proxy. */
const settingsOf = (options: Options | undefined): Effect.Effect<Settings, InvalidArgumentError> => {
  const maxSockets = options?.maxSockets ?? Infinity
  if (maxSockets !== Infinity && !(Number.isSafeInteger(maxSockets) && maxSockets > 0)) {
    return invalid("maxSockets", "maxSockets must be a whole number above 0, or Infinity")
  }
  const idle = options?.idleTimeout === undefined
    ? Option.some(Duration.zero)
    : Duration.decodeUnknown(options.idleTimeout)
  if (Option.isNone(idle) || !Duration.isFinite(idle.value)) {
    return invalid("idleTimeout", "idleTimeout must be a finite duration")
  }
  return Either.map(proxyOf(options), (proxy) => ({
    keepAlive: options?.keepAlive ?? true,
    maxSockets,
    idleTimeoutMillis: Duration.toMillis(idle.value),
    tls: options?.tls,
    proxy
  }))
}

/**
 * A transport whose connections are closed when the scope closes. Settings it cannot use fail with
 * an `InvalidArgumentError` naming them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Transport.Service, InvalidArgumentError, Scope.Scope> =>
  Effect.flatMap(settingsOf(options), (settings) =>
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new Map<string, Pool>()),
        (pools) => Effect.sync(() => pools.forEach((pool) => pool.destroy()))
      ),
      (pools) => service(pools, settings)
    ))

const service = (pools: Map<string, Pool>, settings: Settings): Transport.Service => {
  const poolOf = (origin: URL): Pool => {
    let pool = pools.get(origin.origin)
    if (pool === undefined) pools.set(origin.origin, pool = new Pool(origin, settings))
    return pool
  }
  return { send: (request) => roundTrip(poolOf(request.origin), request) }
}

/**
 * The transport with custom settings, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options?: Options): Layer.Layer<Transport.Transport, InvalidArgumentError> =>
  Layer.scoped(Transport.Transport, make(options))

/**
 * The transport with keep-alive and the default settings, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transport.Transport> = Layer.orDie(layerWith())
