/**
 * The transport contract: the one way the client sends a request. A `Transport` takes a plain
 * request (method, origin, path, a header record, the body's bytes, and the attempt's time budget
 * and body bound) and answers with the response, its body read into memory, or a `TransportError`
 * saying why there is none (`Network`, `Timeout`, `Encode`, `InvalidUrl`).
 *
 * What an implementation promises:
 * - it sends exactly the headers given (no tracing headers of its own) and never follows redirects;
 * - the whole exchange (request, head and body) ends within `timeoutMillis`, or it fails with
 *   `Timeout`, abandoning the connection;
 * - it reads at most `maxBodyBytes + 1` bytes of body (decoded bytes, if it decodes), so the client
 *   can tell that there was more;
 * - interrupting the effect aborts the exchange;
 * - it sends a request again by itself only when its connection closed before the answer's head
 *   (a reused keep-alive connection the server had closed), once, at once, within the same budget.
 *   Every identity operation tolerates that, as the client retries each of them after a `Network`
 *   failure too.
 *
 * `@acs-identity/transport-node` implements it as HTTP/1.1 over `node:net`/`node:tls`. `@acs-identity/sdk/HttpClientTransport`
 * adapts any `@effect/platform` `HttpClient` (fetch, undici, a client you have wrapped); it is the
 * only module that knows the platform's types, and only code that uses it loads the platform.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import { TransportError, type TransportErrorReason } from "./Errors.js"

/**
 * One attempt to send: where to, what, and its limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportRequest {
  readonly method: string
  /** The endpoint's origin (`https://host[:port]`). */
  readonly origin: URL
  /** The percent-encoded path and query, starting with `/`. */
  readonly path: string
  /** Lower-case header names, including `content-type` and `content-length` when there is a body. */
  readonly headers: Readonly<Record<string, string>>
  /** The body, or `undefined` for none. */
  readonly body: Uint8Array | undefined
  /** The time the whole exchange (request, head and body) may take. */
  readonly timeoutMillis: number
  /** Read at most this many bytes of body, plus one to tell that there was more. */
  readonly maxBodyBytes: number
}

/**
 * Response headers by lower-case name; a repeated header may come as a list (as `node:http` gives them).
 *
 * @since 0.1.0
 * @category models
 */
export type HeaderRecord = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * A response as the transport read it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportResponse {
  readonly status: number
  readonly headers: HeaderRecord
  /** The body, at most `maxBodyBytes + 1` bytes. */
  readonly body: Uint8Array
}

/**
 * The transport service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Runs one exchange; a failure names its reason (the client adds the request id and scrubs the cause). */
  readonly send: (request: TransportRequest) => Effect.Effect<TransportResponse, TransportError>
}

/**
 * The transport the client sends through.
 *
 * @since 0.1.0
 * @category tags
 */
export class Transport extends Context.Tag("@acs-identity/sdk/Transport")<Transport, Service>() {}

/**
 * A transport failure, for implementations: the client replaces the message with its own wording
 * and adds the request id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (reason: TransportErrorReason, cause?: unknown): TransportError =>
  new TransportError({ reason, message: reason, ...(cause === undefined ? {} : { cause }) })
