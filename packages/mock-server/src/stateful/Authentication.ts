/**
 * How the stateful mock authenticates a request, as the service does: an HMAC signature checked on
 * the head before the body is read and on the body's hash after, or an Entra bearer token; an
 * operation that authenticates with the user's own Entra token gets that token passed on instead.
 *
 * A bearer is accepted when it is one of the configured `bearerTokens`, or when it is a JWT whose
 * audience (`aud`) is the ACS resource, `https://communication.azure.com` (with or without the
 * trailing slash, as v1 tokens carry it), and whose `exp` is later than the mock's `Clock`. Its
 * signature is not checked: the mock has no Entra keys. Anything else is a 401 in the service's
 * error envelope, saying which rule failed (never echoing the token).
 *
 * @since 0.1.0
 */
import type { Operations, SignatureVerifier } from "@acs-identity/sdk/testing"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Reply from "../shared/Reply.js"

/**
 * What the mock accepts.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthenticationOptions {
  /**
   * `verify` (default) checks every HMAC signature; `presence` only requires an `Authorization`
   * header, for runs behind a proxy that rewrites `Host` (such as Prism's proxy mode).
   */
  readonly signature?: "verify" | "presence" | undefined
  /** Bearer tokens accepted as they are, besides JWTs for the ACS audience (see the module doc). */
  readonly bearerTokens?: ReadonlyArray<Redacted.Redacted<string>> | undefined
}

/**
 * The checks of one running mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface Authenticator {
  /** The refusal of a request by its head alone, before its body is read. */
  readonly head: (
    request: SignatureVerifier.ReceivedHead,
    authentication: Operations.Authentication
  ) => Effect.Effect<Option.Option<Reply.Reply>>
  /** The refusal of a signed request whose body does not match its signed hash. */
  readonly body: (
    request: SignatureVerifier.ReceivedHead,
    authentication: Operations.Authentication,
    body: Uint8Array
  ) => Effect.Effect<Option.Option<Reply.Reply>>
  /** The user's Entra token of an operation that authenticates with it (`undefined` otherwise). */
  readonly userToken: (
    request: SignatureVerifier.ReceivedHead,
    authentication: Operations.Authentication
  ) => Redacted.Redacted<string> | undefined
}

const unauthorized = (message: string) => Option.some(Reply.error(401, "Unauthorized", message))

/** The audiences of a token for the ACS data plane. */
const audiences: ReadonlyArray<string> = ["https://communication.azure.com", "https://communication.azure.com/"]

const Claims = Schema.parseJson(Schema.Struct({
  aud: Schema.Union(Schema.String, Schema.Array(Schema.String)),
  exp: Schema.Number
}))
const decodeClaims = Schema.decodeUnknownEither(Claims)

/** Why a bearer that is not a configured one is refused at `now`, or `undefined` when it is accepted. */
const jwtRefusal = (token: string, now: number): string | undefined => {
  const parts = token.split(".")
  const payload = parts.length === 3 ? Encoding.decodeBase64UrlString(parts[1]!) : undefined
  const claims = payload === undefined || Either.isLeft(payload) ? undefined : decodeClaims(payload.right)
  if (claims === undefined || Either.isLeft(claims)) return "The bearer token is not valid."
  const aud = typeof claims.right.aud === "string" ? [claims.right.aud] : claims.right.aud
  if (!aud.some((audience) => audiences.includes(audience))) {
    return "The bearer token's audience is not https://communication.azure.com."
  }
  return claims.right.exp * 1000 > now ? undefined : "The bearer token has expired."
}

const bearerOf = (request: SignatureVerifier.ReceivedHead): string | undefined => {
  const authorization = request.headers["authorization"]
  return authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined
}

/**
 * The authenticator over a signature verifier and the accepted bearer tokens.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: AuthenticationOptions, verifier: SignatureVerifier.Verifier): Authenticator => {
  const bearers = new Set((options.bearerTokens ?? []).map(Redacted.value))
  const verifies = options.signature !== "presence"
  return {
    head: (request, authentication) => {
      if (authentication !== "resource") return Effect.succeedNone
      const bearer = bearerOf(request)
      if (bearer !== undefined) {
        if (bearers.has(bearer)) return Effect.succeedNone
        return Effect.map(Clock.currentTimeMillis, (now) => {
          const refusal = jwtRefusal(bearer, now)
          return refusal === undefined ? Option.none() : unauthorized(refusal)
        })
      }
      if (!verifies) {
        return Effect.succeed(
          (request.headers["authorization"] ?? "").length > 0
            ? Option.none()
            : unauthorized("The request has no Authorization header.")
        )
      }
      return verifier.verifyHead(request).pipe(
        Effect.as(Option.none()),
        Effect.catchAll((rejected) => Effect.succeed(unauthorized(rejected.message)))
      )
    },
    body: (request, authentication, body) =>
      authentication !== "resource" || !verifies || bearerOf(request) !== undefined
        ? Effect.succeedNone
        : verifier.verifyBody({ ...request, body }).pipe(
          Effect.as(Option.none()),
          Effect.catchAll((rejected) => Effect.succeed(unauthorized(rejected.message)))
        ),
    userToken: (request, authentication) => {
      if (authentication !== "user") return undefined
      const bearer = bearerOf(request)
      return bearer === undefined ? undefined : Redacted.make(bearer)
    }
  }
}
