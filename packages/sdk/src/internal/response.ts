/**
 * From an HTTP response to a typed result: success bodies decoded through Schema, every other status
 * mapped to its error class, `Retry-After` read, bodies read with a size bound.
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
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

const utf8 = new TextDecoder("utf-8", { fatal: false })

const unreadable = (requestId: string) => (cause: unknown) =>
  new TransportError({
    reason: "Network",
    message: "the response body could not be read",
    requestId,
    cause: scrubCause(cause, [])
  })

/** True when the transport hands the body over as sent, so `Content-Length` counts the bytes read. */
const identityEncoded = (headers: Headers.Headers): boolean => {
  const encoding = headers["content-encoding"]
  return encoding === undefined || encoding.trim() === "" || encoding.trim().toLowerCase() === "identity"
}

const inMemory = new WeakSet<HttpClientResponse.HttpClientResponse>()

/**
 * Notes that `response`'s body is already in memory and bounded (an `AttemptTransport` read it), so
 * `readBody` takes it in one go, whatever its headers say, rather than streaming it.
 *
 * @since 0.1.0
 * @category internal
 */
export const markInMemory = (
  response: HttpClientResponse.HttpClientResponse
): HttpClientResponse.HttpClientResponse => {
  inMemory.add(response)
  return response
}

const readInMemory = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string,
  limit: number
): Effect.Effect<BodyRead, TransportError> =>
  Effect.mapBoth(response.arrayBuffer, {
    onFailure: unreadable(requestId),
    onSuccess: (buffer) =>
      buffer.byteLength > limit
        ? { text: utf8.decode(new Uint8Array(buffer, 0, limit)), truncated: true }
        : { text: utf8.decode(buffer), truncated: false }
  })

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
  if (inMemory.has(response)) return readInMemory(response, requestId, limit)
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

const header = (headers: Headers.Headers, name: string): string | undefined => {
  const value = headers[name]
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

/**
 * The wait the service asked for: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After` (seconds or a date).
 *
 * @since 0.1.0
 * @category internal
 */
export const retryAfter = (headers: Headers.Headers, nowMillis: number): Duration.Duration | undefined => {
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

const decodeEnvelopeJson = Schema.decodeUnknownEither(Schema.parseJson(CommunicationErrorResponse))
const decodeEnvelope = (text: string) =>
  nestsDeeperThan(text, maxJsonDepth) ? undefined : Either.getOrUndefined(decodeEnvelopeJson(text))

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
 * Maps a non-success response to its typed error, reading the service's error envelope when there is one.
 *
 * @since 0.1.0
 * @category internal
 */
export const failure = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string
): Effect.Effect<never, ResponseFailure> =>
  Effect.gen(function*() {
    const body = yield* readBody(response, requestId, 64 * 1024)
    const status = response.status
    const envelope = decodeEnvelope(body.text)
    const fields = {
      status,
      code: envelope?.error.code ?? "Unknown",
      message: envelope?.error.message ?? describe(status, body),
      requestId,
      ...(envelope?.error.target !== undefined ? { target: envelope.error.target } : {}),
      ...(envelope?.error.details !== undefined ? { details: envelope.error.details } : {}),
      ...(envelope?.error.innerError !== undefined ? { innerError: envelope.error.innerError } : {})
    }
    const wait = retryAfter(response.headers, yield* Clock.currentTimeMillis)
    const withWait = wait === undefined ? fields : { ...fields, retryAfter: wait }
    switch (status) {
      case 400:
        return yield* new BadRequestError(fields)
      case 401:
        return yield* new AuthenticationError(fields)
      case 403:
        return yield* new AuthorizationError(fields)
      case 404:
        return yield* new NotFoundError(fields)
      case 429:
        return yield* new ThrottledError(withWait)
      default:
        return yield* new ServiceError(withWait)
    }
  })

/** Describes a decoding failure by path and kind only, so no value from the body (a token) is echoed. */
const summarize = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue._tag}`)
    .join("; ")

/**
 * Decodes a success body with `schema`, or fails with `UnexpectedResponseError`.
 *
 * @since 0.1.0
 * @category internal
 */
export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, name: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (
    response: HttpClientResponse.HttpClientResponse,
    requestId: string
  ): Effect.Effect<A, TransportError | UnexpectedResponseError> =>
    Effect.flatMap(readBody(response, requestId), (body) => {
      const unexpected = (message: string) =>
        Effect.fail(new UnexpectedResponseError({ status: response.status, message, requestId }))
      const contentType = response.headers["content-type"]
      if (contentType !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
        return unexpected(`the ${name} response is ${JSON.stringify(contentType)}, not JSON`)
      }
      if (body.truncated) return unexpected(`the ${name} response body is larger than ${maxBodyBytes} bytes`)
      if (nestsDeeperThan(body.text, maxJsonDepth)) {
        return unexpected(`the ${name} response body nests deeper than ${maxJsonDepth} levels`)
      }
      let json: unknown
      try {
        json = JSON.parse(body.text)
      } catch {
        return unexpected(
          body.text.trim().length === 0
            ? `the ${name} response body is empty`
            : `the ${name} response body is not JSON`
        )
      }
      const decoded = decode(json)
      return decoded._tag === "Right"
        ? Effect.succeed(decoded.right)
        : unexpected(`the ${name} response body does not match the spec (${summarize(decoded.left)})`)
    })
}

/**
 * Reads and discards a success body so the connection can be reused.
 *
 * @since 0.1.0
 * @category internal
 */
export const discardBody = (
  response: HttpClientResponse.HttpClientResponse,
  requestId: string
): Effect.Effect<void, TransportError> => Effect.asVoid(readBody(response, requestId))
