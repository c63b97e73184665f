/**
 * The service's routes, matched on the raw request path (the identity id arrives percent-encoded,
 * and the action segments start with a literal colon), and the api-version rules.
 *
 * @module
 */
import { ApiVersion } from "@acs-identity/sdk"
import type { IdentityStore } from "@acs-identity/sdk/testing"
import * as Reply from "./Reply.js"

/** A request matched to an operation; `id` is the decoded identity id. */
export interface Route {
  readonly operation: IdentityStore.Operation
  readonly id?: string
}

/** The api-versions the mock accepts: the SDK's (and the spec's) list. */
export const supportedApiVersions: ReadonlyArray<string> = ApiVersion.ApiVersion.literals

const decode = (segment: string): string | undefined => {
  try {
    const id = decodeURIComponent(segment)
    return id.length > 0 ? id : undefined
  } catch {
    return undefined
  }
}

/** Matches a method and raw path (no query) to an operation, or `undefined` for anything else. */
export const match = (method: string, path: string): Route | undefined => {
  if (path === "/teamsUser/:exchangeAccessToken") {
    return method === "POST" ? { operation: "exchangeTeamsUserAccessToken" } : undefined
  }
  if (path === "/identities") return method === "POST" ? { operation: "createIdentity" } : undefined
  const found = /^\/identities\/([^/]+)(?:\/(:issueAccessToken|:revokeAccessTokens))?$/.exec(path)
  const id = found === null ? undefined : decode(found[1]!)
  if (found === null || id === undefined) return undefined
  switch (found[2]) {
    case ":issueAccessToken":
      return method === "POST" ? { operation: "issueAccessToken", id } : undefined
    case ":revokeAccessTokens":
      return method === "POST" ? { operation: "revokeAccessTokens", id } : undefined
    default:
      return method === "DELETE"
        ? { operation: "deleteIdentity", id }
        : method === "GET"
        ? { operation: "getIdentity", id }
        : undefined
  }
}

/** Splits a raw URL into its path and its query parameters. */
export const splitUrl = (url: string): { readonly path: string; readonly query: URLSearchParams } => {
  const at = url.indexOf("?")
  return at < 0
    ? { path: url, query: new URLSearchParams() }
    : { path: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) }
}

/** The api-version of a request, or the 400 the service answers without a usable one. */
export const apiVersion = (query: URLSearchParams, operation: IdentityStore.Operation): string | Reply.Reply => {
  const version = query.get("api-version")
  if (version === null || version.length === 0) {
    return Reply.error(400, "ApiVersionUnspecified", "An API version is required, but was not specified.")
  }
  const known = supportedApiVersions.includes(version)
  if (!known || (operation === "getIdentity" && version !== ApiVersion.previewApiVersion)) {
    return Reply.error(
      400,
      "UnsupportedApiVersion",
      `The HTTP resource that matches the request URI does not support the API version '${version}'.`
    )
  }
  return version
}
