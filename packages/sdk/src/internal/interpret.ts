/**
 * From a transport's response to a typed result, purely: success bodies decoded through Schema,
 * every other status mapped to its error class (a 404 only for operations that have one),
 * `Retry-After` read.
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  AuthenticationError,
  AuthorizationError,
  BadRequestError,
  CommunicationErrorResponse,
  NotFoundError,
  ServiceError,
  ThrottledError,
  type TransportError,
  UnexpectedResponseError
} from "../Errors.js"
import type { HeaderRecord } from "../Transport.js"
import { fastDecoderOf } from "./fastDecode.js"

/** The largest response body read; anything longer is an `UnexpectedResponseError` (or a truncated error). */
export const maxBodyBytes = 1024 * 1024

/** Errors a response can be mapped to. */
export type ResponseFailure =
  | BadRequestError
  | AuthenticationError
  | AuthorizationError
  | NotFoundError
  | ThrottledError
  | ServiceError
  | TransportError
  | UnexpectedResponseError

/** A response read into memory: its status, its headers and (at most a bound of) its body as text. */
export interface Received {
  readonly status: number
  readonly headers: HeaderRecord
  readonly text: string
  /** The body was longer than the bound for its status, and `text` holds only its start. */
  readonly truncated: boolean
}

/** The bound on a body read: a success's whole body, or the start of an error's. */
const limitFor = (status: number) => status >= 200 && status < 300 ? maxBodyBytes : maxErrorBodyBytes

/** The most of an error body read (its envelope is small; the rest is not needed). */
const maxErrorBodyBytes = 64 * 1024

const utf8 = new TextDecoder("utf-8", { fatal: false })

/**
 * A transport's response as text: at most the bound for its status (a success's whole body, the start of an error's).
 */
export const receivedFrom = (status: number, headers: HeaderRecord, body: Uint8Array): Received => {
  const limit = limitFor(status)
  return body.length > limit
    ? { status, headers, text: utf8.decode(body.subarray(0, limit)), truncated: true }
    : { status, headers, text: utf8.decode(body), truncated: false }
}

/** A header's value, trimmed (a repeated one joined with commas); `undefined` when absent or blank. */
const header = (headers: HeaderRecord, name: string): string | undefined => {
  const raw = headers[name]
  const value = raw === undefined ? undefined : (typeof raw === "string" ? raw : raw.join(", ")).trim()
  return value === "" ? undefined : value
}

/** The wait the service asked for: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or a date). */
const retryAfter = (headers: HeaderRecord, nowMillis: number): Duration.Duration | undefined => {
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

/** The deepest JSON nesting read; deeper bodies are not parsed (decoding them would exhaust the stack). */
const maxJsonDepth = 64

/** True when `text` nests arrays and objects more than `limit` deep (counting outside strings). */
const nestsDeeperThan = (text: string, limit: number): boolean => {
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

const describe = (status: number, body: Received): string => {
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
 * A 404 is a `NotFoundError` only for an operation that has one (`hasNotFound`); for the others it
 * is a `ServiceError` like any other unexpected status.
 */
export const failureOf = (
  received: Received,
  requestId: string,
  nowMillis: number,
  hasNotFound: boolean
): ResponseFailure => {
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
      return hasNotFound ? new NotFoundError(fields) : new ServiceError(withWait)
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

/** A decoder of success bodies with `schema`: the value, or an `UnexpectedResponseError` saying why not. */
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
