/**
 * The stateful mock's request bodies and response shapes: the service's validation errors (400
 * `ValidationError` with targets such as `ExpiresInMinutes` and `Scopes`) and its JSON bodies.
 *
 * @module
 */
import { ApiVersion, TokenScope } from "@acs-identity/sdk"
import type { IdentityStore } from "@acs-identity/sdk/testing"
import * as Redacted from "effect/Redacted"
import * as Reply from "./Reply.js"

type Scope = IdentityStore.IssueRequest["scopes"][number]

const scopes: ReadonlyArray<string> = TokenScope.literals
const { previewApiVersion } = ApiVersion

const validation = (target: string, message: string) => Reply.error(400, "ValidationError", message, { target })

/** True when the value is a reply (a refusal) rather than a parsed request. */
export const isReply = (value: unknown): value is Reply.Reply =>
  typeof value === "object" && value !== null && "status" in value && "headers" in value

/** A JSON object body; an absent or empty body is `{}`. */
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

const expiresInMinutes = (value: unknown): number | undefined | Reply.Reply => {
  if (value === undefined || value === null) return undefined
  return typeof value === "number" && Number.isInteger(value) && value >= 60 && value <= 1440
    ? value
    : validation(
      "ExpiresInMinutes",
      `ExpiresInMinutes value ${String(value)} is invalid. Value must be within the [60, 1440] interval.`
    )
}

const scopeList = (value: unknown, target: string): ReadonlyArray<Scope> | Reply.Reply => {
  if (!Array.isArray(value) || value.length === 0) {
    return validation(target, `${target}: The ${target} field is required.`)
  }
  const unknown = value.find((s) => typeof s !== "string" || !scopes.includes(s))
  return unknown === undefined
    ? (value as ReadonlyArray<Scope>)
    : validation(target, `${target}: '${String(unknown)}' is not a valid scope.`)
}

/** A create body, or its 400. */
export const createRequest = (
  body: Record<string, unknown>,
  apiVersion: string
): IdentityStore.CreateRequest | Reply.Reply => {
  const minutes = expiresInMinutes(body.expiresInMinutes)
  if (isReply(minutes)) return minutes
  const requested = body.createTokenWithScopes
  const tokenScopes = requested === undefined || requested === null
    ? undefined
    : scopeList(requested, "CreateTokenWithScopes")
  if (isReply(tokenScopes)) return tokenScopes
  const customId = body.customId
  if (customId !== undefined && customId !== null) {
    if (apiVersion !== previewApiVersion) {
      return validation("customId", `customId is not supported by api-version ${apiVersion}.`)
    }
    if (typeof customId !== "string" || customId.length < 1 || customId.length > 256) {
      return validation("customId", "customId must be a string of 1 to 256 characters.")
    }
  }
  return {
    ...(tokenScopes === undefined || tokenScopes.length === 0 ? {} : { createTokenWithScopes: tokenScopes }),
    ...(minutes === undefined ? {} : { expiresInMinutes: minutes }),
    ...(typeof customId === "string" ? { customId } : {})
  }
}

/** An issue body, or its 400. */
export const issueRequest = (body: Record<string, unknown>): IdentityStore.IssueRequest | Reply.Reply => {
  const minutes = expiresInMinutes(body.expiresInMinutes)
  if (isReply(minutes)) return minutes
  const requested = scopeList(body.scopes, "Scopes")
  if (isReply(requested)) return requested
  return { scopes: requested, ...(minutes === undefined ? {} : { expiresInMinutes: minutes }) }
}

/** A Teams exchange body, or its 400. */
export const teamsRequest = (body: Record<string, unknown>): IdentityStore.TeamsRequest | Reply.Reply => {
  for (const field of ["token", "appId", "userId"] as const) {
    const value = body[field]
    if (typeof value !== "string" || value.length === 0) {
      return validation(field, `${field}: The ${field} field is required.`)
    }
  }
  return {
    token: Redacted.make(body.token as string),
    appId: body.appId as string,
    userId: body.userId as string
  }
}

/** `CommunicationIdentity`; `customId` and `lastTokenIssuedAt` only on the preview version. */
export const identity = (user: IdentityStore.UserRecord, apiVersion: string): Record<string, string> => {
  const preview = apiVersion === previewApiVersion
  return {
    id: user.id,
    ...(preview && user.customId !== undefined ? { customId: user.customId } : {}),
    ...(preview && user.lastTokenIssuedAt !== undefined
      ? { lastTokenIssuedAt: Reply.formatDate(user.lastTokenIssuedAt) }
      : {})
  }
}

/** `CommunicationIdentityAccessToken`. */
export const accessToken = (token: IdentityStore.IssuedToken): { token: string; expiresOn: string } => ({
  token: Redacted.value(token.token),
  expiresOn: Reply.formatDate(token.expiresOn)
})
