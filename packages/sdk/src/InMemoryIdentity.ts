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
import type { CommunicationUserIdentifier } from "./Identifier.js"
import * as Arguments from "./internal/arguments.js"
import {
  AccessToken,
  CommunicationUserDetails,
  CommunicationUserToken,
  type CreateUserAndTokenOptions,
  type CreateUserOptions,
  type GetTokenForTeamsUserOptions,
  type GetTokenOptions,
  type TokenScope
} from "./Models.js"
import * as IdentityStore from "./testing/IdentityStore.js"

/** Options of the in-memory layer. */
export interface Options extends IdentityStore.StoreOptions {
  /** The api-version the client pretends to send; `customId` and `getUser` need `2025-03-02-preview`. */
  readonly apiVersion?: ApiVersion | undefined
}

/** The store behind the in-memory client, for assertions (users, tokens, revocations, request counts). */
export class InMemoryIdentityState
  extends Context.Tag("@acs-identity/sdk/InMemoryIdentityState")<InMemoryIdentityState, IdentityStore.IdentityStore>()
{}

const accessToken = (issued: IdentityStore.IssuedToken) =>
  new AccessToken({ token: issued.token, expiresOn: issued.expiresOn })

/** The client over a store: validation first (nothing counted when it fails), then the store. */
export const makeService = (
  store: IdentityStore.IdentityStore,
  apiVersion: ApiVersion = defaultApiVersion
): Service => {
  const create = (request: Arguments.CreateRequest) =>
    Effect.zipRight(store.recordRequest("createIdentity"), store.createIdentity(request))
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
    })
  }
}

/** The in-memory client and its state. A fresh, empty store per layer build. */
export const layer = (
  options: Options = {}
): Layer.Layer<CommunicationIdentityClient | InMemoryIdentityState> =>
  Layer.effectContext(
    Effect.map(IdentityStore.make(options), (store) =>
      Context.make(InMemoryIdentityState, store).pipe(
        Context.add(CommunicationIdentityClient, makeService(store, options.apiVersion))
      ))
  )
