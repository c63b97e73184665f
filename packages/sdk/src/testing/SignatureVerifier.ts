/**
 * Server-side check of the ACS HMAC-SHA256 request signature, for mocks and tests: the content hash
 * against the body bytes, `x-ms-date` (or `date`) within a clock-skew window, and the signature over
 * the method, the path and query exactly as received, the date, the `Host` header and the hash.
 *
 * The service's skew tolerance is not documented; the default window is 5 minutes either way, the
 * usual Azure allowance. Time comes from the Effect `Clock`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { InvalidArgumentError } from "../Errors.js"
import * as Hmac from "../internal/hmac.js"

/**
 * A request's head as it arrived: `pathAndQuery` verbatim (still percent-encoded), header names lower-cased.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedHead {
  readonly method: string
  readonly pathAndQuery: string
  readonly headers: Readonly<Record<string, string | undefined>>
}

/**
 * A request as it arrived, with its body.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedRequest extends ReceivedHead {
  readonly body: Uint8Array
}

/**
 * Why a signature was refused. Never carries the key, the signature or the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class SignatureRejected extends Data.TaggedError("SignatureRejected")<{
  readonly reason:
    | "MissingAuthorization"
    | "MalformedAuthorization"
    | "MissingHeader"
    | "DateOutOfWindow"
    | "ContentHashMismatch"
    | "SignatureMismatch"
  readonly message: string
}> {}

/**
 * Checks requests signed with one access key.
 *
 * @since 0.1.0
 * @category models
 */
export interface Verifier {
  /**
   * Checks everything the headers alone can show (the signature covers the claimed content hash),
   * so a server can refuse an unauthenticated request before reading its body.
   */
  readonly verifyHead: (request: ReceivedHead) => Effect.Effect<void, SignatureRejected>
  /** Checks the body against `x-ms-content-sha256`; run it after `verifyHead`. */
  readonly verifyBody: (request: ReceivedRequest) => Effect.Effect<void, SignatureRejected>
  /** Both checks. */
  readonly verify: (request: ReceivedRequest) => Effect.Effect<void, SignatureRejected>
}

/**
 * The default clock-skew window: 5 minutes either way.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultClockSkew: Duration.Duration = Duration.minutes(5)

const authorizationPattern =
  /^HMAC-SHA256 SignedHeaders=(x-ms-date|date);host;x-ms-content-sha256&Signature=([A-Za-z0-9+/]+={0,2})$/

const equalInConstantTime = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const reject = (reason: SignatureRejected["reason"], message: string) =>
  Effect.fail(new SignatureRejected({ reason, message }))

/**
 * A verifier for a base64 access key; fails, without echoing the key, when it is not base64.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  accessKey: Redacted.Redacted<string>,
  options: { readonly clockSkew?: Duration.DurationInput | undefined } = {}
): Effect.Effect<Verifier, InvalidArgumentError> =>
  Effect.gen(function*() {
    const bytes = Hmac.decodeAccessKey(Redacted.value(accessKey))
    const invalid = new InvalidArgumentError({ argument: "accessKey", message: "the access key is not valid base64" })
    if (bytes === undefined || bytes.length === 0) return yield* invalid
    const key = yield* Effect.mapError(Hmac.importHmacKey(bytes), () => invalid)
    const skew = Duration.toMillis(options.clockSkew ?? defaultClockSkew)

    const verifyHead = (request: ReceivedHead): Effect.Effect<void, SignatureRejected> =>
      Effect.gen(function*() {
        const authorization = request.headers["authorization"]
        if (authorization === undefined || authorization.length === 0) {
          return yield* reject("MissingAuthorization", "the request has no Authorization header")
        }
        const match = authorizationPattern.exec(authorization)
        if (match === null) {
          return yield* reject(
            "MalformedAuthorization",
            "the Authorization header is not HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…"
          )
        }
        const dateHeader = match[1]!
        const date = request.headers[dateHeader]
        const host = request.headers["host"]
        const claimedHash = request.headers["x-ms-content-sha256"]
        if (date === undefined || host === undefined || claimedHash === undefined) {
          return yield* reject("MissingHeader", `a signed header (${dateHeader}, host, x-ms-content-sha256) is missing`)
        }
        const sentAt = Date.parse(date)
        const now = yield* Clock.currentTimeMillis
        if (Number.isNaN(sentAt) || Math.abs(now - sentAt) > skew) {
          return yield* reject(
            "DateOutOfWindow",
            `${dateHeader} is not within ${skew / 1000} seconds of the server time`
          )
        }
        const message = Hmac.stringToSign(request.method, request.pathAndQuery, date, host, claimedHash)
        const expected = yield* Effect.orDie(Hmac.hmacSignature(key, message))
        if (!equalInConstantTime(expected, match[2]!)) {
          return yield* reject("SignatureMismatch", "the HMAC signature does not match the request")
        }
      })

    const verifyBody = (request: ReceivedRequest): Effect.Effect<void, SignatureRejected> =>
      Effect.gen(function*() {
        const hash = yield* Effect.orDie(Hmac.contentHash(request.body))
        if (hash !== request.headers["x-ms-content-sha256"]) {
          return yield* reject("ContentHashMismatch", "x-ms-content-sha256 does not match the request body")
        }
      })

    const verify = (request: ReceivedRequest) => Effect.zipRight(verifyHead(request), verifyBody(request))

    return { verifyHead, verifyBody, verify }
  })
