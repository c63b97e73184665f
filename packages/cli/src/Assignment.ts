/**
 * What the assignment commands share: the Entra id options and how an assignment is printed.
 *
 * @since 0.1.0
 */
import type { EntraAssignment, TeamsExtensionAssignment, Upserted } from "@acs-identity/sdk"
import * as Flag from "./Flag.js"
import type * as Output from "./Output.js"

/**
 * `--tenant <guid>`: the Entra tenant id.
 *
 * @since 0.1.0
 * @category options
 */
export const tenant = Flag.guid("tenant", "The Entra tenant id (a GUID).")

/**
 * `--object <guid>`: the Entra object id of the user, group, tenant or resource account.
 *
 * @since 0.1.0
 * @category options
 */
export const object = Flag.guid(
  "object",
  "The Entra object id (a GUID) of the user, group, tenant or resource account."
)

/**
 * `--client <guid>`, repeatable: the Entra applications allowed to exchange tokens.
 *
 * @since 0.1.0
 * @category options
 */
export const clients = Flag.repeated(
  Flag.guid(
    "client",
    "An Entra application (client) id allowed to exchange tokens; several after one --client or repeated."
  ),
  { min: 0, spaced: true }
)

/**
 * The columns of an assignment, in the order printed.
 *
 * @since 0.1.0
 * @category output
 */
export const columns = ["objectId", "tenantId", "principalType", "clientIds"] as const

/**
 * The fields of an upsert's result: the assignment's and `created`.
 *
 * @since 0.1.0
 * @category output
 */
export const upsertedFields = [...columns, "created"] as const

/**
 * An assignment as a row.
 *
 * @since 0.1.0
 * @category output
 */
export const row = (assignment: TeamsExtensionAssignment | EntraAssignment): Output.Row => [
  ["objectId", assignment.objectId],
  ["tenantId", assignment.tenantId],
  ["principalType", assignment.principalType],
  ["clientIds", assignment.clientIds]
]

/**
 * An upsert's result as a row: the assignment and whether it was `created` (or replaced).
 *
 * @since 0.1.0
 * @category output
 */
export const upserted = (result: Upserted<TeamsExtensionAssignment | EntraAssignment>): Output.Row => [
  ...row(result.assignment),
  ["created", result.created]
]
