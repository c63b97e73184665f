/**
 * The fast-path contract between the client and an `HttpClient` that can run a whole attempt by
 * itself. Any `@effect/platform` `HttpClient` works with the client; one that also carries an
 * `AttemptTransport` under `TypeId` (a `Symbol.for` key, so a transport needs no import of this
 * package to offer it) is driven through it instead:
 *
 * - `start` sends the request (plain method, origin, path, headers and bytes: no `HttpClientRequest`
 *   is built), waits for the response head and reads the body, all under one timer of
 *   `timeoutMillis` that it arms itself. When the timer fires it aborts the exchange (destroying the
 *   socket) and reports `Timeout`. The client then needs no racing timeout fiber per attempt;
 * - it reads at most `maxBodyBytes + 1` bytes of the body (decoded bytes, if it decodes) and reports
 *   the response with the body in memory;
 * - it calls `done` exactly once, unless the abort function it returned is called first (the
 *   client does so when the call is interrupted); after an abort it calls nothing;
 * - it never follows redirects, adds no tracing headers and opens no span of its own (the client's
 *   operation span is the only one).
 *
 * The contract is callbacks rather than effects so that one attempt costs the client a single
 * `Effect.async`. `@acs-identity/transport-node` implements it; transports that do not keep the
 * general path (the platform `execute`, a racing timeout per attempt). Wrapping a client
 * (`HttpClient.mapRequest` and friends) makes a new client without the key, which then takes the
 * general path too.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"

/**
 * The key under which an `HttpClient` carries its `AttemptTransport`.
 *
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@acs-identity/sdk/AttemptTransport")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * One attempt to run: where to, what to send, and its limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptRequest {
  readonly method: string
  /** The endpoint's origin (`https://host[:port]`), parsed once per client. */
  readonly origin: URL
  /** The percent-encoded path and query, starting with `/`. */
  readonly path: string
  /** Lower-case header names, including `content-type` and `content-length` when there is a body. */
  readonly headers: Readonly<Record<string, string>>
  /** The body, or `undefined` for none. */
  readonly body: Uint8Array | undefined
  /** The time the whole attempt (request, head and body) may take. */
  readonly timeoutMillis: number
  /** Read at most this many bytes of body, plus one to tell that there was more. */
  readonly maxBodyBytes: number
}

/**
 * A response as the transport read it.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptResponse {
  readonly status: number
  /** Lower-case header names; a repeated header may come as a list. */
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** The body, at most `maxBodyBytes + 1` bytes. */
  readonly body: Uint8Array
}

/**
 * How an attempt ended: a response (any status), the transport's timer, or a failure to send
 * (`Encode`: the request could not be written, e.g. a forbidden header value; `Network`: anything
 * on the way).
 *
 * @since 0.1.0
 * @category models
 */
export type AttemptResult =
  | { readonly _tag: "Response"; readonly response: AttemptResponse }
  | { readonly _tag: "Timeout" }
  | { readonly _tag: "Failed"; readonly reason: "Encode" | "Network"; readonly cause: unknown }

/**
 * A transport that runs one attempt (request, head and bounded body) under its own timer.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptTransport {
  /** Starts the attempt; `done` is called once with how it ended. Returns a function that aborts it. */
  readonly start: (request: AttemptRequest, done: (result: AttemptResult) => void) => () => void
}

/**
 * The `AttemptTransport` a client carries, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const fromClient = (client: HttpClient.HttpClient): AttemptTransport | undefined => {
  const transport = (client as HttpClient.HttpClient & { readonly [TypeId]?: AttemptTransport })[TypeId]
  return transport !== undefined && typeof transport.start === "function" ? transport : undefined
}

/**
 * `client`, carrying `transport` (the client object is extended in place and returned).
 *
 * @since 0.1.0
 * @category constructors
 */
export const attach = (client: HttpClient.HttpClient, transport: AttemptTransport): HttpClient.HttpClient =>
  Object.assign(client, { [TypeId]: transport })
