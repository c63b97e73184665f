/**
 * The token a credential hands out, what a refresher may return, and how its expiry is read.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CredentialError } from "./CredentialError.js"

/**
 * An ACS access token. The token is `Redacted`: it never shows in logs, spans or `toJSON`.
 * Same shape as `AccessToken` in `@acs-identity/sdk`, so the server SDK's tokens can be returned
 * by a refresher as they are.
 *
 * @since 0.1.0
 * @category models
 */
export class AccessToken extends Schema.Class<AccessToken>("AccessToken")({
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.DateFromSelf
}) {}

/**
 * What a static credential takes and a refresher may return: a token string (its expiry read from
 * the JWT `exp` claim), or a token with an explicit expiry (e.g. the SDK's `AccessToken`).
 *
 * @since 0.1.0
 * @category models
 */
export type TokenInput =
  | string
  | Redacted.Redacted<string>
  | { readonly token: string | Redacted.Redacted<string>; readonly expiresOn: Date }

/**
 * How long a token whose expiry cannot be read (not a JWT, no numeric `exp`, encrypted) is
 * assumed to live from when it was received: 10 minutes, as in the official credential 2.5.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUndecodableLifetime: Duration.Duration = Duration.minutes(10)

const JwtExp = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(Schema.Struct({ exp: Schema.Finite })))
const decodeJwtExp = Schema.decodeUnknownEither(JwtExp)

/**
 * The expiry in the `exp` claim of a JWT, if the token is one.
 *
 * @since 0.1.0
 * @category parsing
 */
export const jwtExpiry = (token: string): Date | undefined => {
  const parts = token.split(".")
  if (parts.length !== 3) return undefined
  const decoded = decodeJwtExp(parts[1])
  return Either.isRight(decoded) ? new Date(decoded.right.exp * 1000) : undefined
}

/** A token string, plain or `Redacted`. */
const TokenString = Schema.Union(Schema.String, Schema.RedactedFromSelf(Schema.String))

/** What `TokenInput` is at run time: a refresher written in JavaScript, or cast, may return anything. */
const TokenInputSchema = Schema.Union(
  TokenString,
  Schema.Struct({ token: TokenString, expiresOn: Schema.DateFromSelf })
)
const decodeTokenInput = Schema.decodeUnknownEither(TokenInputSchema)

const invalid = (message: string) => Effect.fail(new CredentialError({ reason: "InvalidToken", message }))

/**
 * Turns what a caller or refresher gave into an `AccessToken`: an explicit expiry is kept; a string
 * gets its JWT `exp`, or `receivedAt + undecodableLifetime` when that cannot be read. The input is
 * decoded, not trusted: anything but a token string or a `{ token, expiresOn }` (e.g. `null`), an
 * empty or blank token, or an invalid explicit expiry, is an `InvalidToken` error.
 *
 * @since 0.1.0
 * @category parsing
 */
export const toAccessToken = (
  input: TokenInput,
  receivedAt: number,
  undecodableLifetime: Duration.DurationInput = defaultUndecodableLifetime
): Effect.Effect<AccessToken, CredentialError> => {
  const decoded = decodeTokenInput(input)
  if (Either.isLeft(decoded)) {
    return invalid("not a token: expected a token string or { token, expiresOn: Date }")
  }
  const raw = (value: string | Redacted.Redacted<string>) => Redacted.isRedacted(value) ? Redacted.value(value) : value
  const value = decoded.right
  const bare = typeof value === "string" || Redacted.isRedacted(value)
  const token = bare ? raw(value) : raw(value.token)
  if (token.trim().length === 0) return invalid("the token is empty")
  const expiresOn = bare
    ? jwtExpiry(token) ?? new Date(receivedAt + Duration.toMillis(undecodableLifetime))
    : value.expiresOn
  if (Number.isNaN(expiresOn.getTime())) return invalid("the token's expiresOn is not a valid Date")
  return Effect.succeed(new AccessToken({ token: Redacted.make(token), expiresOn }))
}
