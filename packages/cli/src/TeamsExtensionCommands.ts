/**
 * `acs-identity teams-extension show | set | delete`: Teams Phone extension assignments, which let
 * an Entra user or resource account of a tenant exchange its Entra token for an ACS token
 * (`token get-for-teams-extension-user`).
 *
 * @since 0.1.0
 */
import { TeamsExtensionPrincipalType } from "@acs-identity/sdk"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Assignment from "./Assignment.js"
import * as Connection from "./Connection.js"

/**
 * `teams-extension show --tenant <guid> --object <guid>`: prints the assignment.
 *
 * @since 0.1.0
 * @category commands
 */
export const show = Command.make(
  "show",
  { ...Connection.options, tenant: Assignment.tenant, object: Assignment.object },
  (args) =>
    Connection.withClient(args, (client) =>
      Effect.map(
        client.getTeamsExtensionAssignment({ tenantId: args.tenant, objectId: args.object }),
        Assignment.row
      ))
).pipe(Command.withDescription("Show the Teams Phone extension assignment of an Entra object."))

/**
 * `teams-extension set --tenant --object --principal-type [--client]…`: creates or replaces the
 * assignment; prints it with `created`.
 *
 * @since 0.1.0
 * @category commands
 */
export const set = Command.make(
  "set",
  {
    ...Connection.options,
    tenant: Assignment.tenant,
    object: Assignment.object,
    principalType: Options.choice("principal-type", TeamsExtensionPrincipalType.literals).pipe(
      Options.withDescription("What the object is: a user or a resource account.")
    ),
    clients: Assignment.clients
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
).pipe(
  Command.withDescription(
    "Create or replace a Teams Phone extension assignment; without --client any application may exchange."
  )
)

/**
 * `teams-extension delete --tenant <guid> --object <guid>`: prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = Command.make(
  "delete",
  { ...Connection.options, tenant: Assignment.tenant, object: Assignment.object },
  (args) =>
    Connection.withClient(args, (client) =>
      Effect.as(
        client.deleteTeamsExtensionAssignment({ tenantId: args.tenant, objectId: args.object }),
        undefined
      ))
).pipe(Command.withDescription("Delete a Teams Phone extension assignment. Prints nothing."))

/**
 * `teams-extension`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("teams-extension").pipe(
  Command.withDescription("Teams Phone extension assignments: who may exchange an Entra token for an ACS token."),
  Command.withSubcommands([show, set, remove])
)
