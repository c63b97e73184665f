/**
 * The argument rules several operations share, checked before anything is sent: a user, token
 * scopes with their lifetime, an end user's Entra token, an Entra object id, a page's continuation
 * token, the preview gate, and an operation's body or path parameters checked against its row's
 * schemas. Each operation's own
 * composition of them sits beside its method in `client.ts`.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type ApiVersion, supportsCustomId, supportsExpiresInMinutes, supportsJoinScopes } from "../ApiVersion.js"
import { InvalidArgumentError } from "../Errors.js"
import type { CommunicationUserIdentifier } from "../Identifier.js"
import type { EntraToken, TokenScope } from "../Models.js"
import { type OperationId, operations, type PathParams, type RequestBody } from "../Operations.js"
import { readSafely, require, validate, validateEither } from "./validate.js"
import { IssueAccessTokenRequestWire } from "./wire.js"

/** A validated `:issueAccessToken` body (also the token part of a create). */
export type IssueRequest = typeof IssueAccessTokenRequestWire.Type

/** The record without its `undefined` fields (an absent option is not sent). */
export const definedOnly = (record: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (record[key] !== undefined) out[key] = record[key]
  return out
}

const toEffect = <A>(result: Either.Either<A, InvalidArgumentError>): Effect.Effect<A, InvalidArgumentError> =>
  result._tag === "Right" ? Effect.succeed(result.right) : Effect.fail(result.left)

/**
 * A user identifier whose id can be a path segment (the row's `IdentityIdParameter`), as a plain
 * `Either`; any problem is the argument `user`.
 */
export const userEither: (value: unknown) => Either.Either<CommunicationUserIdentifier, InvalidArgumentError> =
  validateEither(
    Schema.Struct({ communicationUserId: operations.deleteIdentity.params.id }),
    "user",
    { communicationUserId: "user" }
  )

/** A user identifier whose id can be a path segment, as an effect. */
export const user = (value: unknown): Effect.Effect<CommunicationUserIdentifier, InvalidArgumentError> =>
  toEffect(userEither(value))

/** Token scopes with an optional lifetime (the argument `scopes`, or `expiresInMinutes`), as a plain `Either`. */
export const issueBodyEither = validateEither(IssueAccessTokenRequestWire, "scopes")

/** `issueBodyEither` as an effect. */
export const issueBody = (value: unknown): Effect.Effect<IssueRequest, InvalidArgumentError> =>
  toEffect(issueBodyEither(value))

const joinScopes: ReadonlyArray<TokenScope> = ["chat.join", "chat.join.limited", "voip.join"]

/**
 * Fails unless the api-version has what a valid token request asks for: the join scopes exist from
 * 2023-10-01, `expiresInMinutes` from 2022-10-01 (the service refuses them before; nothing is sent).
 */
export const availableIn = (
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

/** Fails unless the api-version is the preview that has `feature`. */
export const previewOnly = (apiVersion: ApiVersion, feature: string): Effect.Effect<void, InvalidArgumentError> =>
  require(
    supportsCustomId(apiVersion),
    feature,
    `${feature} needs api-version 2025-03-02-preview (this client sends ${apiVersion})`
  )

/**
 * A token argument, plain or `Redacted`, as its text when `valid` accepts it; checked without ever
 * being echoed (`message` says what is wanted).
 */
export const tokenText = (
  value: unknown,
  argument: string,
  valid: (text: string) => boolean,
  message: string
): Either.Either<string, InvalidArgumentError> =>
  readSafely(argument, () => {
    const text = Redacted.isRedacted(value) ? Redacted.value(value) : value
    return typeof text === "string" && valid(text)
      ? Either.right(text)
      : Either.left(new InvalidArgumentError({ argument, message }))
  })

/**
 * An end user's Entra token, kept `Redacted`: non-empty, and only the visible ASCII characters a
 * bearer token can hold (so it can go in a header).
 */
export const entraToken = (
  value: EntraToken,
  argument = "entraToken"
): Effect.Effect<Redacted.Redacted<string>, InvalidArgumentError> =>
  toEffect(Either.map(
    tokenText(
      value,
      argument,
      (text) => /^[\x21-\x7e]+$/.test(text),
      `${argument} must be a non-empty token of visible ASCII characters`
    ),
    Redacted.make
  ))

/** An Entra object id (a GUID, the row's path parameter). */
export const objectId: (value: unknown) => Effect.Effect<string, InvalidArgumentError> = validate(
  operations.getEntraAssignment.params.objectId,
  "objectId"
)

/**
 * A page's continuation token as the client makes them from a `nextLink`: a query in its canonical
 * form (`URLSearchParams`'s), without `api-version` (the client sends its own). Anything else would
 * go out as a query the client did not make.
 */
const ContinuationToken = Schema.String.pipe(Schema.filter((token) => {
  const query = new URLSearchParams(token)
  return (query.toString() === token && !query.has("api-version")) || "not a token a previous page returned"
}))

/** A page's continuation token, when one is given. */
export const continuationToken: (value: unknown) => Effect.Effect<string | undefined, InvalidArgumentError> = validate(
  Schema.UndefinedOr(ContinuationToken),
  "continuationToken"
)

/** The request body of an operation, checked by its row's schema; fields renamed through `names` in errors. */
export const requestBody = <K extends OperationId>(
  id: K,
  argument: string,
  names?: Readonly<Record<string, string>>
): (value: unknown) => Effect.Effect<RequestBody<K>, InvalidArgumentError> =>
  validate(operations[id].request as unknown as Schema.Schema<RequestBody<K>, unknown>, argument, names)

/** The path parameters of an operation, checked by its row's schemas. */
export const pathParams = <K extends OperationId>(
  id: K,
  argument: string
): (value: unknown) => Effect.Effect<PathParams<K>, InvalidArgumentError> =>
  validate(
    Schema.Struct(operations[id].params) as unknown as Schema.Schema<PathParams<K>, unknown>,
    argument
  )
