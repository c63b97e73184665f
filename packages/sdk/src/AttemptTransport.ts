/**
 * The fast-path contract between the client and an `HttpClient` that can run a whole attempt by
 * itself. Any `@effect/platform` `HttpClient` works with the client; one that also carries an
 * `AttemptTransport` under `TypeId` (a `Symbol.for` key, so a transport needs no import of this
 * package to offer it) is driven through it instead:
 *
 * - it sends the request, waits for the response head and reads the body, all under one timer of
 *   `timeoutMillis` that it arms itself; when the timer fires it aborts the exchange (destroying the
 *   socket) and fails with `onTimeout()`. The client then needs no racing timeout fiber per attempt;
 * - it reads at most `maxBodyBytes + 1` bytes of the body (decoded bytes, if it decodes) and hands
 *   the response over with the body already in memory, so reading it costs no further I/O;
 * - it never follows redirects, adds no tracing headers and opens no span of its own (the client's
 *   operation span is the only one);
 * - interrupting the effect aborts the exchange.
 *
 * `@acs-identity/transport-node` implements it; transports that do not keep today's path (the
 * platform `execute`, a racing timeout per attempt). Wrapping a client (`HttpClient.mapRequest`
 * and friends) makes a new client without the key, which then takes the general path too.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Effect from "effect/Effect"

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
 * What one attempt is given: the parsed URL of the request, its time limit and body bound, and the
 * error to fail with when the time runs out.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptOptions<E> {
  readonly url: URL
  readonly timeoutMillis: number
  readonly maxBodyBytes: number
  readonly onTimeout: () => E
}

/**
 * A transport that runs one attempt (request, head and bounded body) under its own timer.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttemptTransport {
  readonly attempt: <E>(
    request: HttpClientRequest.HttpClientRequest,
    options: AttemptOptions<E>
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | E>
}

/**
 * The `AttemptTransport` a client carries, if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const fromClient = (client: HttpClient.HttpClient): AttemptTransport | undefined => {
  const transport = (client as HttpClient.HttpClient & { readonly [TypeId]?: AttemptTransport })[TypeId]
  return transport !== undefined && typeof transport.attempt === "function" ? transport : undefined
}

/**
 * `client`, carrying `transport` (the client object is extended in place and returned).
 *
 * @since 0.1.0
 * @category constructors
 */
export const attach = (client: HttpClient.HttpClient, transport: AttemptTransport): HttpClient.HttpClient =>
  Object.assign(client, { [TypeId]: transport })
