/**
 * Communication identifiers, structurally compatible with `@azure/communication-common`,
 * and the raw-id rules that map them to and from the service's string form.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The sovereign cloud a Teams identity lives in.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const CloudEnvironment = Schema.Literal("public", "dod", "gcch")
/**
 * @see CloudEnvironment
 *
 * @since 0.1.0
 * @category identifiers
 */
export type CloudEnvironment = typeof CloudEnvironment.Type

/**
 * An ACS user, the identity this service creates: its id is its raw id (`8:acs:<resource>_<guid>`).
 *
 * @since 0.1.0
 * @category identifiers
 */
export const CommunicationUserIdentifier = Schema.Struct({
  communicationUserId: Schema.String
})
/**
 * @see CommunicationUserIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type CommunicationUserIdentifier = typeof CommunicationUserIdentifier.Type

/**
 * A phone number, normally E.164 with its `+`.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const PhoneNumberIdentifier = Schema.Struct({
  phoneNumber: Schema.String,
  rawId: Schema.optional(Schema.String),
  isAnonymous: Schema.optional(Schema.Boolean),
  assertedId: Schema.optional(Schema.String)
})
/**
 * @see PhoneNumberIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type PhoneNumberIdentifier = typeof PhoneNumberIdentifier.Type

/**
 * A Microsoft Teams user (Entra object id), or an anonymous Teams visitor.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const MicrosoftTeamsUserIdentifier = Schema.Struct({
  microsoftTeamsUserId: Schema.String,
  rawId: Schema.optional(Schema.String),
  isAnonymous: Schema.optional(Schema.Boolean),
  cloud: Schema.optional(CloudEnvironment)
})
/**
 * @see MicrosoftTeamsUserIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type MicrosoftTeamsUserIdentifier = typeof MicrosoftTeamsUserIdentifier.Type

/**
 * A Microsoft Teams app (bot), by its app id.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const MicrosoftTeamsAppIdentifier = Schema.Struct({
  teamsAppId: Schema.String,
  rawId: Schema.optional(Schema.String),
  cloud: Schema.optional(CloudEnvironment)
})
/**
 * @see MicrosoftTeamsAppIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type MicrosoftTeamsAppIdentifier = typeof MicrosoftTeamsAppIdentifier.Type

/**
 * A Teams Phone extension user: an Entra user acting through an ACS resource.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const TeamsExtensionUserIdentifier = Schema.Struct({
  userId: Schema.String,
  tenantId: Schema.String,
  resourceId: Schema.String,
  rawId: Schema.optional(Schema.String),
  cloud: Schema.optional(CloudEnvironment)
})
/**
 * @see TeamsExtensionUserIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type TeamsExtensionUserIdentifier = typeof TeamsExtensionUserIdentifier.Type

/**
 * Any identifier whose raw id matches no known kind; the raw id is kept verbatim.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const UnknownIdentifier = Schema.Struct({
  id: Schema.String
})
/**
 * @see UnknownIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type UnknownIdentifier = typeof UnknownIdentifier.Type

/**
 * Every identifier kind, discriminated (as in `@azure/communication-common`) by which property it has.
 *
 * @since 0.1.0
 * @category identifiers
 */
export const CommunicationIdentifier = Schema.Union(
  CommunicationUserIdentifier,
  PhoneNumberIdentifier,
  MicrosoftTeamsUserIdentifier,
  MicrosoftTeamsAppIdentifier,
  TeamsExtensionUserIdentifier,
  UnknownIdentifier
)
/**
 * @see CommunicationIdentifier
 *
 * @since 0.1.0
 * @category identifiers
 */
export type CommunicationIdentifier = typeof CommunicationIdentifier.Type

/**
 * The name of each identifier kind.
 *
 * @since 0.1.0
 * @category identifiers
 */
export type IdentifierKind =
  | "communicationUser"
  | "phoneNumber"
  | "microsoftTeamsUser"
  | "microsoftTeamsApp"
  | "teamsExtensionUser"
  | "unknown"

const has = (identifier: object, key: string): boolean =>
  typeof (identifier as Record<string, unknown>)[key] === "string"

/**
 * The kind of an identifier, tested in the same order as `@azure/communication-common`.
 *
 * @since 0.1.0
 * @category getters
 */
export const getIdentifierKind = (identifier: CommunicationIdentifier): IdentifierKind => {
  if (has(identifier, "communicationUserId")) return "communicationUser"
  if (has(identifier, "phoneNumber")) return "phoneNumber"
  if (has(identifier, "microsoftTeamsUserId")) return "microsoftTeamsUser"
  if (has(identifier, "teamsAppId")) return "microsoftTeamsApp"
  if (has(identifier, "userId") && has(identifier, "tenantId") && has(identifier, "resourceId")) {
    return "teamsExtensionUser"
  }
  return "unknown"
}

/**
 * True when the identifier is an ACS user.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCommunicationUserIdentifier = (
  identifier: CommunicationIdentifier
): identifier is CommunicationUserIdentifier => getIdentifierKind(identifier) === "communicationUser"

const teamsUserPrefix: Record<CloudEnvironment, string> = { public: "8:orgid:", dod: "8:dod:", gcch: "8:gcch:" }
const teamsAppPrefix: Record<CloudEnvironment, string> = { public: "28:orgid:", dod: "28:dod:", gcch: "28:gcch:" }
const acsPrefix: Record<CloudEnvironment, string> = { public: "8:acs:", dod: "8:dod-acs:", gcch: "8:gcch-acs:" }
const visitorPrefix = "8:teamsvisitor:"
const spoolPrefix = "8:spool:"
const phonePrefix = "4:"

/**
 * The raw id the service uses for an identifier.
 *
 * @since 0.1.0
 * @category getters
 */
export const getIdentifierRawId = (identifier: CommunicationIdentifier): string => {
  switch (getIdentifierKind(identifier)) {
    case "communicationUser":
      return (identifier as CommunicationUserIdentifier).communicationUserId
    case "phoneNumber": {
      const phone = identifier as PhoneNumberIdentifier
      return phone.rawId ?? `${phonePrefix}${phone.phoneNumber}`
    }
    case "microsoftTeamsUser": {
      const user = identifier as MicrosoftTeamsUserIdentifier
      if (user.rawId !== undefined) return user.rawId
      if (user.isAnonymous === true) return `${visitorPrefix}${user.microsoftTeamsUserId}`
      return `${teamsUserPrefix[user.cloud ?? "public"]}${user.microsoftTeamsUserId}`
    }
    case "microsoftTeamsApp": {
      const app = identifier as MicrosoftTeamsAppIdentifier
      return app.rawId ?? `${teamsAppPrefix[app.cloud ?? "public"]}${app.teamsAppId}`
    }
    case "teamsExtensionUser": {
      const ext = identifier as TeamsExtensionUserIdentifier
      return ext.rawId ?? `${acsPrefix[ext.cloud ?? "public"]}${ext.resourceId}_${ext.tenantId}_${ext.userId}`
    }
    case "unknown":
      return (identifier as UnknownIdentifier).id
  }
}

const cloudOf = (table: Record<CloudEnvironment, string>, prefix: string): CloudEnvironment | undefined =>
  (Object.keys(table) as Array<CloudEnvironment>).find((cloud) => table[cloud] === prefix)

/**
 * Parses a raw id into the identifier it denotes; anything unrecognised becomes an `UnknownIdentifier`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const createIdentifierFromRawId = (rawId: string): CommunicationIdentifier => {
  if (rawId.startsWith(phonePrefix)) {
    const phoneNumber = rawId.slice(phonePrefix.length)
    const underscore = phoneNumber.lastIndexOf("_")
    const assertedId = underscore >= 0 ? phoneNumber.slice(underscore + 1) : ""
    return {
      phoneNumber,
      rawId,
      isAnonymous: phoneNumber === "anonymous",
      ...(assertedId.length > 0 ? { assertedId } : {})
    }
  }
  const segments = rawId.split(":")
  if (segments.length !== 3) return { id: rawId }
  const prefix = `${segments[0]}:${segments[1]}:`
  const suffix = segments[2]!
  if (prefix === visitorPrefix) return { microsoftTeamsUserId: suffix, rawId, isAnonymous: true }
  const teamsCloud = cloudOf(teamsUserPrefix, prefix)
  if (teamsCloud !== undefined) {
    return { microsoftTeamsUserId: suffix, rawId, isAnonymous: false, cloud: teamsCloud }
  }
  const acsCloud = cloudOf(acsPrefix, prefix)
  if (acsCloud !== undefined) {
    const parts = suffix.split("_")
    return parts.length === 3
      ? { resourceId: parts[0]!, tenantId: parts[1]!, userId: parts[2]!, rawId, cloud: acsCloud }
      : { communicationUserId: rawId }
  }
  if (prefix === spoolPrefix) return { communicationUserId: rawId }
  const appCloud = cloudOf(teamsAppPrefix, prefix)
  if (appCloud !== undefined) return { teamsAppId: suffix, rawId, cloud: appCloud }
  return { id: rawId }
}
