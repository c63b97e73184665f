/**
 * The claims of a user's Entra access token that the stores read (they do not check signatures):
 * reading them from a JWT-shaped token, and making such tokens for tests.
 */
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"

/** The claims of an Entra token the store's exchanges read. */
export interface EntraClaims {
  /** `tid`: the tenant. */
  readonly tenantId: string
  /** `oid`: the user's object id. */
  readonly objectId: string
  /** `appid` (v1) or `azp` (v2): the application the token was issued to. */
  readonly clientId: string
  /** `exp`; defaults to one hour after `Date.now()`. */
  readonly expiresOn?: Date | undefined
  /** `groups`: groups the user belongs to (for group assignments). */
  readonly groups?: ReadonlyArray<string> | undefined
}

/** The claims read from a token that has not expired. */
export interface ReadClaims {
  readonly tenantId: string
  readonly objectId: string
  readonly clientId: string
  readonly expiresOn: Date
  readonly groups: ReadonlyArray<string>
}

/** Base64url of a value's JSON: one part of a JWT. */
export const base64UrlJson = (value: unknown): string => Encoding.encodeBase64Url(JSON.stringify(value))

/** An unsigned, JWT-shaped Entra access token for the ACS resource with these claims. */
export const tokenFor = (claims: EntraClaims): Redacted.Redacted<string> => {
  const expiresOn = claims.expiresOn ?? new Date(Date.now() + 3_600_000)
  return Redacted.make(
    [
      base64UrlJson({ alg: "RS256", typ: "JWT" }),
      base64UrlJson({
        aud: "https://communication.azure.com",
        tid: claims.tenantId,
        oid: claims.objectId,
        appid: claims.clientId,
        exp: Math.floor(expiresOn.getTime() / 1000),
        ...(claims.groups === undefined ? {} : { groups: claims.groups })
      }),
      "unsigned"
    ].join(".")
  )
}

const text = (value: unknown): string | undefined => typeof value === "string" && value.length > 0 ? value : undefined

/** The payload of a JWT-shaped token as an object, or `undefined` when it is not one. */
const payloadOf = (token: Redacted.Redacted<string>): Readonly<Record<string, unknown>> | undefined => {
  const parts = Redacted.value(token).split(".")
  if (parts.length !== 3) return undefined
  const decoded = Encoding.decodeBase64UrlString(parts[1]!)
  if (decoded._tag === "Left") return undefined
  try {
    const payload: unknown = JSON.parse(decoded.right)
    return typeof payload === "object" && payload !== null ? payload as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/** The claims of a JWT-shaped Entra token that has not expired at `now`, or `undefined`. */
export const read = (token: Redacted.Redacted<string>, now: number): ReadClaims | undefined => {
  const claims = payloadOf(token)
  if (claims === undefined) return undefined
  const tenantId = text(claims.tid)
  const objectId = text(claims.oid)
  const clientId = text(claims.appid) ?? text(claims.azp)
  const exp = claims.exp
  if (tenantId === undefined || objectId === undefined || clientId === undefined) return undefined
  if (typeof exp !== "number" || exp * 1000 <= now) return undefined
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === "string") : []
  return { tenantId, objectId, clientId, expiresOn: new Date(exp * 1000), groups }
}
