/**
 * The service's wire shapes, as `effect/Schema`: the JSON bodies operations send and receive, which
 * the operation table names and the public models (`Models.ts`) are built into or from.
 */
import * as Schema from "effect/Schema"
import {
  AccessToken,
  CustomId,
  EntraAssignment,
  EntraPrincipalType,
  ExpiresInMinutes,
  Guid,
  TeamsExtensionPrincipalType,
  TokenScopes
} from "../Models.js"

/** The service's `CommunicationIdentity`. */
export const IdentityWire = Schema.Struct({
  id: Schema.String,
  customId: Schema.optional(Schema.String),
  lastTokenIssuedAt: Schema.optional(Schema.Date)
})

/** The body of `201 POST /identities`. */
export const CreateIdentityResponseWire = Schema.Struct({
  identity: IdentityWire,
  accessToken: Schema.optional(AccessToken)
})

/** The body of `POST /identities`. */
export const CreateIdentityRequestWire = Schema.Struct({
  createTokenWithScopes: Schema.optional(TokenScopes),
  expiresInMinutes: Schema.optional(ExpiresInMinutes),
  customId: Schema.optional(CustomId)
})

/** The body of `POST /identities/{id}/:issueAccessToken`. */
export const IssueAccessTokenRequestWire = Schema.Struct({
  scopes: TokenScopes,
  expiresInMinutes: Schema.optional(ExpiresInMinutes)
})

/** The body of `POST /teamsUser/:exchangeAccessToken`. */
export const TeamsExchangeRequestWire = Schema.Struct({
  token: Schema.Redacted(Schema.String.pipe(Schema.minLength(1))),
  appId: Guid,
  userId: Guid
})

/** Entra application (client) ids an assignment allows; each a GUID. */
const ClientIds = Schema.Array(Guid)

/** The body of `PUT /access/teamsExtension/tenants/{tenantId}/assignments/{objectId}`. */
export const TeamsExtensionAssignmentRequestWire = Schema.Struct({
  principalType: TeamsExtensionPrincipalType,
  clientIds: Schema.optional(ClientIds)
})

/** The body of `PUT /access/entra/assignments/{objectId}`, and each value of the bulk update. */
export const EntraAssignmentRequestWire = Schema.Struct({
  tenantId: Guid,
  principalType: EntraPrincipalType,
  clientIds: ClientIds
})

/** One page of Entra assignments, `{ value, nextLink? }`. */
export const EntraAssignmentsPageWire = Schema.Struct({
  value: Schema.Array(EntraAssignment),
  nextLink: Schema.optional(Schema.String)
})

/**
 * The bulk update body (`application/merge-patch+json`): objectId to its new assignment, or
 * `null` to delete it.
 */
export const EntraAssignmentsUpdateWire = Schema.Record({
  key: Schema.String,
  value: Schema.NullOr(EntraAssignmentRequestWire)
}).pipe(
  Schema.filter((changes) => {
    const bad = Object.keys(changes).find((key) => !Schema.is(Guid)(key))
    return bad === undefined || { path: [bad], message: "every key must be an objectId (a GUID)" }
  })
)

/** The body of both token exchanges authenticated by the user's Entra token: an empty object. */
export const EntraExchangeRequestWire = Schema.Struct({})

/** The 200 body of both Entra-authenticated token exchanges. */
export const ExchangeResultWire = Schema.Struct({
  identity: IdentityWire,
  accessToken: AccessToken
})
