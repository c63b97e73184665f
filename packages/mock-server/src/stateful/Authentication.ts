/**
 * How the stateful mock authenticates a request, as the service does: an HMAC signature checked on
 * the head before the body is read and on the body's hash after, or an accepted bearer token; an
 * operation that authenticates with the user's own Entra token gets that token passed on instead.
 *
 * @since 0.1.0
 */
import type { Operations, SignatureVerifier } from "@acs-identity/sdk/testing"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
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
  /** Bearer tokens accepted in `Authorization: Bearer <token>`; none by default. */
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
        return Effect.succeed(bearers.has(bearer) ? Option.none() : unauthorized("The bearer token is not valid."))
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
