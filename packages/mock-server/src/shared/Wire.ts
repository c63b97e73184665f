/**
 * The stateful mock's request validation: path parameters and bodies are checked with the SDK's own
 * schemas from its operation table (so the mock cannot drift from the client's limits); a rejection
 * becomes the service's 400 `ValidationError`, with targets such as `ExpiresInMinutes` and `Scopes`
 * and the recorded messages where there are recordings.
 *
 * @since 0.1.0
 */
import { ApiVersion } from "@acs-identity/sdk"
import { Operations } from "@acs-identity/sdk/testing"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Reply from "./Reply.js"
import * as Routes from "./Routes.js"

const { previewApiVersion } = ApiVersion

const validation = (target: string, message: string) => Reply.error(400, "ValidationError", message, { target })

/**
 * True when the value is a reply (a refusal) rather than a parsed request.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isReply = (value: unknown): value is Reply.Reply =>
  typeof value === "object" && value !== null && "status" in value && "headers" in value

/**
 * The body parsed as a JSON object (an absent or empty body is `{}`), or the 400 reply for anything
 * else.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseObject = (body: Uint8Array): Record<string, unknown> | Reply.Reply => {
  const text = new TextDecoder().decode(body).trim()
  if (text.length === 0) return {}
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // answered below
  }
  return Reply.error(400, "InvalidRequestBody", "The request body is not a JSON object.")
}

/** The service names these targets in PascalCase (recorded); other fields keep their wire name. */
const targets: Readonly<Record<string, string>> = {
  expiresInMinutes: "ExpiresInMinutes",
  scopes: "Scopes",
  createTokenWithScopes: "CreateTokenWithScopes"
}

/**
 * The Teams exchange ids: the service names them `appId`/`userId` when they are not GUIDs and
 * `AppId`/`UserId` when they are missing or empty (recorded, issue 24).
 */
const pascalWhenMissing: Readonly<Record<string, string>> = { appId: "AppId", userId: "UserId" }

const isMissing = (value: unknown) =>
  value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)

/**
 * The service's 400 for a rejected top-level body field, shared by both mocks: its target (in the
 * service's casing) and, where the service's words were recorded, its message; otherwise `detail`.
 * `outOfRange` says the field's value broke its bounds (rather than its type).
 *
 * @since 0.1.0
 * @category utils
 */
export const fieldRejection = (
  body: Readonly<Record<string, unknown>>,
  field: string,
  detail: string,
  outOfRange = false
): Reply.Reply => {
  const value = body[field]
  if (isMissing(value)) {
    const target = pascalWhenMissing[field] ?? targets[field] ?? field
    return validation(target, `${target}: The ${target} field is required.`)
  }
  const target = targets[field] ?? field
  if (field === "expiresInMinutes" && outOfRange) {
    return validation(
      target,
      `ExpiresInMinutes value ${String(value)} is invalid. Value must be within the [60, 1440] interval.`
    )
  }
  if (field in pascalWhenMissing) return validation(target, `${target}: '${String(value)}' is not a valid GUID.`)
  return validation(target, `${target}: ${detail}`)
}

/** The 400 for the first issue of a rejected body, in the service's words where they were recorded. */
const rejection = (body: Record<string, unknown>, error: ParseResult.ParseError): Reply.Reply => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  const field = issue?.path[0]
  if (typeof field !== "string") return validation("body", `The request body is invalid: ${issue?.message ?? ""}`)
  return fieldRejection(
    body,
    field,
    issue!.message,
    field === "expiresInMinutes" && issue!.path.length === 1 && Number.isInteger(body[field])
  )
}

/**
 * Top-level `null`s mean "absent" to the service (except in a merge patch, where `null` deletes),
 * and an empty `createTokenWithScopes` asks for no token.
 */
const normalize = (operation: Operations.OperationId, body: Record<string, unknown>): Record<string, unknown> =>
  operation === "updateEntraAssignments"
    ? body
    : Object.fromEntries(
      Object.entries(body).filter(([key, value]) =>
        value !== null && !(key === "createTokenWithScopes" && Array.isArray(value) && value.length === 0)
      )
    )

const decoder = (schema: Schema.Schema.AnyNoContext) => Schema.decodeUnknownEither(schema, { errors: "first" })

const decoders = new Map<Operations.OperationId, ReturnType<typeof decoder>>()

const joinScopes: ReadonlyArray<unknown> = ["chat.join", "chat.join.limited", "voip.join"]

/**
 * The 400 for a field the api-version does not have: `customId` outside the preview,
 * `expiresInMinutes` before `2022-10-01`, a `chat.join`/`chat.join.limited`/`voip.join` scope
 * before `2023-10-01`. A `null` expiry means the default and passes everywhere.
 */
const versionFieldRefusal = (
  operation: Operations.OperationId,
  fields: Readonly<Record<string, unknown>>,
  apiVersion: string
): Reply.Reply | undefined => {
  if (!(ApiVersion.ApiVersion.literals as ReadonlyArray<string>).includes(apiVersion)) return undefined
  const version = apiVersion as ApiVersion.ApiVersion
  if (operation === "createIdentity" && fields.customId != null && version !== previewApiVersion) {
    return validation("customId", `customId is not supported by api-version ${version}.`)
  }
  if (operation !== "createIdentity" && operation !== "issueAccessToken") return undefined
  if (!ApiVersion.supportsExpiresInMinutes(version) && fields.expiresInMinutes != null) {
    return validation("ExpiresInMinutes", `ExpiresInMinutes is not supported by api-version ${version}.`)
  }
  const scopesField = operation === "createIdentity" ? "createTokenWithScopes" : "scopes"
  const scopes = fields[scopesField]
  if (!ApiVersion.supportsJoinScopes(version) && Array.isArray(scopes)) {
    const unknown = scopes.find((scope) => joinScopes.includes(scope))
    if (unknown !== undefined) {
      const target = targets[scopesField]!
      return validation(target, `${target}: '${String(unknown)}' is not a scope of api-version ${version}.`)
    }
  }
  return undefined
}

/**
 * What the stateful mock answers, before anything else, when a request uses a part (an operation,
 * or a field such as `customId`, `expiresInMinutes` or a join scope) under a known api-version
 * without it; `undefined` otherwise.
 * The Prism mock's front proxy applies it too, since the spec accepts every part on every version.
 * A missing or unknown api-version is left to the caller.
 *
 * @since 0.1.0
 * @category utils
 */
export const versionRefusal = (
  operation: Operations.OperationId,
  query: URLSearchParams,
  body: Uint8Array
): Reply.Reply | undefined => {
  const version = query.get("api-version")
  if (version === null || !(ApiVersion.ApiVersion.literals as ReadonlyArray<string>).includes(version)) return undefined
  const unavailable = Routes.unsupported(operation, version)
  if (unavailable !== undefined) return unavailable
  const parsed = parseObject(body)
  return isReply(parsed) ? undefined : versionFieldRefusal(operation, parsed, version)
}

/**
 * The request body of an operation decoded with the SDK's schema for it, or its 400. Operations
 * without a body get `undefined` (a body sent to them is ignored, as the real service does).
 *
 * @since 0.1.0
 * @category utils
 */
export const request = (
  operation: Operations.OperationId,
  body: Uint8Array,
  apiVersion: string
): unknown => {
  const definition: Operations.Definition = Operations.operations[operation]
  if (definition.request === undefined) return undefined
  const parsed = parseObject(body)
  if (isReply(parsed)) return parsed
  const fields = normalize(operation, parsed)
  const unavailable = versionFieldRefusal(operation, fields, apiVersion)
  if (unavailable !== undefined) return unavailable
  let decode = decoders.get(operation)
  if (decode === undefined) {
    decode = decoder(definition.request)
    decoders.set(operation, decode)
  }
  const result = decode(fields)
  return result._tag === "Right" ? result.right : rejection(fields, result.left)
}

/**
 * The decoded path parameters of an operation, checked with the SDK's schemas, or their 400.
 *
 * @since 0.1.0
 * @category utils
 */
export const params = (
  operation: Operations.OperationId,
  raw: Readonly<Record<string, string>>
): Readonly<Record<string, string>> | Reply.Reply => {
  const definition: Operations.Definition = Operations.operations[operation]
  for (const [name, schema] of Object.entries(definition.params)) {
    if (!Schema.is(schema)(raw[name])) return validation(name, `${name}: '${raw[name] ?? ""}' is not valid here.`)
  }
  return raw
}
