/**
 * The whole `CommunicationIdentityClient` with no HTTP, for unit tests of code that uses the client.
 * Arguments are validated by the same module as the HTTP client, and the identity semantics come from
 * the same `IdentityStore` as the stateful mock server, so the three cannot disagree. Token expiry
 * follows the Effect `Clock`: under `TestClock`, `TestClock.adjust` makes tokens expire.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { CommunicationIdentityClient, type Service } from "./CommunicationIdentityClient.js"
import type { CommunicationUserIdentifier } from "./Identifier.js"
import * as Arguments from "./internal/arguments.js"
import { traced } from "./internal/operation.js"
import {
  AccessToken,
  CommunicationUserDetails,
  CommunicationUserToken,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  ExchangedToken,
  type TokenScope
} from "./Models.js"
import type { OperationId } from "./Operations.js"
import * as IdentityStore from "./testing/IdentityStore.js"

/**
 * Options of the in-memory layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends IdentityStore.StoreOptions {
  /** The api-version the client pretends to send; `customId`, `getUser` and Entra ID need `2025-03-02-preview`. */
  readonly apiVersion?: ApiVersion | undefined
  /** Entra assignments per page of `listEntraAssignments` (default {@link defaultPageSize}), so paging is exercised. */
  readonly pageSize?: number | undefined
}

/**
 * The default page size of `listEntraAssignments` here and in the stateful mock: small, so clients
 * under test follow `nextLink`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPageSize = 5

/** The store behind the in-memory client, for assertions (users, tokens, revocations, request counts). */
export class InMemoryIdentityState
  extends Context.Tag("@acs-identity/sdk/InMemoryIdentityState")<InMemoryIdentityState, IdentityStore.IdentityStore>()
{}

const accessToken = (issued: IdentityStore.IssuedToken) =>
  new AccessToken({ token: issued.token, expiresOn: issued.expiresOn })

const exchanged = (result: IdentityStore.ExchangeResult) =>
  new ExchangedToken({
    user: { communicationUserId: result.userId },
    token: result.token.token,
    expiresOn: result.token.expiresOn
  })

/**
 * The client over a store: validation first (nothing counted when it fails), then the store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeService = (
  store: IdentityStore.IdentityStore,
  apiVersion: ApiVersion = defaultApiVersion,
  pageSize: number = defaultPageSize
): Service => {
  const create = (request: Arguments.CreateRequest) =>
    Effect.zipRight(store.recordRequest("createIdentity"), store.createIdentity(request))
  /** Version gate, then one request counted, then the store; under the operation's span. */
  const call = <A, E>(operation: OperationId, method: string, arguments_: Effect.Effect<A, E>) =>
  <B, F>(
    run: (valid: A) => Effect.Effect<B, F>
  ) =>
    Arguments.available(apiVersion, operation, method).pipe(
      Effect.zipRight(arguments_),
      Effect.tap(() => store.recordRequest(operation)),
      Effect.flatMap(run),
      traced(method, operation)
    )
  return {
    apiVersion,
    createUser: Effect.fn("InMemoryIdentity.createUser")(function*(options?: CreateUserOptions) {
      const result = yield* create(yield* Arguments.createUser(apiVersion, options))
      return { communicationUserId: result.user.id } satisfies CommunicationUserIdentifier
    }),
    createUserAndToken: Effect.fn("InMemoryIdentity.createUserAndToken")(
      function*(scopes: ReadonlyArray<TokenScope>, options?: CreateUserAndTokenOptions) {
        const result = yield* create(yield* Arguments.createUserAndToken(apiVersion, scopes, options))
        const issued = result.accessToken!
        return new CommunicationUserToken({
          user: { communicationUserId: result.user.id },
          token: issued.token,
          expiresOn: issued.expiresOn
        })
      }
    ),
    getToken: Effect.fn("InMemoryIdentity.getToken")(
      function*(user: CommunicationUserIdentifier, scopes: ReadonlyArray<TokenScope>, options?: GetTokenOptions) {
        const [valid, request] = yield* Arguments.getToken(user, scopes, options)
        yield* store.recordRequest("issueAccessToken")
        return accessToken(yield* store.issueToken(valid.communicationUserId, request))
      }
    ),
    revokeTokens: Effect.fn("InMemoryIdentity.revokeTokens")(function*(user: CommunicationUserIdentifier) {
      const valid = yield* Arguments.user(user)
      yield* store.recordRequest("revokeAccessTokens")
      return yield* store.revokeTokens(valid.communicationUserId)
    }),
    deleteUser: Effect.fn("InMemoryIdentity.deleteUser")(function*(user: CommunicationUserIdentifier) {
      const valid = yield* Arguments.user(user)
      yield* store.recordRequest("deleteIdentity")
      return yield* store.deleteIdentity(valid.communicationUserId)
    }),
    getTokenForTeamsUser: Effect.fn("InMemoryIdentity.getTokenForTeamsUser")(
      function*(options: GetTokenForTeamsUserOptions) {
        const request = yield* Arguments.getTokenForTeamsUser(options)
        yield* store.recordRequest("exchangeTeamsUserAccessToken")
        return accessToken(yield* store.exchangeTeamsToken(request))
      }
    ),
    getUser: Effect.fn("InMemoryIdentity.getUser")(function*(user: CommunicationUserIdentifier) {
      const valid = yield* Arguments.getUser(apiVersion, user)
      yield* store.recordRequest("getIdentity")
      const record = yield* store.getIdentity(valid.communicationUserId)
      return new CommunicationUserDetails({
        id: record.id,
        ...(record.customId === undefined ? {} : { customId: record.customId }),
        ...(record.lastTokenIssuedAt === undefined ? {} : { lastTokenIssuedAt: record.lastTokenIssuedAt })
      })
    }),
    getTokenForTeamsExtensionUser: (token) =>
      call("exchangeTeamsExtensionAccessToken", "getTokenForTeamsExtensionUser", Arguments.entraToken(token))(
        (bearer) => Effect.map(store.exchangeTeamsExtensionToken(bearer), exchanged)
      ),
    getTeamsExtensionAssignment: (key) =>
      call("getTeamsExtensionAssignment", "getTeamsExtensionAssignment", Arguments.teamsExtensionKey(key))(
        (valid) => store.getTeamsExtensionAssignment(valid.tenantId, valid.objectId)
      ),
    upsertTeamsExtensionAssignment: (options) =>
      call(
        "upsertTeamsExtensionAssignment",
        "upsertTeamsExtensionAssignment",
        Arguments.upsertTeamsExtensionAssignment(options)
      )(([key, body]) => store.upsertTeamsExtensionAssignment(key.tenantId, key.objectId, body)),
    deleteTeamsExtensionAssignment: (key) =>
      call("deleteTeamsExtensionAssignment", "deleteTeamsExtensionAssignment", Arguments.teamsExtensionKey(key))(
        (valid) => store.deleteTeamsExtensionAssignment(valid.tenantId, valid.objectId)
      ),
    getTokenForEntraUser: (token) =>
      call("exchangeEntraAccessToken", "getTokenForEntraUser", Arguments.entraToken(token))(
        (bearer) => Effect.map(store.exchangeEntraToken(bearer), exchanged)
      ),
    listEntraAssignments: () =>
      Stream.paginateChunkEffect(undefined as string | undefined, (after) =>
        call("listEntraAssignments", "listEntraAssignments", Effect.void)(() =>
          Effect.map(
            store.listEntraAssignments(pageSize, after),
            (page) => [Chunk.fromIterable(page.value), Option.fromNullable(page.next)] as const
          )
        )),
    getEntraAssignment: (objectId) =>
      call("getEntraAssignment", "getEntraAssignment", Arguments.objectId(objectId))(store.getEntraAssignment),
    upsertEntraAssignment: (options) =>
      call("upsertEntraAssignment", "upsertEntraAssignment", Arguments.upsertEntraAssignment(options))(
        ([objectId, body]) => store.upsertEntraAssignment(objectId, body)
      ),
    deleteEntraAssignment: (objectId) =>
      call("deleteEntraAssignment", "deleteEntraAssignment", Arguments.objectId(objectId))(store.deleteEntraAssignment),
    updateEntraAssignments: (changes) =>
      call("updateEntraAssignments", "updateEntraAssignments", Arguments.updateEntraAssignments(changes))(
        store.updateEntraAssignments
      )
  }
}

/** The in-memory client and its state. A fresh, empty store per layer build. */
export const layer = (
  options: Options = {}
): Layer.Layer<CommunicationIdentityClient | InMemoryIdentityState> =>
  Layer.effectContext(
    Effect.map(IdentityStore.make(options), (store) =>
      Context.make(InMemoryIdentityState, store).pipe(
        Context.add(CommunicationIdentityClient, makeService(store, options.apiVersion, options.pageSize))
      ))
  )
