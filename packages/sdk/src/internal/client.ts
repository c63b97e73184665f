/**
 * The client's operations as methods over an `Invoke`: each checks its arguments (composed here
 * from the shared rules of `arguments.ts` and its row's schemas), sends its operation through
 * `invoke` and reads the answer into the client's models. The HTTP client's
 * `invoke` is the request pipeline; the in-memory layer's answers from its store. Both therefore run
 * this same code, in the same order (version gate, arguments, the call, the answer's reading).
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { ApiVersion } from "../ApiVersion.js"
import type { InvalidArgumentError } from "../Errors.js"
import {
  type AssignmentError,
  type AssignmentWriteError,
  type CreateUserError,
  type TeamsTokenError,
  type TokenExchangeError,
  UnexpectedResponseError,
  type UserOperationError
} from "../Errors.js"
import type { CommunicationUserIdentifier } from "../Identifier.js"
import {
  type AccessToken,
  CommunicationUserDetails,
  CommunicationUserToken,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type EntraAssignment,
  type EntraAssignmentChanges,
  type EntraAssignmentPage,
  type EntraToken,
  type ExchangedToken,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  type TeamsExtensionAssignment,
  type TeamsExtensionAssignmentKey,
  type TokenScope,
  type Upserted,
  type UpsertEntraAssignmentOptions,
  type UpsertTeamsExtensionAssignmentOptions
} from "../Models.js"
import { type ClientMethod, type OperationId, operations } from "../Operations.js"
import * as Arguments from "./arguments.js"
import { type Answer, type Invoke, operation, type Trace } from "./pipeline.js"
import { exchange } from "./tokenExchange.js"
import { readOptions } from "./validate.js"
import type { CreateIdentityRequestWire } from "./wire.js"

/**
 * The operations of the client. An operation the client's api-version lacks fails with
 * `InvalidArgumentError` (argument `apiVersion`) without a request. Re-exported, and documented,
 * by `CommunicationIdentityClient`.
 */
export interface Service {
  /** The api-version this client sends. */
  readonly apiVersion: ApiVersion
  /** Creates a user. With `customId` (preview) returns the existing user of that id if there is one. */
  readonly createUser: (
    options?: CreateUserOptions
  ) => Effect.Effect<CommunicationUserIdentifier, CreateUserError>
  /** Creates a user and issues its first token in one request. */
  readonly createUserAndToken: (
    scopes: ReadonlyArray<TokenScope>,
    options?: CreateUserAndTokenOptions
  ) => Effect.Effect<CommunicationUserToken, CreateUserError>
  /** Issues a token for a user (the original Python package's `issue_token`). */
  readonly getToken: (
    user: CommunicationUserIdentifier,
    scopes: ReadonlyArray<TokenScope>,
    options?: GetTokenOptions
  ) => Effect.Effect<AccessToken, UserOperationError>
  /** Revokes every token the user holds. */
  readonly revokeTokens: (user: CommunicationUserIdentifier) => Effect.Effect<void, UserOperationError>
  /** Deletes the user and revokes its tokens. */
  readonly deleteUser: (user: CommunicationUserIdentifier) => Effect.Effect<void, UserOperationError>
  /** Exchanges a Teams user's Entra token for an ACS token. */
  readonly getTokenForTeamsUser: (
    options: GetTokenForTeamsUserOptions
  ) => Effect.Effect<AccessToken, TeamsTokenError>
  /** Reads a user's details (preview api-version only). */
  readonly getUser: (user: CommunicationUserIdentifier) => Effect.Effect<CommunicationUserDetails, UserOperationError>
  /**
   * Exchanges a Teams Phone extension user's Entra token (sent as the bearer, not the client's
   * credential) for its ACS identity and token.
   */
  readonly getTokenForTeamsExtensionUser: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
  /** Reads the Teams Phone extension assignment of an Entra object of a tenant. */
  readonly getTeamsExtensionAssignment: (
    key: TeamsExtensionAssignmentKey
  ) => Effect.Effect<TeamsExtensionAssignment, AssignmentError>
  /** Creates or replaces a Teams Phone extension assignment; says which it did. */
  readonly upsertTeamsExtensionAssignment: (
    options: UpsertTeamsExtensionAssignmentOptions
  ) => Effect.Effect<Upserted<TeamsExtensionAssignment>, AssignmentWriteError>
  /** Deletes a Teams Phone extension assignment. */
  readonly deleteTeamsExtensionAssignment: (key: TeamsExtensionAssignmentKey) => Effect.Effect<void, AssignmentError>
  /** Exchanges an Entra ID user's token (the bearer) for its ACS identity and token (preview). */
  readonly getTokenForEntraUser: (entraToken: EntraToken) => Effect.Effect<ExchangedToken, TokenExchangeError>
  /**
   * One page of the Entra ID assignments (preview): the first, or the one a previous page's
   * `continuationToken` names. `EntraAssignments.stream` (`@acs-identity/sdk/EntraAssignments`)
   * follows every page as a `Stream`.
   */
  readonly listEntraAssignmentsPage: (
    continuationToken?: string
  ) => Effect.Effect<EntraAssignmentPage, AssignmentWriteError>
  /** Reads the Entra ID assignment of an object (preview). */
  readonly getEntraAssignment: (objectId: string) => Effect.Effect<EntraAssignment, AssignmentError>
  /** Creates or replaces the Entra ID assignment of an object; says which it did (preview). */
  readonly upsertEntraAssignment: (
    options: UpsertEntraAssignmentOptions
  ) => Effect.Effect<Upserted<EntraAssignment>, AssignmentWriteError>
  /** Deletes the Entra ID assignment of an object (preview). */
  readonly deleteEntraAssignment: (objectId: string) => Effect.Effect<void, AssignmentError>
  /**
   * Applies many changes at once (a JSON merge patch): each objectId maps to its new assignment, or
   * to `null` to delete it. Returns the assignments the service reports back (preview).
   */
  readonly updateEntraAssignments: (
    changes: EntraAssignmentChanges
  ) => Effect.Effect<ReadonlyArray<EntraAssignment>, AssignmentWriteError>
}

// Each operation's arguments, from the shared rules and the row's schemas; all are checked before anything is sent.

const createBody = Arguments.requestBody("createIdentity", "options", { createTokenWithScopes: "scopes" })

/** A create body from the defined fields; `customId` only where the api-version has it. */
const createRequest = (apiVersion: ApiVersion, fields: Record<string, unknown>) =>
  Effect.tap(
    createBody(Arguments.definedOnly(fields)),
    (request) => request.customId === undefined ? Effect.void : Arguments.previewOnly(apiVersion, "customId")
  )

// The fields each options argument is read for, once, before any check (`readOptions`).
const createFields = ["customId"] as const satisfies ReadonlyArray<keyof CreateUserOptions>
const createAndTokenFields = ["expiresInMinutes", "customId"] as const satisfies ReadonlyArray<
  keyof CreateUserAndTokenOptions
>
const issueFields = ["expiresInMinutes"] as const satisfies ReadonlyArray<keyof GetTokenOptions>
const teamsFields = ["teamsUserAadToken", "clientId", "userObjectId"] as const satisfies ReadonlyArray<
  keyof GetTokenForTeamsUserOptions
>
const keyFields = ["tenantId", "objectId"] as const satisfies ReadonlyArray<keyof TeamsExtensionAssignmentKey>
const teamsAssignmentFields = [...keyFields, "principalType", "clientIds"] as const satisfies ReadonlyArray<
  keyof UpsertTeamsExtensionAssignmentOptions
>
const entraAssignmentFields = ["objectId", "tenantId", "principalType", "clientIds"] as const satisfies ReadonlyArray<
  keyof UpsertEntraAssignmentOptions
>

/** `createUserAndToken`'s: the scopes are required, and checked as a token request's are. */
const createAndTokenRequest = (apiVersion: ApiVersion, scopes: unknown, options: unknown) =>
  Effect.flatMap(
    readOptions(options, "options", createAndTokenFields),
    ({ customId, expiresInMinutes }) =>
      Effect.zipRight(
        Effect.flatMap(
          Arguments.issueBody({ scopes, ...Arguments.definedOnly({ expiresInMinutes }) }),
          (request) => Arguments.availableIn(apiVersion, request)
        ),
        createRequest(apiVersion, { createTokenWithScopes: scopes, expiresInMinutes, customId })
      )
  )

/** `getToken`'s, checked now (the user first): valid ones need no effect step to combine. */
const issueArguments = (
  apiVersion: ApiVersion,
  target: unknown,
  scopes: unknown,
  options: unknown
): Either.Either<readonly [CommunicationUserIdentifier, Arguments.IssueRequest], InvalidArgumentError> => {
  const valid = Arguments.userEither(target)
  if (valid._tag === "Left") return Either.left(valid.left)
  const read = readOptions(options, "options", issueFields)
  if (read._tag === "Left") return Either.left(read.left)
  const expiresInMinutes = read.right.expiresInMinutes
  const body = Arguments.issueBodyEither(expiresInMinutes === undefined ? { scopes } : { scopes, expiresInMinutes })
  if (body._tag === "Left") return Either.left(body.left)
  const available = Arguments.availableIn(apiVersion, body.right)
  return available._tag === "Left" ? Either.left(available.left) : Either.right([valid.right, available.right] as const)
}

const teamsBody = Arguments.requestBody("exchangeTeamsUserAccessToken", "options", {
  appId: "clientId",
  userId: "userObjectId"
})

/** `getTokenForTeamsUser`'s; the token is checked without ever being echoed. */
const teamsRequest = (options: unknown) =>
  Effect.flatMap(
    readOptions(options, "options", teamsFields),
    ({ clientId, teamsUserAadToken, userObjectId }) =>
      Effect.flatMap(
        Arguments.tokenText(
          teamsUserAadToken,
          "teamsUserAadToken",
          (text) => text.length > 0,
          "teamsUserAadToken must be a non-empty token"
        ),
        (token) => teamsBody({ token, appId: clientId, userId: userObjectId })
      )
  )

const teamsKeyParams = Arguments.pathParams("getTeamsExtensionAssignment", "assignment")
const teamsKey = (key: { readonly tenantId?: unknown; readonly objectId?: unknown }) =>
  teamsKeyParams({ tenantId: key.tenantId, objectId: key.objectId })
const teamsAssignmentBody = Arguments.requestBody("upsertTeamsExtensionAssignment", "assignment")
const entraAssignmentBody = Arguments.requestBody("upsertEntraAssignment", "assignment")
const changesBody = Arguments.requestBody("updateEntraAssignments", "changes")

const listPath = operations.listEntraAssignments.path

/** The continuation token of a `nextLink` (its query), or an error for a link that leaves this endpoint's list. */
const continuationOf = (endpoint: URL, nextLink: string): Effect.Effect<string, UnexpectedResponseError> => {
  let next: URL | undefined
  try {
    next = new URL(nextLink, endpoint)
  } catch {
    next = undefined
  }
  if (next === undefined || next.origin !== endpoint.origin || next.pathname !== listPath) {
    return Effect.fail(
      new UnexpectedResponseError({ status: 200, message: "the nextLink does not point to this endpoint's list" })
    )
  }
  next.searchParams.delete("api-version")
  return Effect.succeed(next.searchParams.toString())
}

/**
 * `S`, which must have a method for every operation of the table: a row whose `clientMethod` the
 * client's `Service` lacks does not compile.
 */
type CoveringTable<S extends { readonly [M in ClientMethod]: unknown }> = S

/** The client's methods over `invoke`, for its api-version and endpoint (which a `nextLink` must stay on). */
export const makeClient = (apiVersion: ApiVersion, endpoint: URL, invoke: Invoke): CoveringTable<Service> => {
  const run = <A, E>(id: OperationId, body: (trace: Trace) => Effect.Effect<A, E>, variant?: keyof Service) =>
    operation(apiVersion, id, body, variant)
  const value = <A>(answer: { readonly value: A }) => answer.value
  const upserted = <A>({ status, value }: Answer<A>): Upserted<A> => ({
    assignment: value,
    created: status === 201
  })
  const create = (request: typeof CreateIdentityRequestWire.Type, trace: Trace) =>
    Effect.map(
      invoke("createIdentity", Object.keys(request).length === 0 ? { trace } : { body: request, trace }),
      value
    )

  return {
    apiVersion,
    createUser: (options) =>
      run(
        "createIdentity",
        (trace) =>
          Effect.flatMap(readOptions(options, "options", createFields), (read) => createRequest(apiVersion, read)).pipe(
            Effect.flatMap((request) => create(request, trace)),
            Effect.map((result): CommunicationUserIdentifier => ({ communicationUserId: result.identity.id }))
          )
      ),
    createUserAndToken: (scopes, options) =>
      run("createIdentity", (trace) =>
        createAndTokenRequest(apiVersion, scopes, options).pipe(
          Effect.flatMap((request) => create(request, trace)),
          Effect.flatMap((result) =>
            result.accessToken === undefined
              ? new UnexpectedResponseError({
                status: 201,
                message: "the create response has no accessToken although scopes were requested"
              })
              : Effect.succeed(
                new CommunicationUserToken({
                  user: { communicationUserId: result.identity.id },
                  token: result.accessToken.token,
                  expiresOn: result.accessToken.expiresOn
                })
              )
          )
        ), "createUserAndToken"),
    getToken: (user, scopes, options) =>
      run("issueAccessToken", (trace) => {
        // The arguments are checked now (as every operation's are); valid ones cost no effect step.
        const args = issueArguments(apiVersion, user, scopes, options)
        return args._tag === "Left"
          ? Effect.fail(args.left)
          : Effect.map(
            invoke("issueAccessToken", {
              params: { id: args.right[0].communicationUserId },
              body: args.right[1],
              trace
            }),
            value
          )
      }),
    revokeTokens: (user) =>
      run(
        "revokeAccessTokens",
        (trace) =>
          Effect.flatMap(Arguments.user(user), (valid) =>
            Effect.asVoid(invoke("revokeAccessTokens", { params: { id: valid.communicationUserId }, trace })))
      ),
    deleteUser: (user) =>
      run(
        "deleteIdentity",
        (trace) =>
          Effect.flatMap(Arguments.user(user), (valid) =>
            Effect.asVoid(invoke("deleteIdentity", { params: { id: valid.communicationUserId }, trace })))
      ),
    getUser: (user) =>
      run("getIdentity", (trace) =>
        Arguments.user(user).pipe(
          Effect.flatMap((valid) => invoke("getIdentity", { params: { id: valid.communicationUserId }, trace })),
          Effect.map(({ value }) => new CommunicationUserDetails(value))
        )),
    getTokenForTeamsUser: (options) =>
      run("exchangeTeamsUserAccessToken", (trace) =>
        teamsRequest(options).pipe(
          Effect.flatMap((body) => invoke("exchangeTeamsUserAccessToken", { body, trace })),
          Effect.map(value)
        )),
    getTokenForTeamsExtensionUser: exchange(invoke, apiVersion, "exchangeTeamsExtensionAccessToken"),
    getTeamsExtensionAssignment: (key) =>
      run(
        "getTeamsExtensionAssignment",
        (trace) =>
          Effect.flatMap(readOptions(key, "assignment", keyFields), teamsKey).pipe(
            Effect.flatMap((params) => invoke("getTeamsExtensionAssignment", { params: { ...params }, trace })),
            Effect.map(value)
          )
      ),
    upsertTeamsExtensionAssignment: (options) =>
      run(
        "upsertTeamsExtensionAssignment",
        (trace) =>
          Effect.flatMap(readOptions(options, "assignment", teamsAssignmentFields), (read) =>
            Effect.zip(
              teamsKey(read),
              teamsAssignmentBody(
                Arguments.definedOnly({ principalType: read.principalType, clientIds: read.clientIds })
              )
            )).pipe(
              Effect.flatMap(([params, body]) =>
                invoke("upsertTeamsExtensionAssignment", { params: { ...params }, body, trace })
              ),
              Effect.map(upserted)
            )
      ),
    deleteTeamsExtensionAssignment: (key) =>
      run(
        "deleteTeamsExtensionAssignment",
        (trace) =>
          Effect.flatMap(readOptions(key, "assignment", keyFields), teamsKey).pipe(
            Effect.flatMap((params) => invoke("deleteTeamsExtensionAssignment", { params: { ...params }, trace })),
            Effect.asVoid
          )
      ),
    getTokenForEntraUser: exchange(invoke, apiVersion, "exchangeEntraAccessToken"),
    listEntraAssignmentsPage: (token) =>
      run("listEntraAssignments", (trace) =>
        Arguments.continuationToken(token).pipe(
          // The empty token names the first page, as no token does.
          Effect.flatMap((query) => invoke("listEntraAssignments", { query: query || undefined, trace })),
          Effect.flatMap(({ value: page }): Effect.Effect<EntraAssignmentPage, UnexpectedResponseError> =>
            page.nextLink === undefined
              ? Effect.succeed({ assignments: page.value, continuationToken: undefined })
              : Effect.map(
                continuationOf(endpoint, page.nextLink),
                (next) => ({ assignments: page.value, continuationToken: next })
              )
          )
        )),
    getEntraAssignment: (objectId) =>
      run("getEntraAssignment", (trace) =>
        Arguments.objectId(objectId).pipe(
          Effect.flatMap((valid) => invoke("getEntraAssignment", { params: { objectId: valid }, trace })),
          Effect.map(value)
        )),
    upsertEntraAssignment: (options) =>
      run(
        "upsertEntraAssignment",
        (trace) =>
          Effect.flatMap(readOptions(options, "assignment", entraAssignmentFields), (read) =>
            Effect.zip(
              Arguments.objectId(read.objectId),
              entraAssignmentBody({
                tenantId: read.tenantId,
                principalType: read.principalType,
                clientIds: read.clientIds
              })
            )).pipe(
              Effect.flatMap(([objectId, body]) =>
                invoke("upsertEntraAssignment", { params: { objectId }, body, trace })
              ),
              Effect.map(upserted)
            )
      ),
    deleteEntraAssignment: (objectId) =>
      run("deleteEntraAssignment", (trace) =>
        Arguments.objectId(objectId).pipe(
          Effect.flatMap((valid) => invoke("deleteEntraAssignment", { params: { objectId: valid }, trace })),
          Effect.asVoid
        )),
    updateEntraAssignments: (changes) =>
      run("updateEntraAssignments", (trace) =>
        changesBody(changes).pipe(
          Effect.flatMap((body) => invoke("updateEntraAssignments", { body, trace })),
          Effect.map(({ value }) => value.value)
        ))
  }
}
