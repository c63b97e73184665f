/**
 * The whole `CommunicationIdentityClient` with no HTTP, for unit tests of code that uses the client.
 * Arguments are validated by the same module as the HTTP client, and the identity semantics come from
 * the same `IdentityStore` as the stateful mock server, so the three cannot disagree. Token expiry
 * follows the Effect `Clock`: under `TestClock`, `TestClock.adjust` makes tokens expire.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { CommunicationIdentityClient, type Service } from "./CommunicationIdentityClient.js"
import * as Arguments from "./internal/arguments.js"
import { paginate } from "./internal/paging.js"
import { operation } from "./internal/pipeline.js"
import { AccessToken, CommunicationUserDetails, CommunicationUserToken, ExchangedToken } from "./Models.js"
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

/**
 * The store behind the in-memory client, for assertions (users, tokens, revocations, request counts).
 *
 * @since 0.1.0
 * @category services
 */
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
  /** The HTTP client's order (span, version gate, arguments), then one request counted, then the store. */
  const call = <A, E>(id: OperationId, arguments_: Effect.Effect<A, E>, variant?: string) =>
  <B, F>(
    run: (valid: A) => Effect.Effect<B, F>
  ) =>
    operation(
      apiVersion,
      id,
      (trace) =>
        arguments_.pipe(
          Effect.tap(() => store.recordRequest(id)),
          Effect.flatMap(run),
          (effect) => trace.span === undefined ? effect : Effect.withParentSpan(effect, trace.span)
        ),
      variant
    )
  return {
    apiVersion,
    createUser: (options) =>
      call("createIdentity", Arguments.createUser(apiVersion, options))((request) =>
        Effect.map(store.createIdentity(request), (result) => ({ communicationUserId: result.user.id }))
      ),
    createUserAndToken: (scopes, options) =>
      call("createIdentity", Arguments.createUserAndToken(apiVersion, scopes, options), "createUserAndToken")((
        request
      ) =>
        Effect.map(store.createIdentity(request), (result) =>
          new CommunicationUserToken({
            user: { communicationUserId: result.user.id },
            token: result.accessToken!.token,
            expiresOn: result.accessToken!.expiresOn
          }))
      ),
    getToken: (user, scopes, options) =>
      call("issueAccessToken", Arguments.getToken(apiVersion, user, scopes, options))(([valid, request]) =>
        Effect.map(store.issueToken(valid.communicationUserId, request), accessToken)
      ),
    revokeTokens: (user) =>
      call("revokeAccessTokens", Arguments.user(user))((valid) => store.revokeTokens(valid.communicationUserId)),
    deleteUser: (user) =>
      call("deleteIdentity", Arguments.user(user))((valid) => store.deleteIdentity(valid.communicationUserId)),
    getTokenForTeamsUser: (options) =>
      call("exchangeTeamsUserAccessToken", Arguments.getTokenForTeamsUser(options))(
        (request) => Effect.map(store.exchangeTeamsToken(request), accessToken)
      ),
    getUser: (user) =>
      call("getIdentity", Arguments.user(user))((valid) =>
        Effect.map(store.getIdentity(valid.communicationUserId), (record) =>
          new CommunicationUserDetails({
            id: record.id,
            ...(record.customId === undefined ? {} : { customId: record.customId }),
            ...(record.lastTokenIssuedAt === undefined ? {} : { lastTokenIssuedAt: record.lastTokenIssuedAt })
          }))
      ),
    getTokenForTeamsExtensionUser: (token) =>
      call("exchangeTeamsExtensionAccessToken", Arguments.entraToken(token))(
        (bearer) => Effect.map(store.exchangeTeamsExtensionToken(bearer), exchanged)
      ),
    getTeamsExtensionAssignment: (key) =>
      call("getTeamsExtensionAssignment", Arguments.teamsExtensionKey(key))(
        (valid) => store.getTeamsExtensionAssignment(valid.tenantId, valid.objectId)
      ),
    upsertTeamsExtensionAssignment: (options) =>
      call("upsertTeamsExtensionAssignment", Arguments.upsertTeamsExtensionAssignment(options))(([key, body]) =>
        store.upsertTeamsExtensionAssignment(key.tenantId, key.objectId, body)
      ),
    deleteTeamsExtensionAssignment: (key) =>
      call("deleteTeamsExtensionAssignment", Arguments.teamsExtensionKey(key))(
        (valid) => store.deleteTeamsExtensionAssignment(valid.tenantId, valid.objectId)
      ),
    getTokenForEntraUser: (token) =>
      call("exchangeEntraAccessToken", Arguments.entraToken(token))(
        (bearer) => Effect.map(store.exchangeEntraToken(bearer), exchanged)
      ),
    listEntraAssignments: (options) =>
      paginate(
        (after) =>
          call("listEntraAssignments", Effect.void)(() =>
            Effect.map(store.listEntraAssignments(pageSize, after), (page) => ({ items: page.value, next: page.next }))
          ),
        options
      ),
    getEntraAssignment: (objectId) =>
      call("getEntraAssignment", Arguments.objectId(objectId))(store.getEntraAssignment),
    upsertEntraAssignment: (options) =>
      call("upsertEntraAssignment", Arguments.upsertEntraAssignment(options))(
        ([objectId, body]) => store.upsertEntraAssignment(objectId, body)
      ),
    deleteEntraAssignment: (objectId) =>
      call("deleteEntraAssignment", Arguments.objectId(objectId))(store.deleteEntraAssignment),
    updateEntraAssignments: (changes) =>
      call("updateEntraAssignments", Arguments.updateEntraAssignments(changes))(
        store.updateEntraAssignments
      )
  }
}

/**
 * The in-memory client and its state. A fresh, empty store per layer build.
 *
 * @since 0.1.0
 * @category constructors
 */
export const layer = (
  options: Options = {}
): Layer.Layer<CommunicationIdentityClient | InMemoryIdentityState> =>
  Layer.effectContext(
    Effect.map(IdentityStore.make(options), (store) =>
      Context.make(InMemoryIdentityState, store).pipe(
        Context.add(CommunicationIdentityClient, makeService(store, options.apiVersion, options.pageSize))
      ))
  )
