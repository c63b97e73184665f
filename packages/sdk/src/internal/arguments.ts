/**
 * Argument validation for every operation, shared by the HTTP client and the in-memory layer so
 * both reject exactly the same input, before anything is sent.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type ApiVersion, supportsCustomId } from "../ApiVersion.js"
import type { InvalidArgumentError } from "../Errors.js"
import { CommunicationUserIdentifier } from "../Identifier.js"
import {
  CreateIdentityRequestWire,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  IssueAccessTokenRequestWire,
  TeamsExchangeRequestWire
} from "../Models.js"
import { require, validate } from "./validate.js"

/** A validated `POST /identities` body. */
export type CreateRequest = typeof CreateIdentityRequestWire.Type
/** A validated `:issueAccessToken` body. */
export type IssueRequest = typeof IssueAccessTokenRequestWire.Type
/** A validated `:exchangeAccessToken` body (the token still `Redacted`). */
export type TeamsRequest = typeof TeamsExchangeRequestWire.Type

const definedOnly = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))

/**
 * A user identifier whose id can be a path segment: not empty, and not `.` or `..`, which URLs
 * resolve away (even percent-encoded), so a call would reach another resource; and well-formed
 * Unicode, since a lone surrogate cannot be percent-encoded.
 */
export const user: (value: unknown) => Effect.Effect<CommunicationUserIdentifier, InvalidArgumentError> = validate(
  CommunicationUserIdentifier.pipe(
    Schema.filter((u) => {
      const id = u.communicationUserId
      if (/[\uD800-\uDFFF]/u.test(id)) return "a user id must be well-formed Unicode (it has a lone surrogate)"
      return (id.length > 0 && id !== "." && id !== "..") || "a user id must not be empty, \".\" or \"..\""
    })
  ),
  "user",
  { communicationUserId: "user" }
)

const createBody = validate(CreateIdentityRequestWire, "options", { createTokenWithScopes: "scopes" })
const issueBody = validate(IssueAccessTokenRequestWire, "scopes")
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

/** Arguments of `createUserAndToken`; scopes are required here. */
export const createUserAndToken = (
  apiVersion: ApiVersion,
  scopes: unknown,
  options?: CreateUserAndTokenOptions
): Effect.Effect<CreateRequest, InvalidArgumentError> =>
  Effect.zipRight(
    issueBody({ scopes, ...definedOnly({ expiresInMinutes: options?.expiresInMinutes }) }),
    create(apiVersion, {
      createTokenWithScopes: scopes,
      expiresInMinutes: options?.expiresInMinutes,
      customId: options?.customId
    })
  )

/** Arguments of `getToken`. */
export const getToken = (
  target: unknown,
  scopes: unknown,
  options?: GetTokenOptions
): Effect.Effect<readonly [CommunicationUserIdentifier, IssueRequest], InvalidArgumentError> =>
  Effect.zip(user(target), issueBody({ scopes, ...definedOnly({ expiresInMinutes: options?.expiresInMinutes }) }))

/** Arguments of `getUser` (preview only). */
export const getUser = (
  apiVersion: ApiVersion,
  target: unknown
): Effect.Effect<CommunicationUserIdentifier, InvalidArgumentError> =>
  Effect.zipLeft(user(target), previewOnly(apiVersion, "getUser"))

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
