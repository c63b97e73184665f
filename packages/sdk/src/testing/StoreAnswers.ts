/**
 * What the service answers to each operation, from an `IdentityStore`: the status and the decoded
 * body it would send. The in-memory layer hands these answers to the client's own code; the stateful
 * mock writes them as JSON. `Answers` is keyed by every operation id, so a row of the table without
 * its answer does not compile.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { previewApiVersion } from "../ApiVersion.js"
import type { Answer, InvokeError, Output } from "../internal/pipeline.js"
import { AccessToken } from "../Models.js"
import { type OperationId, operations, type PathParams, type RequestBody } from "../Operations.js"
import type * as IdentityStore from "./IdentityStore.js"

export type {
  /**
   * A decoded answer and its success status (201 tells a created resource from a replaced one;
   * 204 has no body).
   *
   * @since 0.1.0
   * @category models
   */
  Answer
} from "../internal/pipeline.js"

/**
 * A request as an answer sees it: already routed, authenticated and validated.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request<K extends OperationId> {
  readonly apiVersion: string
  readonly params: PathParams<K>
  /** The body; `undefined` for an operation without one, and for a create sent without a body. */
  readonly body: RequestBody<K>
  /** The query after `api-version` (a `nextLink`'s continuation), encoded. */
  readonly query?: string | undefined
  /** The `Authorization: Bearer` token of an operation that authenticates with the user's Entra token. */
  readonly bearer?: Redacted.Redacted<string> | undefined
}

/**
 * One answer per operation; a refusal is the typed error the service's status maps to.
 *
 * @since 0.1.0
 * @category models
 */
export type Answers = {
  readonly [K in OperationId]: (request: Request<K>) => Effect.Effect<Answer<Output<K>>, InvokeError<K>>
}

const accessToken = (issued: IdentityStore.IssuedToken) =>
  new AccessToken({ token: issued.token, expiresOn: issued.expiresOn })

/** A user as the service describes it: `customId` and `lastTokenIssuedAt` only on the preview version. */
const identity = (user: IdentityStore.UserRecord, apiVersion: string) => {
  if (apiVersion !== previewApiVersion) return { id: user.id }
  return {
    id: user.id,
    ...(user.customId === undefined ? {} : { customId: user.customId }),
    ...(user.lastTokenIssuedAt === undefined ? {} : { lastTokenIssuedAt: user.lastTokenIssuedAt })
  }
}

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
/** Stands for a missing bearer: the store refuses it like any token that is not a JWT (401). */
const noBearer = Redacted.make("")
const listPath = operations.listEntraAssignments.path

/**
 * The answers of a store; `listEntraAssignments` answers `pageSize` assignments a page, with a
 * relative `nextLink` carrying a `skipToken`. A `pageSize` that is not a whole number from 1 is a
 * mistake in the test's set-up, thrown as a `RangeError` when the mock or layer is built.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (store: IdentityStore.IdentityStore, pageSize: number): Answers => {
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a whole number from 1 (got ${String(pageSize)})`)
  }
  return answersOf(store, pageSize)
}

const answersOf = (store: IdentityStore.IdentityStore, pageSize: number): Answers => ({
  createIdentity: ({ apiVersion, body }) =>
    Effect.map(store.createIdentity(body ?? {}), (result) => ({
      value: {
        identity: identity(result.user, apiVersion),
        ...(result.accessToken === undefined ? {} : { accessToken: accessToken(result.accessToken) })
      },
      status: 201
    })),
  getIdentity: ({ apiVersion, params }) =>
    Effect.map(store.getIdentity(params.id), (user) => ok(identity(user, apiVersion))),
  deleteIdentity: ({ params }) => Effect.as(store.deleteIdentity(params.id), noContent),
  revokeAccessTokens: ({ params }) => Effect.as(store.revokeTokens(params.id), noContent),
  issueAccessToken: ({ body, params }) =>
    Effect.map(store.issueToken(params.id, body), (issued) => ok(accessToken(issued))),
  exchangeTeamsUserAccessToken: ({ body }) =>
    Effect.map(store.exchangeTeamsToken(body), (issued) => ok(accessToken(issued))),
  exchangeTeamsExtensionAccessToken: ({ bearer }) =>
    Effect.map(store.exchangeTeamsExtensionToken(bearer ?? noBearer), (result) => ok(exchanged(result))),
  getTeamsExtensionAssignment: ({ params }) =>
    Effect.map(store.getTeamsExtensionAssignment(params.tenantId, params.objectId), ok),
  upsertTeamsExtensionAssignment: ({ body, params }) =>
    Effect.map(store.upsertTeamsExtensionAssignment(params.tenantId, params.objectId, body), upserted),
  deleteTeamsExtensionAssignment: ({ params }) =>
    Effect.as(store.deleteTeamsExtensionAssignment(params.tenantId, params.objectId), noContent),
  exchangeEntraAccessToken: ({ bearer }) =>
    Effect.map(store.exchangeEntraToken(bearer ?? noBearer), (result) => ok(exchanged(result))),
  listEntraAssignments: ({ apiVersion, query }) =>
    Effect.map(
      store.listEntraAssignments(pageSize, new URLSearchParams(query).get("skipToken") ?? undefined),
      (page) =>
        ok({
          value: page.value,
          ...(page.next === undefined ? {} : {
            nextLink: `${listPath}?${new URLSearchParams({ "api-version": apiVersion, skipToken: page.next })}`
          })
        })
    ),
  getEntraAssignment: ({ params }) => Effect.map(store.getEntraAssignment(params.objectId), ok),
  upsertEntraAssignment: ({ body, params }) => Effect.map(store.upsertEntraAssignment(params.objectId, body), upserted),
  deleteEntraAssignment: ({ params }) => Effect.as(store.deleteEntraAssignment(params.objectId), noContent),
  // The service answers a patch that leaves nothing to report with 204 (the table's `noContent`).
  updateEntraAssignments: ({ body }) =>
    Effect.map(
      store.updateEntraAssignments(body),
      (value) => value.length === 0 ? { value: { value }, status: 204 } : ok({ value })
    )
})
