/**
 * The whole `CommunicationIdentityClient` with no HTTP, for unit tests of code that uses the client.
 * It runs the HTTP client's own code (version gate, arguments, reading the answer) and only answers
 * each operation from an `IdentityStore` instead of sending it; the store is the stateful mock
 * server's too, so the three cannot disagree. Token expiry
 * follows the Effect `Clock`: under `TestClock`, `TestClock.adjust` makes tokens expire.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import { type ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { CommunicationIdentityClient, type Service } from "./CommunicationIdentityClient.js"
import { makeClient } from "./internal/client.js"
import type { Answer, Input, Invoke, InvokeError, Output } from "./internal/pipeline.js"
import { AccessToken } from "./Models.js"
import { type OperationId, operations } from "./Operations.js"
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

const exchanged = (result: IdentityStore.ExchangeResult) => ({
  identity: { id: result.userId },
  accessToken: accessToken(result.token)
})

const ok = <A>(value: A): Answer<A> => ({ value, status: 200 })
const noContent: Answer<void> = { value: undefined, status: 204 }
const upserted = <A>(result: IdentityStore.UpsertResult<A>): Answer<A> => ({
  value: result.assignment,
  status: result.created ? 201 : 200
})

/** The validated request body of an operation, as the client hands it to `invoke`. */
type BodyOf<K extends OperationId> = Schema.Schema.Type<Exclude<(typeof operations)[K]["request"], undefined>>

/** How the store answers each operation: what the service would have sent, decoded. */
type Answers = {
  readonly [K in OperationId]: (
    input: Input & { readonly body: BodyOf<K>; readonly params: Readonly<Record<string, string>> }
  ) => Effect.Effect<Answer<Output<K>>, InvokeError<K>>
}

const pagePath = operations.listEntraAssignments.path

/**
 * The client over a store. It is the HTTP client's own code (`makeClient`: version gate,
 * arguments, reading the answer) with an `invoke` that counts one request and answers from the store
 * instead of sending one, so the two clients cannot disagree on anything before or after the wire.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeService = (
  store: IdentityStore.IdentityStore,
  apiVersion: ApiVersion = defaultApiVersion,
  pageSize: number = defaultPageSize
): Service => {
  const answers: Answers = {
    createIdentity: ({ body }) =>
      Effect.map(store.createIdentity(body ?? {}), (result) => ({
        value: {
          identity: { id: result.user.id },
          ...(result.accessToken === undefined ? {} : { accessToken: accessToken(result.accessToken) })
        },
        status: 201
      })),
    getIdentity: ({ params }) =>
      Effect.map(store.getIdentity(params.id!), (record) =>
        ok({
          id: record.id,
          ...(record.customId === undefined ? {} : { customId: record.customId }),
          ...(record.lastTokenIssuedAt === undefined ? {} : { lastTokenIssuedAt: record.lastTokenIssuedAt })
        })),
    deleteIdentity: ({ params }) => Effect.as(store.deleteIdentity(params.id!), noContent),
    revokeAccessTokens: ({ params }) => Effect.as(store.revokeTokens(params.id!), noContent),
    issueAccessToken: ({ body, params }) =>
      Effect.map(store.issueToken(params.id!, body), (issued) => ok(accessToken(issued))),
    exchangeTeamsUserAccessToken: ({ body }) =>
      Effect.map(store.exchangeTeamsToken(body), (issued) => ok(accessToken(issued))),
    exchangeTeamsExtensionAccessToken: ({ bearer }) =>
      Effect.map(store.exchangeTeamsExtensionToken(bearer ?? noBearer), (result) => ok(exchanged(result))),
    getTeamsExtensionAssignment: ({ params }) =>
      Effect.map(store.getTeamsExtensionAssignment(params.tenantId!, params.objectId!), ok),
    upsertTeamsExtensionAssignment: ({ body, params }) =>
      Effect.map(store.upsertTeamsExtensionAssignment(params.tenantId!, params.objectId!, body), upserted),
    deleteTeamsExtensionAssignment: ({ params }) =>
      Effect.as(store.deleteTeamsExtensionAssignment(params.tenantId!, params.objectId!), noContent),
    exchangeEntraAccessToken: ({ bearer }) =>
      Effect.map(store.exchangeEntraToken(bearer ?? noBearer), (result) => ok(exchanged(result))),
    listEntraAssignments: ({ query }) =>
      Effect.map(
        store.listEntraAssignments(pageSize, new URLSearchParams(query).get("skipToken") ?? undefined),
        (page) =>
          ok({
            value: page.value,
            ...(page.next === undefined ? {} : {
              nextLink: `${pagePath}?${new URLSearchParams({ "api-version": apiVersion, skipToken: page.next })}`
            })
          })
      ),
    getEntraAssignment: ({ params }) => Effect.map(store.getEntraAssignment(params.objectId!), ok),
    upsertEntraAssignment: ({ body, params }) =>
      Effect.map(store.upsertEntraAssignment(params.objectId!, body), upserted),
    deleteEntraAssignment: ({ params }) => Effect.as(store.deleteEntraAssignment(params.objectId!), noContent),
    updateEntraAssignments: ({ body }) => Effect.map(store.updateEntraAssignments(body), (value) => ok({ value }))
  }
  const invoke = ((id: OperationId, input: Input) => {
    const answer = answers[id] as (input: Input) => Effect.Effect<Answer<unknown>, unknown>
    const answered = Effect.zipRight(store.recordRequest(id), answer({ params: {}, ...input }))
    return input.trace.span === undefined ? answered : Effect.withParentSpan(answered, input.trace.span)
  }) as Invoke
  return makeClient(apiVersion, inMemoryEndpoint, invoke)
}

/** Where the in-memory client says it is; only `nextLink`s are resolved against it. */
const inMemoryEndpoint = new URL("https://in-memory.communication.azure.com")

/** Stands for a missing bearer: the store refuses it like any token that is not a JWT (401). */
const noBearer = Redacted.make("")

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
