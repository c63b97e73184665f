/**
 * The values operations take and return, as `effect/Schema` where they are checked or decoded; the
 * service's JSON shapes built from them are in `internal/wire.ts`.
 *
 * @since 0.1.0
 */
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CommunicationUserIdentifier } from "./Identifier.js"

/**
 * What a token may be used for.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenScope = Schema.Literal("chat", "voip", "chat.join", "chat.join.limited", "voip.join")
/**
 * @see TokenScope
 *
 * @since 0.1.0
 * @category models
 */
export type TokenScope = typeof TokenScope.Type

/**
 * A non-empty list of scopes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenScopes = Schema.NonEmptyArray(TokenScope)

/**
 * A token lifetime in whole minutes, 60 to 1440 (the service's default is 1440).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExpiresInMinutes = Schema.Int.pipe(Schema.between(60, 1440))

/**
 * A caller-chosen id for a user (preview api-version only): 1 to 256 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(256))

/**
 * An Entra object or application id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Guid = Schema.String.pipe(
  Schema.pattern(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
)

/**
 * An ACS access token. The token is `Redacted`: it never shows in logs, spans or `toJSON`.
 *
 * @since 0.1.0
 * @category models
 */
export class AccessToken extends Schema.Class<AccessToken>("AccessToken")({
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.Date
}) {}

/**
 * A new user together with its first token.
 *
 * @since 0.1.0
 * @category models
 */
export class CommunicationUserToken extends Schema.Class<CommunicationUserToken>("CommunicationUserToken")({
  user: CommunicationUserIdentifier,
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.DateFromSelf
}) {}

/**
 * What the service knows about a user (preview api-version only).
 *
 * @since 0.1.0
 * @category models
 */
export class CommunicationUserDetails extends Schema.Class<CommunicationUserDetails>("CommunicationUserDetails")({
  id: Schema.String,
  customId: Schema.optional(Schema.String),
  lastTokenIssuedAt: Schema.optional(Schema.DateFromSelf)
}) {}

/**
 * Options of `createUser`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateUserOptions {
  /** Preview only: returns the existing user with this id instead of creating a second one. */
  readonly customId?: string | undefined
}

/**
 * Options of `getToken`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GetTokenOptions {
  /** Token lifetime, 60 to 1440 minutes. */
  readonly expiresInMinutes?: number | undefined
}

/**
 * Options of `createUserAndToken`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateUserAndTokenOptions extends GetTokenOptions, CreateUserOptions {}

/**
 * Arguments of `getTokenForTeamsUser`.
 *
 * @since 0.1.0
 * @category models
 */
export interface GetTokenForTeamsUserOptions {
  /** The Teams user's Entra access token. Pass it `Redacted` to keep it out of your own logs. */
  readonly teamsUserAadToken: string | Redacted.Redacted<string>
  /** The Entra application (client) id; must match the token's `appid` claim. */
  readonly clientId: string
  /** The Teams user's Entra object id; must match the token's `oid` claim (not the tenant id). */
  readonly userObjectId: string
}

/**
 * Who a Teams Phone extension assignment is for: a Teams resource account or a user.
 *
 * @since 0.1.0
 * @category models
 */
export const TeamsExtensionPrincipalType = Schema.Literal("resourceAccount", "user")
/**
 * @since 0.1.0
 * @category models
 * @see TeamsExtensionPrincipalType
 */
export type TeamsExtensionPrincipalType = typeof TeamsExtensionPrincipalType.Type

/**
 * Who an Entra ID assignment is for: one user, a group, or a whole tenant (2025-03-02-preview).
 *
 * @since 0.1.0
 * @category models
 */
export const EntraPrincipalType = Schema.Literal("user", "group", "tenant")
/**
 * @since 0.1.0
 * @category models
 * @see EntraPrincipalType
 */
export type EntraPrincipalType = typeof EntraPrincipalType.Type

/**
 * A Teams Phone extension assignment: which Entra object of which tenant may exchange its Entra token
 * for an ACS token, and through which applications (any when `clientIds` is absent).
 *
 * @since 0.1.0
 * @category models
 */
export class TeamsExtensionAssignment extends Schema.Class<TeamsExtensionAssignment>("TeamsExtensionAssignment")({
  objectId: Schema.String,
  tenantId: Schema.String,
  principalType: TeamsExtensionPrincipalType,
  clientIds: Schema.optional(Schema.Array(Schema.String))
}) {}

/**
 * An Entra ID assignment (2025-03-02-preview): which user, group or tenant may exchange its Entra
 * token for an ACS token, and through which applications.
 *
 * @since 0.1.0
 * @category models
 */
export class EntraAssignment extends Schema.Class<EntraAssignment>("EntraAssignment")({
  objectId: Schema.String,
  tenantId: Schema.String,
  principalType: EntraPrincipalType,
  clientIds: Schema.Array(Schema.String)
}) {}

/**
 * One page of the Entra ID assignments (`listEntraAssignmentsPage`).
 *
 * @since 0.1.0
 * @category models
 */
export interface EntraAssignmentPage {
  readonly assignments: ReadonlyArray<EntraAssignment>
  /** Names the next page to `listEntraAssignmentsPage`; `undefined` on the last page. */
  readonly continuationToken: string | undefined
}

/**
 * What a token exchange returns: the ACS identity of the Entra user and its ACS token.
 *
 * @since 0.1.0
 * @category models
 */
export class ExchangedToken extends Schema.Class<ExchangedToken>("ExchangedToken")({
  user: CommunicationUserIdentifier,
  token: Schema.Redacted(Schema.String),
  expiresOn: Schema.DateFromSelf
}) {}

/**
 * An Entra token as a caller passes it: keep it `Redacted` to keep it out of your own logs.
 *
 * @since 0.1.0
 * @category models
 */
export type EntraToken = string | Redacted.Redacted<string>

/**
 * Which Teams Phone extension assignment: the Entra tenant and object ids (GUIDs).
 *
 * @since 0.1.0
 * @category models
 */
export interface TeamsExtensionAssignmentKey {
  readonly tenantId: string
  readonly objectId: string
}

/**
 * Arguments of `upsertTeamsExtensionAssignment`.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpsertTeamsExtensionAssignmentOptions extends TeamsExtensionAssignmentKey {
  readonly principalType: TeamsExtensionPrincipalType
  /** Entra application ids allowed to exchange; absent allows any. */
  readonly clientIds?: ReadonlyArray<string> | undefined
}

/**
 * Arguments of `upsertEntraAssignment`.
 *
 * @since 0.1.0
 * @category models
 */
export interface UpsertEntraAssignmentOptions {
  readonly objectId: string
  readonly tenantId: string
  readonly principalType: EntraPrincipalType
  /** Entra application ids allowed to exchange. */
  readonly clientIds: ReadonlyArray<string>
}

/**
 * Changes for `updateEntraAssignments`: objectId to its new assignment, or `null` to delete it.
 *
 * @since 0.1.0
 * @category models
 */
export type EntraAssignmentChanges = Readonly<
  Record<string, Omit<UpsertEntraAssignmentOptions, "objectId"> | null>
>

/**
 * The result of an upsert: the assignment as stored and whether it was created (201) or replaced (200).
 *
 * @since 0.1.0
 * @category models
 */
export interface Upserted<A> {
  readonly assignment: A
  readonly created: boolean
}
