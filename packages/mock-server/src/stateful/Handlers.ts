/**
 * The stateful mock's data plane: one handler per operation of the SDK's table over the shared
 * `IdentityStore`, each given its request validated with the SDK's own schemas. The `Handlers` type
 * is keyed by every operation id, so a row of the table without a handler does not compile.
 *
 * @since 0.1.0
 */
import { EntraAssignment, TeamsExtensionAssignment } from "@acs-identity/sdk"
import type { IdentityStore, Operations } from "@acs-identity/sdk/testing"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Reply from "../shared/Reply.js"
import type * as Routes from "../shared/Routes.js"
import * as Wire from "../shared/Wire.js"

/** The decoded request body of an operation (`undefined` for one without a body). */
type RequestOf<K extends Operations.OperationId> = (typeof Operations.operations)[K]["request"] extends infer S
  ? S extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<S> : undefined
  : never

/** What a handler gets: the request, validated with the SDK's schemas. */
interface HandlerContext<K extends Operations.OperationId> {
  readonly params: Readonly<Record<string, string>>
  readonly body: RequestOf<K>
  readonly apiVersion: string
  readonly query: URLSearchParams
  /** The `Authorization: Bearer` token of an operation that authenticates with the user's Entra token. */
  readonly bearer: Redacted.Redacted<string> | undefined
}

/** A handler's answer; a store failure becomes the service's error envelope. */
type Handled = Effect.Effect<
  Reply.Reply,
  { readonly status: number; readonly code: string; readonly message: string; readonly target?: string | undefined }
>

type Handlers = { readonly [K in Operations.OperationId]: (context: HandlerContext<K>) => Handled }

/**
 * A request routed to an operation, authenticated, and carrying a usable api-version.
 *
 * @since 0.1.0
 * @category models
 */
export interface Admitted {
  readonly route: Routes.Route
  readonly apiVersion: string
  readonly body: Uint8Array
  readonly query: URLSearchParams
  readonly bearer: Redacted.Redacted<string> | undefined
}

const encodeTeams = Schema.encodeSync(TeamsExtensionAssignment)
const encodeEntraSync = Schema.encodeSync(EntraAssignment)
const encodeEntra = (assignment: EntraAssignment) => encodeEntraSync(assignment)
/** Stands for a missing bearer: the store refuses it like any token that is not a JWT (401). */
const noBearer = Redacted.make("")
const noContent = Effect.as(Reply.empty(204))
const upserted = <A>(encode: (a: A) => unknown) => (result: IdentityStore.UpsertResult<A>) =>
  Reply.json(result.created ? 201 : 200, encode(result.assignment))
const storeFailure = (error: Effect.Effect.Error<Handled>) =>
  Effect.succeed(Reply.error(error.status, error.code, error.message, { target: error.target }))

/**
 * The data plane over a store: answers an admitted request, the store's refusals in the service's
 * error envelope, and malformed parameters or bodies as the service's 400s.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  store: IdentityStore.IdentityStore,
  pageSize: number
): (request: Admitted) => Effect.Effect<Reply.Reply> => {
  const handlers: Handlers = {
    createIdentity: ({ apiVersion, body }) =>
      Effect.map(store.createIdentity(body), (result) =>
        Reply.json(201, {
          identity: Wire.identity(result.user, apiVersion),
          ...(result.accessToken === undefined ? {} : { accessToken: Wire.accessToken(result.accessToken) })
        })),
    getIdentity: ({ apiVersion, params }) =>
      Effect.map(store.getIdentity(params.id!), (user) => Reply.json(200, Wire.identity(user, apiVersion))),
    deleteIdentity: ({ params }) => noContent(store.deleteIdentity(params.id!)),
    revokeAccessTokens: ({ params }) => noContent(store.revokeTokens(params.id!)),
    issueAccessToken: ({ body, params }) =>
      Effect.map(store.issueToken(params.id!, body), (token) => Reply.json(200, Wire.accessToken(token))),
    exchangeTeamsUserAccessToken: ({ body }) =>
      Effect.map(store.exchangeTeamsToken(body), (token) => Reply.json(200, Wire.accessToken(token))),
    exchangeTeamsExtensionAccessToken: ({ bearer }) =>
      Effect.map(
        store.exchangeTeamsExtensionToken(bearer ?? noBearer),
        (result) => Reply.json(200, Wire.exchangeResult(result))
      ),
    getTeamsExtensionAssignment: ({ params }) =>
      Effect.map(
        store.getTeamsExtensionAssignment(params.tenantId!, params.objectId!),
        (a) => Reply.json(200, encodeTeams(a))
      ),
    upsertTeamsExtensionAssignment: ({ body, params }) =>
      Effect.map(
        store.upsertTeamsExtensionAssignment(params.tenantId!, params.objectId!, body),
        upserted(encodeTeams)
      ),
    deleteTeamsExtensionAssignment: ({ params }) =>
      noContent(store.deleteTeamsExtensionAssignment(params.tenantId!, params.objectId!)),
    exchangeEntraAccessToken: ({ bearer }) =>
      Effect.map(
        store.exchangeEntraToken(bearer ?? noBearer),
        (result) => Reply.json(200, Wire.exchangeResult(result))
      ),
    listEntraAssignments: ({ apiVersion, query }) =>
      Effect.map(store.listEntraAssignments(pageSize, query.get("skipToken") ?? undefined), (page) =>
        Reply.json(200, {
          value: page.value.map(encodeEntra),
          ...(page.next === undefined ? {} : {
            nextLink: `/access/entra/assignments?${new URLSearchParams({
              "api-version": apiVersion,
              skipToken: page.next
            })}`
          })
        })),
    getEntraAssignment: ({ params }) =>
      Effect.map(store.getEntraAssignment(params.objectId!), (a) => Reply.json(200, encodeEntra(a))),
    upsertEntraAssignment: ({ body, params }) =>
      Effect.map(store.upsertEntraAssignment(params.objectId!, body), upserted(encodeEntra)),
    deleteEntraAssignment: ({ params }) => noContent(store.deleteEntraAssignment(params.objectId!)),
    updateEntraAssignments: ({ body }) =>
      Effect.map(
        store.updateEntraAssignments(body),
        (written) => written.length === 0 ? Reply.empty(204) : Reply.json(200, { value: written.map(encodeEntra) })
      )
  }

  return ({ apiVersion, bearer, body, query, route }) => {
    const params = Wire.params(route.operation, route.params)
    if (Wire.isReply(params)) return Effect.succeed(params)
    const decoded = Wire.request(route.operation, body, apiVersion)
    if (Wire.isReply(decoded)) return Effect.succeed(decoded)
    const handler = handlers[route.operation] as (context: HandlerContext<Operations.OperationId>) => Handled
    return handler({ params, body: decoded as RequestOf<Operations.OperationId>, apiVersion, query, bearer }).pipe(
      Effect.catchAll(storeFailure)
    )
  }
}
