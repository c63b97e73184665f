/**
 * The service's routes and api-version rules, both read from the SDK's operation table: requests are
 * matched on the raw path (parameters arrive percent-encoded, action segments start with a literal
 * colon), and an operation is served only on the api-versions the table lists for it.
 *
 * @since 0.1.0
 */
import { ApiVersion } from "@acs-identity/sdk"
import { Operations } from "@acs-identity/sdk/testing"
import * as Reply from "./Reply.js"

/**
 * A request matched to an operation, with its decoded path parameters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  readonly operation: Operations.OperationId
  readonly params: Readonly<Record<string, string>>
}

/**
 * The api-versions the mock accepts: the SDK's (and the spec's) list.
 *
 * @since 0.1.0
 * @category constants
 */
export const supportedApiVersions: ReadonlyArray<string> = ApiVersion.ApiVersion.literals

/**
 * Matches a method and raw path (no query) to an operation, or `undefined` for anything else.
 *
 * @since 0.1.0
 * @category utils
 */
export const match = (method: string, path: string): Route | undefined => {
  for (const operation of Operations.operationIds) {
    const definition = Operations.operations[operation]
    if (definition.method !== method) continue
    const params = matchPath(definition.path, path)
    if (params !== undefined) return { operation, params }
  }
  return undefined
}

/**
 * Matches a raw (still percent-encoded) path against a template: the decoded parameters, or
 * `undefined` when it does not match or a segment cannot be decoded.
 *
 * @since 0.1.0
 * @category utils
 */
export const matchPath = (template: string, path: string): Readonly<Record<string, string>> | undefined => {
  const want = template.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!
    const parameter = /^\{(\w+)\}$/.exec(segment)
    if (parameter === null) {
      if (segment !== got[i]) return undefined
      continue
    }
    try {
      params[parameter[1]!] = decodeURIComponent(got[i]!)
    } catch {
      return undefined
    }
  }
  return params
}

/**
 * Splits a raw URL into its path and its query parameters.
 *
 * @since 0.1.0
 * @category utils
 */
export const splitUrl = (url: string): { readonly path: string; readonly query: URLSearchParams } => {
  const at = url.indexOf("?")
  return at < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) }
}

/**
 * The api-version of a request, or the 400 the service answers without a usable one.
 *
 * @since 0.1.0
 * @category utils
 */
export const apiVersion = (query: URLSearchParams, operation: Operations.OperationId): string | Reply.Reply => {
  const version = query.get("api-version")
  if (version === null || version.length === 0) {
    return Reply.error(400, "ApiVersionUnspecified", "An API version is required, but was not specified.")
  }
  return unsupported(operation, version) ?? version
}

/**
 * The 400 for an operation that `version` does not have, or `undefined` when it has it.
 *
 * @since 0.1.0
 * @category utils
 */
export const unsupported = (operation: Operations.OperationId, version: string): Reply.Reply | undefined =>
  Operations.isAvailable(operation, version)
    ? undefined
    : Reply.error(
      400,
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI does not support the API version '${version}'.`
    )
