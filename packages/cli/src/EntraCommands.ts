/**
 * `acs-identity entra list | show | set | delete | update`: Entra ID assignments
 * (2025-03-02-preview), which let users, groups or whole tenants exchange their Entra tokens for
 * ACS tokens (`token get-for-entra-user`). These commands send the preview api-version unless
 * `--api-version` says otherwise.
 *
 * @since 0.1.0
 */
import { EntraPrincipalType } from "@acs-identity/sdk"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Assignment from "./Assignment.js"
import * as Connection from "./Connection.js"
import * as Output from "./Output.js"

const preview = { preview: true } as const

const principalType = Options.choice("principal-type", EntraPrincipalType.literals).pipe(
  Options.withDescription("What the object is: a user, a group, or a tenant (then --object is the tenant id).")
)

/**
 * `entra list`: every assignment, following the service's pages.
 *
 * @since 0.1.0
 * @category commands
 */
export const list = Command.make(
  "list",
  Connection.options,
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(
          Stream.runCollect(client.listEntraAssignments()),
          (all) => Output.list(Assignment.columns, Chunk.toReadonlyArray(all).map(Assignment.row))
        ),
      preview
    )
).pipe(Command.withDescription("List every Entra ID assignment (preview)."))

/**
 * `entra show --object <guid>`.
 *
 * @since 0.1.0
 * @category commands
 */
export const show = Command.make(
  "show",
  { ...Connection.options, object: Assignment.object },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.map(client.getEntraAssignment(args.object), Assignment.row),
      preview
    )
).pipe(Command.withDescription("Show the Entra ID assignment of an object (preview)."))

/**
 * `entra set --object --tenant --principal-type --client…`: creates or replaces the assignment;
 * prints it with `created`.
 *
 * @since 0.1.0
 * @category commands
 */
export const set = Command.make(
  "set",
  {
    ...Connection.options,
    object: Assignment.object,
    tenant: Assignment.tenant,
    principalType,
    clients: Assignment.clients
  },
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(
          client.upsertEntraAssignment({
            objectId: args.object,
            tenantId: args.tenant,
            principalType: args.principalType,
            clientIds: args.clients
          }),
          Assignment.upserted
        ),
      preview
    )
).pipe(Command.withDescription("Create or replace the Entra ID assignment of an object (preview)."))

/**
 * `entra delete --object <guid>`: prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = Command.make(
  "delete",
  { ...Connection.options, object: Assignment.object },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.as(client.deleteEntraAssignment(args.object), undefined),
      preview
    )
).pipe(Command.withDescription("Delete the Entra ID assignment of an object (preview). Prints nothing."))

/**
 * The file `entra update --changes` reads: objectId to its new assignment, or `null` to delete it.
 *
 * @since 0.1.0
 * @category models
 */
export const Changes = Schema.Record({
  key: Schema.String,
  value: Schema.NullOr(Schema.Struct({
    tenantId: Schema.String,
    principalType: EntraPrincipalType,
    clientIds: Schema.Array(Schema.String)
  }))
})

/**
 * `entra update --changes <file.json>`: applies many changes in one request; prints the
 * assignments the service reports back.
 *
 * @since 0.1.0
 * @category commands
 */
export const update = Command.make(
  "update",
  {
    ...Connection.options,
    changes: Options.fileSchema("changes", Changes).pipe(
      Options.withDescription(
        "A JSON file mapping objectIds to {tenantId, principalType, clientIds}, or to null to delete."
      )
    )
  },
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(
          client.updateEntraAssignments(args.changes),
          (assignments) => Output.list(Assignment.columns, assignments.map(Assignment.row))
        ),
      preview
    )
).pipe(Command.withDescription("Apply many Entra ID assignment changes in one request (preview)."))

/**
 * `entra`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("entra").pipe(
  Command.withDescription("Entra ID assignments (preview): who may exchange an Entra token for an ACS token."),
  Command.withSubcommands([list, show, set, remove, update])
)
