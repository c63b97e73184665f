/**
 * The values operations take and return, and the service's wire shapes, as `effect/Schema`.
 * Decoding the service's JSON and validating caller arguments both go through these schemas.
 *
 * @since 0.1.0
 */
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CommunicationUserIdentifier } from "./Identifier.js"

/** What a token may be used for. */
export const TokenScope = Schema.Literal("chat", "voip", "chat.join", "chat.join.limited", "voip.join")
/** @see TokenScope */
export type TokenScope = typeof TokenScope.Type

/** A non-empty list of scopes. */
export const TokenScopes = Schema.NonEmptyArray(TokenScope)

/** A token lifetime in whole minutes, 60 to 1440 (the service's default is 1440). */
export const ExpiresInMinutes = Schema.Int.pipe(Schema.between(60, 1440))

/** A caller-chosen id for a user (preview api-version only): 1 to 256 characters. */
export const CustomId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(256))

/** An Entra object or application id. */
export const Guid = Schema.String.pipe(
  Schema.pattern(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
)

/** An ACS access token. The token is `Redacted`: it never shows in logs, spans or `toJSON`. */
export class AccessToken extends Schema.Class<AccessToken>("AccessToken")({
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.Date
}) {}

/** A new user together with its first token. */
export class CommunicationUserToken extends Schema.Class<CommunicationUserToken>("CommunicationUserToken")({
  user: CommunicationUserIdentifier,
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.DateFromSelf
}) {}

/** What the service knows about a user (preview api-version only). */
export class CommunicationUserDetails extends Schema.Class<CommunicationUserDetails>("CommunicationUserDetails")({
  id: Schema.String,
  customId: Schema.optional(Schema.String),
  lastTokenIssuedAt: Schema.optional(Schema.DateFromSelf)
}) {}

/** Wire: `CommunicationIdentity`. */
export const IdentityWire = Schema.Struct({
  id: Schema.String,
  customId: Schema.optional(Schema.String),
  lastTokenIssuedAt: Schema.optional(Schema.Date)
})

/** Wire: the body of `201 POST /identities`. */
export const CreateIdentityResponseWire = Schema.Struct({
  identity: IdentityWire,
  accessToken: Schema.optional(AccessToken)
})

/** Wire: the body of `POST /identities`. */
export const CreateIdentityRequestWire = Schema.Struct({
  createTokenWithScopes: Schema.optional(TokenScopes),
  expiresInMinutes: Schema.optional(ExpiresInMinutes),
  customId: Schema.optional(CustomId)
})

/** Wire: the body of `POST /identities/{id}/:issueAccessToken`. */
export const IssueAccessTokenRequestWire = Schema.Struct({
  scopes: TokenScopes,
  expiresInMinutes: Schema.optional(ExpiresInMinutes)
})

/** Wire: the body of `POST /teamsUser/:exchangeAccessToken`. */
export const TeamsExchangeRequestWire = Schema.Struct({
  token: Schema.Redacted(Schema.String.pipe(Schema.minLength(1))),
  appId: Guid,
  userId: Guid
})

/** Options of `createUser`. */
export interface CreateUserOptions {
  /** Preview only: returns the existing user with this id instead of creating a second one. */
  readonly customId?: string | undefined
}

/** Options of `getToken`. */
export interface GetTokenOptions {
  /** Token lifetime, 60 to 1440 minutes. */
  readonly expiresInMinutes?: number | undefined
}

/** Options of `createUserAndToken`. */
export interface CreateUserAndTokenOptions extends GetTokenOptions, CreateUserOptions {}

/** Arguments of `getTokenForTeamsUser`. */
export interface GetTokenForTeamsUserOptions {
  /** The Teams user's Entra access token. Pass it `Redacted` to keep it out of your own logs. */
  readonly teamsUserAadToken: string | Redacted.Redacted<string>
  /** The Entra application (client) id; must match the token's `appid` claim. */
  readonly clientId: string
  /** The Teams user's Entra object id; must match the token's `oid` claim (not the tenant id). */
  readonly userObjectId: string
}
