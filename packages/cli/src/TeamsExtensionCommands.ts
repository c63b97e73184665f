/**
 * `acs-identity teams-extension show | set | delete`: Teams Phone extension assignments, which let
 * an Entra user or resource account of a tenant exchange its Entra token for an ACS token
 * (`token get-for-teams-extension-user`).
 *
 * @since 0.1.0
 */
import { TeamsExtensionPrincipalType } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Assignment from "./Assignment.js"
import * as CommandTree from "./CommandTree.js"
import * as Connection from "./Connection.js"
import * as Flag from "./Flag.js"

const key = "--tenant <tenant guid> --object <object guid>"

/**
 * `teams-extension show --tenant <guid> --object <guid>`: prints the assignment.
 *
 * @since 0.1.0
 * @category commands
 */
export const show = CommandTree.leaf(
  "show",
  {
    description: "Show the Teams Phone extension assignment of an Entra object.",
    flags: { ...Connection.flags, tenant: Assignment.tenant, object: Assignment.object },
    fields: Assignment.columns,
    operations: ["getTeamsExtensionAssignment"],
    examples: [{
      summary: "Which applications may exchange?",
      command: `acs-identity teams-extension show ${key} -o table`
    }]
  },
  (args) =>
    Connection.withClient(args, (client) =>
      Effect.map(
        client.getTeamsExtensionAssignment({ tenantId: args.tenant, objectId: args.object }),
        Assignment.row
      ))
)

/**
 * `teams-extension set --tenant --object --principal-type [--client]…`: creates or replaces the
 * assignment; prints it with `created`.
 *
 * @since 0.1.0
 * @category commands
 */
export const set = CommandTree.leaf(
  "set",
  {
    description: "Create or replace a Teams Phone extension assignment; without --client any application may exchange.",
    flags: {
      ...Connection.flags,
      tenant: Assignment.tenant,
      object: Assignment.object,
      principalType: Flag.choice("principal-type", TeamsExtensionPrincipalType.literals, {
        pseudo: "type",
        description: "What the object is: a user or a resource account."
      }),
      clients: Assignment.clients
    },
    fields: Assignment.upsertedFields,
    operations: ["upsertTeamsExtensionAssignment"],
    examples: [{
      summary: "Let one application exchange a user's tokens:",
      command: `acs-identity teams-extension set ${key} --principal-type user --client <app guid>`
    }]
  },
  (args) =>
    Connection.withClient(args, (client) =>
      Effect.map(
        client.upsertTeamsExtensionAssignment({
          tenantId: args.tenant,
          objectId: args.object,
          principalType: args.principalType,
          ...(args.clients.length === 0 ? {} : { clientIds: args.clients })
        }),
        Assignment.upserted
      ))
)

/**
 * `teams-extension delete --tenant <guid> --object <guid>`: prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = CommandTree.leaf(
  "delete",
  {
    description: "Delete a Teams Phone extension assignment. Prints nothing.",
    flags: { ...Connection.flags, tenant: Assignment.tenant, object: Assignment.object },
    fields: [],
    operations: ["deleteTeamsExtensionAssignment"],
    examples: [{ summary: "Stop the exchange for an object:", command: `acs-identity teams-extension delete ${key}` }]
  },
  (args) =>
    Connection.withClient(args, (client) =>
      Effect.as(
        client.deleteTeamsExtensionAssignment({ tenantId: args.tenant, objectId: args.object }),
        undefined
      ))
)

/**
 * `teams-extension`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CommandTree.group("teams-extension", {
  description: "Teams Phone extension assignments: who may exchange an Entra token for an ACS token.",
  examples: [{ summary: "Show an assignment:", command: `acs-identity teams-extension show ${key}` }]
}, [show, set, remove])
