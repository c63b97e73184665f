/**
 * The service's operations, each defined once: method, path, path parameters, request and response
 * schemas, the api-versions that have it, how it authenticates, whether it is repeatable and
 * whether a 404 is one of its errors. The client, its version gating, the in-memory layer's request
 * counts, and the stateful mock's routing and request validation are all driven from this table; a
 * handler missing for any operation is a compile error wherever handlers are listed by
 * {@link OperationId}.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { ApiVersion } from "./ApiVersion.js"
import {
  CreateIdentityRequestWire,
  CreateIdentityResponseWire,
  EntraAssignmentRequestWire,
  EntraAssignmentsPageWire,
  EntraAssignmentsUpdateWire,
  EntraExchangeRequestWire,
  ExchangeResultWire,
  IdentityWire,
  IssueAccessTokenRequestWire,
  TeamsExchangeRequestWire,
  TeamsExtensionAssignmentRequestWire
} from "./internal/wire.js"
import { AccessToken, EntraAssignment, Guid, TeamsExtensionAssignment } from "./Models.js"

/**
 * An HTTP method the service uses.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * How an operation authenticates: with the resource's credential (HMAC key or an admin's Entra
 * token), or with the end user's own Entra token as a bearer (the two Entra token exchanges).
 *
 * @since 0.1.0
 * @category models
 */
export type Authentication = "resource" | "user"

/**
 * One operation of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<
  P extends string = string,
  Req extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined,
  Res extends Schema.Schema.AnyNoContext | undefined = Schema.Schema.AnyNoContext | undefined
> {
  /** The operationId in `spec/communication-identity.yaml`. */
  readonly operationId: string
  /**
   * The client's method for it (`createIdentity` also backs `createUserAndToken`), which names its
   * span: `CommunicationIdentityClient.<clientMethod>`.
   */
  readonly clientMethod: string
  readonly method: Method
  /** The path template, e.g. `/identities/{id}/:issueAccessToken`; each `{name}` is one path segment. */
  readonly path: string
  /** The schema of each path parameter (decoded value). */
  readonly params: { readonly [K in P]: Schema.Schema<string> }
  /** The request body's schema; `undefined` for an operation without a body. */
  readonly request: Req
  /** The request body's content type. */
  readonly contentType: "application/json" | "application/merge-patch+json"
  /** The 200/201 body's schema; `undefined` for an operation answering 204. */
  readonly response: Res
  /** What a 204 (no body) stands for, for an operation that has a response schema and may also answer 204. */
  readonly noContent?: unknown
  /** The api-versions that have the operation. */
  readonly versions: ReadonlyArray<ApiVersion>
  readonly authentication: Authentication
  /** Sends `Repeatability-Request-ID` / `Repeatability-First-Sent` (create only). */
  readonly repeatable: boolean
  /**
   * Whether a 404 is an error of the operation (`NotFoundError`: no such user or assignment); for
   * the others a 404 is a `ServiceError`.
   */
  readonly notFound: boolean
}

/**
 * An identity id as a path segment: not empty, and not `.` or `..`, which URLs resolve away (even
 * percent-encoded), so a call would reach another resource; well-formed Unicode, since a lone
 * surrogate cannot be percent-encoded; and at most 1,024 characters (the service's ids are under
 * 200), so that even percent-encoded it fits the request line any server accepts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IdentityIdParameter = Schema.String.pipe(
  Schema.filter((id) => {
    if (loneSurrogate.test(id)) return "a user id must be well-formed Unicode (it has a lone surrogate)"
    if (id.length > 1024) return "a user id is at most 1,024 characters"
    return (id.length > 0 && id !== "." && id !== "..") || "a user id must not be empty, \".\" or \"..\""
  })
)

const loneSurrogate = /[\uD800-\uDFFF]/u

const allVersions: ReadonlyArray<ApiVersion> = ApiVersion.literals
/** The Teams user exchange (with `appId` and `userId`) arrived in `2022-06-01`. */
const teamsUserVersions: ReadonlyArray<ApiVersion> = ApiVersion.literals.filter((v) => v !== "2021-03-07")
const teamsExtensionVersions: ReadonlyArray<ApiVersion> = [
  "2025-06-30",
  "2026-07-22",
  "2026-09-23",
  "2025-03-02-preview"
]
const previewVersions: ReadonlyArray<ApiVersion> = ["2025-03-02-preview"]

const define = <
  const P extends string,
  Req extends Schema.Schema.AnyNoContext | undefined,
  Res extends Schema.Schema.AnyNoContext | undefined,
  const N extends boolean = false,
  const M extends string = string
>(
  definition:
    & Omit<
      Definition<P, Req, Res>,
      "contentType" | "repeatable" | "notFound" | "clientMethod"
    >
    & Partial<Pick<Definition<P, Req, Res>, "contentType" | "repeatable">>
    & { readonly notFound?: N; readonly clientMethod: M }
): Definition<P, Req, Res> & { readonly notFound: N; readonly clientMethod: M } => ({
  contentType: "application/json",
  repeatable: false,
  notFound: false as N,
  ...definition
})

const identity = { id: IdentityIdParameter }
const teamsAssignment = { tenantId: Guid, objectId: Guid }
const entraAssignment = { objectId: Guid }

/**
 * Every operation of the service, keyed by the name the SDK's store and mocks use.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = {
  createIdentity: define({
    operationId: "Identity_Create",
    clientMethod: "createUser",
    method: "POST",
    path: "/identities",
    params: {},
    request: CreateIdentityRequestWire,
    response: CreateIdentityResponseWire,
    versions: allVersions,
    authentication: "resource",
    repeatable: true
  }),
  getIdentity: define({
    operationId: "Identity_Get",
    clientMethod: "getUser",
    method: "GET",
    path: "/identities/{id}",
    params: identity,
    request: undefined,
    response: IdentityWire,
    versions: previewVersions,
    authentication: "resource",
    notFound: true
  }),
  deleteIdentity: define({
    operationId: "Identity_Delete",
    clientMethod: "deleteUser",
    method: "DELETE",
    path: "/identities/{id}",
    params: identity,
    request: undefined,
    response: undefined,
    versions: allVersions,
    authentication: "resource",
    notFound: true
  }),
  revokeAccessTokens: define({
    operationId: "Identity_RevokeAccessTokens",
    clientMethod: "revokeTokens",
    method: "POST",
    path: "/identities/{id}/:revokeAccessTokens",
    params: identity,
    request: undefined,
    response: undefined,
    versions: allVersions,
    authentication: "resource",
    notFound: true
  }),
  issueAccessToken: define({
    operationId: "Identity_IssueAccessToken",
    clientMethod: "getToken",
    method: "POST",
    path: "/identities/{id}/:issueAccessToken",
    params: identity,
    request: IssueAccessTokenRequestWire,
    response: AccessToken,
    versions: allVersions,
    authentication: "resource",
    notFound: true
  }),
  exchangeTeamsUserAccessToken: define({
    operationId: "TeamsUser_ExchangeAccessToken",
    clientMethod: "getTokenForTeamsUser",
    method: "POST",
    path: "/teamsUser/:exchangeAccessToken",
    params: {},
    request: TeamsExchangeRequestWire,
    response: AccessToken,
    versions: teamsUserVersions,
    authentication: "resource"
  }),
  exchangeTeamsExtensionAccessToken: define({
    operationId: "TeamsExtensionToken_Exchange",
    clientMethod: "getTokenForTeamsExtensionUser",
    method: "POST",
    path: "/access/teamsExtension/:exchangeAccessToken",
    params: {},
    request: EntraExchangeRequestWire,
    response: ExchangeResultWire,
    versions: teamsExtensionVersions,
    authentication: "user"
  }),
  getTeamsExtensionAssignment: define({
    operationId: "TeamsExtensionAssignment_Get",
    clientMethod: "getTeamsExtensionAssignment",
    method: "GET",
    path: "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}",
    params: teamsAssignment,
    request: undefined,
    response: TeamsExtensionAssignment,
    versions: teamsExtensionVersions,
    authentication: "resource",
    notFound: true
  }),
  upsertTeamsExtensionAssignment: define({
    operationId: "TeamsExtensionAssignment_Upsert",
    clientMethod: "upsertTeamsExtensionAssignment",
    method: "PUT",
    path: "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}",
    params: teamsAssignment,
    request: TeamsExtensionAssignmentRequestWire,
    response: TeamsExtensionAssignment,
    versions: teamsExtensionVersions,
    authentication: "resource"
  }),
  deleteTeamsExtensionAssignment: define({
    operationId: "TeamsExtensionAssignment_Delete",
    clientMethod: "deleteTeamsExtensionAssignment",
    method: "DELETE",
    path: "/access/teamsExtension/tenants/{tenantId}/assignments/{objectId}",
    params: teamsAssignment,
    request: undefined,
    response: undefined,
    versions: teamsExtensionVersions,
    authentication: "resource",
    notFound: true
  }),
  exchangeEntraAccessToken: define({
    operationId: "EntraIdToken_Exchange",
    clientMethod: "getTokenForEntraUser",
    method: "POST",
    path: "/access/entra/:exchangeAccessToken",
    params: {},
    request: EntraExchangeRequestWire,
    response: ExchangeResultWire,
    versions: previewVersions,
    authentication: "user"
  }),
  listEntraAssignments: define({
    operationId: "EntraIdAssignments_List",
    clientMethod: "listEntraAssignmentsPage",
    method: "GET",
    path: "/access/entra/assignments",
    params: {},
    request: undefined,
    response: EntraAssignmentsPageWire,
    versions: previewVersions,
    authentication: "resource"
  }),
  updateEntraAssignments: define({
    operationId: "EntraIdAssignments_Update",
    clientMethod: "updateEntraAssignments",
    method: "PATCH",
    path: "/access/entra/assignments",
    params: {},
    request: EntraAssignmentsUpdateWire,
    contentType: "application/merge-patch+json",
    response: EntraAssignmentsPageWire,
    noContent: { value: [] },
    versions: previewVersions,
    authentication: "resource"
  }),
  getEntraAssignment: define({
    operationId: "EntraIdAssignment_Get",
    clientMethod: "getEntraAssignment",
    method: "GET",
    path: "/access/entra/assignments/{objectId}",
    params: entraAssignment,
    request: undefined,
    response: EntraAssignment,
    versions: previewVersions,
    authentication: "resource",
    notFound: true
  }),
  upsertEntraAssignment: define({
    operationId: "EntraIdAssignment_Upsert",
    clientMethod: "upsertEntraAssignment",
    method: "PUT",
    path: "/access/entra/assignments/{objectId}",
    params: entraAssignment,
    request: EntraAssignmentRequestWire,
    response: EntraAssignment,
    versions: previewVersions,
    authentication: "resource"
  }),
  deleteEntraAssignment: define({
    operationId: "EntraIdAssignment_Delete",
    clientMethod: "deleteEntraAssignment",
    method: "DELETE",
    path: "/access/entra/assignments/{objectId}",
    params: entraAssignment,
    request: undefined,
    response: undefined,
    versions: previewVersions,
    authentication: "resource",
    notFound: true
  })
} as const

/**
 * The name of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export type OperationId = keyof typeof operations

/**
 * The decoded request body of an operation (`undefined` for one without a body).
 *
 * @since 0.1.0
 * @category models
 */
export type RequestBody<K extends OperationId> = (typeof operations)[K]["request"] extends infer S
  ? S extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<S> : undefined
  : never

/**
 * The path parameters of an operation, by name.
 *
 * @since 0.1.0
 * @category models
 */
export type PathParams<K extends OperationId> = { readonly [P in keyof (typeof operations)[K]["params"]]: string }

/**
 * The client method of each operation, as the table names it.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientMethod = (typeof operations)[OperationId]["clientMethod"]

/**
 * Every operation name, in table order.
 *
 * @since 0.1.0
 * @category operations
 */
export const operationIds = Object.keys(operations) as ReadonlyArray<OperationId>

/**
 * The operation names as a schema (e.g. for fault rules that target one operation).
 *
 * @since 0.1.0
 * @category schemas
 */
export const OperationIdSchema = Schema.Literal(...(operationIds as readonly [OperationId, ...Array<OperationId>]))

/**
 * True when the api-version has the operation.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isAvailable = (operation: OperationId, apiVersion: string): boolean =>
  (operations[operation].versions as ReadonlyArray<string>).includes(apiVersion)

/**
 * Fills a path template; every parameter is percent-encoded as one segment.
 *
 * @since 0.1.0
 * @category paths
 */
export const buildPath = (template: string, params: Readonly<Record<string, string>>): string => {
  const parts = templateParts(template)
  // Even indices are literal text, odd ones parameter names.
  let path = parts[0]!
  for (let i = 1; i < parts.length; i += 2) path += encodeURIComponent(params[parts[i]!] ?? "") + parts[i + 1]!
  return path
}

const compiledTemplates = new Map<string, ReadonlyArray<string>>()

/** A template split once into literal text and parameter names (`split` with a capture group alternates them). */
const templateParts = (template: string): ReadonlyArray<string> => {
  let parts = compiledTemplates.get(template)
  if (parts === undefined) {
    parts = template.split(/\{(\w+)\}/)
    // The table's templates are few; any other caller's are not kept beyond a small bound.
    if (compiledTemplates.size < 64) compiledTemplates.set(template, parts)
  }
  return parts
}
