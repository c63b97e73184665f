/**
 * Argument validation for every operation, shared by the HTTP client and the in-memory layer so
 * both reject exactly the same input, before anything is sent.
 */
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type ApiVersion, supportsCustomId, supportsExpiresInMinutes, supportsJoinScopes } from "../ApiVersion.js"
import { InvalidArgumentError } from "../Errors.js"
import type { CommunicationUserIdentifier } from "../Identifier.js"
import {
  ClientIds,
  CreateIdentityRequestWire,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type EntraAssignmentChanges,
  EntraAssignmentRequestWire,
  EntraAssignmentsUpdateWire,
  type EntraToken,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  Guid,
  IssueAccessTokenRequestWire,
  TeamsExchangeRequestWire,
  type TeamsExtensionAssignmentKey,
  type TeamsExtensionAssignmentRequestWire,
  TeamsExtensionPrincipalType,
  TokenScope,
  type UpsertEntraAssignmentOptions,
  type UpsertTeamsExtensionAssignmentOptions
} from "../Models.js"
import { isIdentityId, operations } from "../Operations.js"
import { require, validate, validateEither } from "./validate.js"

/** A validated `POST /identities` body. */
export type CreateRequest = typeof CreateIdentityRequestWire.Type
/** A validated `:issueAccessToken` body. */
export type IssueRequest = typeof IssueAccessTokenRequestWire.Type
/** A validated `:exchangeAccessToken` body (the token still `Redacted`). */
export type TeamsRequest = typeof TeamsExchangeRequestWire.Type

/** The common case of a user identifier, checked by hand (`validateEither`'s `accept`). */
export const plainUser = (value: unknown): CommunicationUserIdentifier | undefined => {
  if (!Predicate.isRecord(value)) return undefined
  const id = value.communicationUserId
  return typeof id === "string" && isIdentityId(id) ? { communicationUserId: id } : undefined
}

const scopeNames: ReadonlyArray<unknown> = TokenScope.literals

/** The common case of an `:issueAccessToken` body, checked by hand (`validateEither`'s `accept`). */
export const plainIssueBody = (value: unknown): IssueRequest | undefined => {
  if (!Predicate.isRecord(value)) return undefined
  const { expiresInMinutes, scopes } = value
  if (!Array.isArray(scopes)) return undefined
  const valid: Array<TokenScope> = []
  for (const scope of scopes) {
    if (!scopeNames.includes(scope)) return undefined
    valid.push(scope as TokenScope)
  }
  if (!Arr.isNonEmptyArray(valid)) return undefined
  if (expiresInMinutes === undefined) return "expiresInMinutes" in value ? undefined : { scopes: valid }
  return typeof expiresInMinutes === "number" && Number.isSafeInteger(expiresInMinutes) && expiresInMinutes >= 60 &&
      expiresInMinutes <= 1440
    ? { scopes: valid, expiresInMinutes }
    : undefined
}

const definedOnly = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (record[key] !== undefined) out[key] = record[key]
  return out
}

/**
 * A user identifier whose id can be a path segment: not empty, and not `.` or `..`, which URLs
 * resolve away (even percent-encoded), so a call would reach another resource; and well-formed
 * Unicode, since a lone surrogate cannot be percent-encoded.
 */
const userEither: (value: unknown) => Either.Either<CommunicationUserIdentifier, InvalidArgumentError> = validateEither(
  Schema.Struct({ communicationUserId: operations.deleteIdentity.params.id }),
  "user",
  { communicationUserId: "user" },
  plainUser
)

/** A user identifier whose id can be a path segment (see above), as an effect. */
export const user = (value: unknown): Effect.Effect<CommunicationUserIdentifier, InvalidArgumentError> => {
  const result = userEither(value)
  return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(result.left)
}

const createBody = validate(CreateIdentityRequestWire, "options", { createTokenWithScopes: "scopes" })
const issueBodyEither = validateEither(IssueAccessTokenRequestWire, "scopes", {}, plainIssueBody)
const issueBody = (value: unknown): Effect.Effect<IssueRequest, InvalidArgumentError> => {
  const result = issueBodyEither(value)
  return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(result.left)
}
const teamsBody = validate(TeamsExchangeRequestWire, "options", { appId: "clientId", userId: "userObjectId" })

/** Fails unless the api-version is the preview that has `feature`. */
export const previewOnly = (apiVersion: ApiVersion, feature: string): Effect.Effect<void, InvalidArgumentError> =>
  require(
    supportsCustomId(apiVersion),
    feature,
    `${feature} needs api-version 2025-03-02-preview (this client sends ${apiVersion})`
  )

const create = (apiVersion: ApiVersion, fields: Record<string, unknown>) =>
  Effect.tap(
    createBody(definedOnly(fields)),
    (request) => request.customId === undefined ? Effect.void : previewOnly(apiVersion, "customId")
  )

/** Arguments of `createUser`. */
export const createUser = (
  apiVersion: ApiVersion,
  options?: CreateUserOptions
): Effect.Effect<CreateRequest, InvalidArgumentError> => create(apiVersion, { customId: options?.customId })

const joinScopes: ReadonlyArray<TokenScope> = ["chat.join", "chat.join.limited", "voip.join"]

/**
 * Fails unless the api-version has what a valid token request asks for: the join scopes exist from
 * 2023-10-01, `expiresInMinutes` from 2022-10-01 (the service refuses them before; nothing is sent).
 */
const availableIn = (
  apiVersion: ApiVersion,
  request: IssueRequest
): Either.Either<IssueRequest, InvalidArgumentError> => {
  if (request.expiresInMinutes !== undefined && !supportsExpiresInMinutes(apiVersion)) {
    return Either.left(
      new InvalidArgumentError({
        argument: "expiresInMinutes",
        message: `expiresInMinutes needs api-version 2022-10-01 or later (this client sends ${apiVersion})`
      })
    )
  }
  const join = supportsJoinScopes(apiVersion) ? undefined : request.scopes.find((s) => joinScopes.includes(s))
  return join === undefined ? Either.right(request) : Either.left(
    new InvalidArgumentError({
      argument: "scopes",
      message: `the ${join} scope needs api-version 2023-10-01 or later (this client sends ${apiVersion})`
    })
  )
}

/** Arguments of `createUserAndToken`; scopes are required here. */
export const createUserAndToken = (
  apiVersion: ApiVersion,
  scopes: unknown,
  options?: CreateUserAndTokenOptions
): Effect.Effect<CreateRequest, InvalidArgumentError> =>
  Effect.zipRight(
    Effect.flatMap(
      issueBody({ scopes, ...definedOnly({ expiresInMinutes: options?.expiresInMinutes }) }),
      (request) => availableIn(apiVersion, request)
    ),
    create(apiVersion, {
      createTokenWithScopes: scopes,
      expiresInMinutes: options?.expiresInMinutes,
      customId: options?.customId
    })
  )

/** Arguments of `getToken`, checked now (the user first, as before): the caller needs no effect step to combine them. */
export const getTokenEither = (
  apiVersion: ApiVersion,
  target: unknown,
  scopes: unknown,
  options?: GetTokenOptions
): Either.Either<readonly [CommunicationUserIdentifier, IssueRequest], InvalidArgumentError> => {
  const valid = userEither(target)
  if (valid._tag === "Left") return Either.left(valid.left)
  const expiresInMinutes = options?.expiresInMinutes
  const body = issueBodyEither(expiresInMinutes === undefined ? { scopes } : { scopes, expiresInMinutes })
  if (body._tag === "Left") return Either.left(body.left)
  const available = availableIn(apiVersion, body.right)
  return available._tag === "Left" ? Either.left(available.left) : Either.right([valid.right, available.right] as const)
}

/** Arguments of `getToken`. */
export const getToken = (
  apiVersion: ApiVersion,
  target: unknown,
  scopes: unknown,
  options?: GetTokenOptions
): Effect.Effect<readonly [CommunicationUserIdentifier, IssueRequest], InvalidArgumentError> => {
  const result = getTokenEither(apiVersion, target, scopes, options)
  return result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(result.left)
}

/**
 * An end user's Entra token, kept `Redacted`: non-empty, and only the visible ASCII characters a
 * bearer token can hold (so it can go in a header). Checked without ever being echoed.
 */
export const entraToken = (value: EntraToken, argument = "entraToken"): Effect.Effect<
  Redacted.Redacted<string>,
  InvalidArgumentError
> => {
  const token: unknown = value
  const raw = Redacted.isRedacted(token) ? Redacted.value(token) : token
  return Effect.as(
    require(
      typeof raw === "string" && /^[\x21-\x7e]+$/.test(raw),
      argument,
      `${argument} must be a non-empty token of visible ASCII characters`
    ),
    Redacted.isRedacted(token) ? (token as Redacted.Redacted<string>) : Redacted.make(raw as string)
  )
}

const teamsKey = validate(Schema.Struct({ tenantId: Guid, objectId: Guid }), "assignment")
const teamsAssignmentBody = validate(
  Schema.Struct({ principalType: TeamsExtensionPrincipalType, clientIds: Schema.optional(ClientIds) }),
  "assignment"
)

/** The tenant and object of a Teams Phone extension assignment. */
export const teamsExtensionKey = (
  key: TeamsExtensionAssignmentKey
): Effect.Effect<TeamsExtensionAssignmentKey, InvalidArgumentError> =>
  Effect.suspend(() => teamsKey({ tenantId: key?.tenantId, objectId: key?.objectId }))

/** Arguments of `upsertTeamsExtensionAssignment`: the key, and the body to send. */
export const upsertTeamsExtensionAssignment = (
  options: UpsertTeamsExtensionAssignmentOptions
): Effect.Effect<
  readonly [TeamsExtensionAssignmentKey, typeof TeamsExtensionAssignmentRequestWire.Type],
  InvalidArgumentError
> =>
  Effect.zip(
    teamsExtensionKey(options),
    Effect.suspend(() =>
      teamsAssignmentBody(definedOnly({ principalType: options.principalType, clientIds: options.clientIds }))
    )
  )

/** An Entra object id (a GUID). */
export const objectId: (value: unknown) => Effect.Effect<string, InvalidArgumentError> = validate(Guid, "objectId")

const entraBody = validate(EntraAssignmentRequestWire, "assignment")

/** Arguments of `upsertEntraAssignment`: the object id, and the body to send. */
export const upsertEntraAssignment = (
  options: UpsertEntraAssignmentOptions
): Effect.Effect<readonly [string, typeof EntraAssignmentRequestWire.Type], InvalidArgumentError> =>
  Effect.zip(
    Effect.suspend(() => objectId(options?.objectId)),
    Effect.suspend(() =>
      entraBody({ tenantId: options.tenantId, principalType: options.principalType, clientIds: options.clientIds })
    )
  )

const changesBody = validate(EntraAssignmentsUpdateWire, "changes")

/** Arguments of `updateEntraAssignments`: objectId (a GUID) to an assignment or `null`. */
export const updateEntraAssignments = (
  changes: EntraAssignmentChanges
): Effect.Effect<typeof EntraAssignmentsUpdateWire.Type, InvalidArgumentError> => changesBody(changes)

/** Arguments of `getTokenForTeamsUser`. The token is checked without ever being echoed. */
export const getTokenForTeamsUser = (
  options: GetTokenForTeamsUserOptions
): Effect.Effect<TeamsRequest, InvalidArgumentError> => {
  const token: unknown = options?.teamsUserAadToken
  const raw = Redacted.isRedacted(token) ? Redacted.value(token) : token
  return Effect.zipRight(
    require(
      typeof raw === "string" && raw.length > 0,
      "teamsUserAadToken",
      "teamsUserAadToken must be a non-empty token"
    ),
    Effect.suspend(() => teamsBody({ token: raw, appId: options.clientId, userId: options.userObjectId }))
  )
}
