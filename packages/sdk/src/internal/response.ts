/**
 * From an HTTP response to a typed result, in two steps: reading (a platform response's body, with a
 * size bound, into a `Received`; the fast path's transport hands one over already read) and
 * interpreting, which is pure: success bodies decoded through Schema, every other status mapped to
 * its error class, `Retry-After` read.
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import {
  AuthenticationError,
  AuthorizationError,
  BadRequestError,
  CommunicationErrorResponse,
  NotFoundError,
  ServiceError,
  ThrottledError,
  TransportError,
  UnexpectedResponseError
} from "../Errors.js"
import { fastDecoderOf } from "./fastDecode.js"
import { scrubCause } from "./scrub.js"

/**
 * The largest response body read; anything longer is an `UnexpectedResponseError` (or a truncated error).
 *
 * @since 0.1.0
 * @category internal
 */
export const maxBodyBytes = 1024 * 1024

/**
 * Errors a response can be mapped to.
 *
 * @since 0.1.0
 * @category internal
 */
export type ResponseFailure =
  | BadRequestError
  | AuthenticationError
  | AuthorizationError
  | NotFoundError
  | ThrottledError
  | ServiceError
  | TransportError
  | UnexpectedResponseError

type BodyRead = { readonly text: string; readonly truncated: boolean }

/**
 * Response headers by lower-case name; a repeated header may come as a list (as `node:http` gives them).
 *
 * @since 0.1.0
 * @category internal
 */
export type HeaderRecord = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * A response read into memory: its status, its headers and (at most a bound of) its body as text.
 *
 * @since 0.1.0
 * @category internal
 */
export interface Received extends BodyRead {
  readonly status: number
  readonly headers: HeaderRecord
}

/** The bound on a body read: a success's whole body, or the start of an error's. */
const limitFor = (status: number) => status >= 200 && status < 300 ? maxBodyBytes : maxErrorBodyBytes

/** The most of an error body read (its envelope is small; the rest is not needed). */
const maxErrorBodyBytes = 64 * 1024

const utf8 = new TextDecoder("utf-8", { fatal: false })

const unreadable = (requestId: string) => (cause: unknown) =>
  new TransportError({
    reason: "Network",
    message: "the response body could not be read",
    requestId,
    cause: scrubCause(cause, [])
  })

/** True when the transport hands the body over as sent, so `Content-Length` counts the bytes read. */
const identityEncoded = (headers: HeaderRecord): boolean => {
  const encoding = header(headers, "content-encoding")
  return encoding === undefined || encoding.toLowerCase() === "identity"
}

/**
 * A body already in memory (the fast path's transport read it), as text: at most the bound for its status.
 *
 * @since 0.1.0
 * @category internal
 */
export const receivedFrom = (status: number, headers: HeaderRecord, body: Uint8Array): Received => {
  const limit = limitFor(status)
  return body.length > limit
    ? { status, headers, text: utf8.decode(body.subarray(0, limit)), truncated: true }
    : { status, headers, text: utf8.decode(body), truncated: false }
}

/**
 * Reads a platform response into memory, at most the bound for its status (see `readBody`).
 *
 * @since 0.1.0
 * @category internal
 */
export const receive = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string
): Effect.Effect<Received, TransportError> =>
  Effect.map(
    readBody(response, requestId, limitFor(response.status)),
    (body) => ({ status: response.status, headers: response.headers, text: body.text, truncated: body.truncated })
  )

/**
 * Reads at most `limit` bytes of the body; a broken stream is a transport error. A body whose
 * `Content-Length` fits and that is not content-encoded is read in one go; any other (unsized,
 * larger, or compressed, which a transport such as `fetch` inflates) is streamed and the decoded
 * bytes are counted as they arrive, stopping at the bound.
 *
 * @since 0.1.0
 * @category internal
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string,
  limit = maxBodyBytes
): Effect.Effect<BodyRead, TransportError> => {
  const announced = Number(response.headers["content-length"] ?? Number.NaN)
  return Number.isFinite(announced) && announced <= limit && identityEncoded(response.headers)
    ? Effect.mapBoth(response.text, {
      onFailure: unreadable(requestId),
      onSuccess: (text) => ({ text, truncated: false })
    })
    : readStream(response, requestId, limit)
}

const readStream = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string,
  limit: number
): Effect.Effect<BodyRead, TransportError> =>
  response.stream.pipe(
    Stream.mapAccum(0, (seen, chunk: Uint8Array) => [seen + chunk.length, { chunk, seen }] as const),
    Stream.takeUntil(({ chunk, seen }) => seen + chunk.length > limit),
    Stream.runCollect,
    Effect.map((chunks) => {
      const parts = Chunk.toReadonlyArray(chunks)
      const total = parts.reduce((n, { chunk }) => n + chunk.length, 0)
      const bytes = new Uint8Array(Math.min(total, limit))
      let offset = 0
      for (const { chunk } of parts) {
        const take = Math.min(chunk.length, bytes.length - offset)
        bytes.set(chunk.subarray(0, take), offset)
        offset += take
      }
      return { text: utf8.decode(bytes), truncated: total > limit }
    }),
    Effect.catchAll((cause) =>
      cause._tag === "ResponseError" && cause.reason === "EmptyBody"
        ? Effect.succeed({ text: "", truncated: false })
        : Effect.fail(unreadable(requestId)(cause))
    )
  )

/** A header's value, trimmed (a repeated one joined with commas); `undefined` when absent or blank. */
const header = (headers: HeaderRecord, name: string): string | undefined => {
  const raw = headers[name]
  const value = raw === undefined ? undefined : (typeof raw === "string" ? raw : raw.join(", ")).trim()
  return value === "" ? undefined : value
}

/**
 * The wait the service asked for: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or a date).
 *
 * @since 0.1.0
 * @category internal
 */
export const retryAfter = (headers: HeaderRecord, nowMillis: number): Duration.Duration | undefined => {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = header(headers, name)
    if (value !== undefined && /^\d+(\.\d+)?(e\+?\d+)?$/i.test(value)) return Duration.millis(Number(value))
  }
  const value = header(headers, "retry-after")
  if (value === undefined) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Duration.seconds(Number(value))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - nowMillis))
}

/**
 * The deepest JSON nesting read; deeper bodies are not parsed (decoding them would exhaust the stack).
 *
 * @since 0.1.0
 * @category internal
 */
export const maxJsonDepth = 64

/**
 * True when `text` nests arrays and objects more than `limit` deep (counting outside strings).
 *
 * @since 0.1.0
 * @category internal
 */
export const nestsDeeperThan = (text: string, limit: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true
    } else if (c === 125 || c === 93) depth--
  }
  return false
}

/** Compiled on the first error response: a process that sees none never builds it. */
let decodeEnvelopeJson:
  | ((text: string) => Either.Either<CommunicationErrorResponse, ParseResult.ParseError>)
  | undefined
const decodeEnvelope = (text: string) => {
  if (nestsDeeperThan(text, maxJsonDepth)) return undefined
  decodeEnvelopeJson ??= Schema.decodeUnknownEither(Schema.parseJson(CommunicationErrorResponse))
  return Either.getOrUndefined(decodeEnvelopeJson(text))
}

const describe = (status: number, body: BodyRead): string => {
  const text = body.text.trim()
  if (status >= 300 && status < 400) {
    return `the service answered ${status}, a redirect, which is not followed (the service never redirects)`
  }
  if (text.length === 0) return `the service answered ${status} with an empty body`
  if (nestsDeeperThan(text, maxJsonDepth)) return `the service answered ${status} with JSON nested too deeply to read`
  const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return `the service answered ${status} without an error envelope: ${JSON.stringify(excerpt)}`
}

/**
 * The typed error of a non-success response, from the service's error envelope when there is one.
 *
 * @since 0.1.0
 * @category internal
 */
export const failureOf = (received: Received, requestId: string, nowMillis: number): ResponseFailure => {
  const status = received.status
  const envelope = decodeEnvelope(received.text)
  const fields = {
    status,
    code: envelope?.error.code ?? "Unknown",
    message: envelope?.error.message ?? describe(status, received),
    requestId,
    ...(envelope?.error.target !== undefined ? { target: envelope.error.target } : {}),
    ...(envelope?.error.details !== undefined ? { details: envelope.error.details } : {}),
    ...(envelope?.error.innerError !== undefined ? { innerError: envelope.error.innerError } : {})
  }
  const wait = retryAfter(received.headers, nowMillis)
  const withWait = wait === undefined ? fields : { ...fields, retryAfter: wait }
  switch (status) {
    case 400:
      return new BadRequestError(fields)
    case 401:
      return new AuthenticationError(fields)
    case 403:
      return new AuthorizationError(fields)
    case 404:
      return new NotFoundError(fields)
    case 429:
      return new ThrottledError(withWait)
    default:
      return new ServiceError(withWait)
  }
}

/** Describes a decoding failure by path and kind only, so no value from the body (a token) is echoed. */
const summarize = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue._tag}`)
    .join("; ")

/**
 * A decoder of success bodies with `schema`: the value, or an `UnexpectedResponseError` saying why not.
 *
 * @since 0.1.0
 * @category internal
 */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, name: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  const fast = fastDecoderOf(schema) as ((json: unknown) => A | undefined) | undefined
  return (received: Received, requestId: string): Either.Either<A, UnexpectedResponseError> => {
    const unexpected = (message: string) =>
      Either.left(new UnexpectedResponseError({ status: received.status, message, requestId }))
    const contentType = header(received.headers, "content-type")
    if (contentType !== undefined && !jsonType.test(contentType)) {
      return unexpected(`the ${name} response is ${JSON.stringify(contentType)}, not JSON`)
    }
    if (received.truncated) return unexpected(`the ${name} response body is larger than ${maxBodyBytes} bytes`)
    // `JSON.parse` is iterative, so any nesting is safe to parse; the depth is checked before the
    // (recursive) schema decoder runs, and only when the fast decoder, which reads top-level fields
    // only, did not take the body.
    let json: unknown
    try {
      json = JSON.parse(received.text)
    } catch {
      return unexpected(
        received.text.trim().length === 0
          ? `the ${name} response body is empty`
          : `the ${name} response body is not JSON`
      )
    }
    const quick = fast?.(json)
    if (quick !== undefined) return Either.right(quick)
    if (nestsDeeperThan(received.text, maxJsonDepth)) {
      return unexpected(`the ${name} response body nests deeper than ${maxJsonDepth} levels`)
    }
    const decoded = decode(json)
    return decoded._tag === "Right"
      ? Either.right(decoded.right)
      : unexpected(`the ${name} response body does not match the spec (${summarize(decoded.left)})`)
  }
}

const jsonType = /^application\/(?:[\w.+-]+\+)?json\b/i
