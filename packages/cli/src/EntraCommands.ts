/**
 * `acs-identity entra list | show | set | delete | update`: Entra ID assignments
 * (2025-03-02-preview), which let users, groups or whole tenants exchange their Entra tokens for
 * ACS tokens (`token get-for-entra-user`). These commands send the preview api-version unless
 * `--api-version` says otherwise.
 *
 * @since 0.1.0
 */
import { EntraPrincipalType, Guid } from "@acs-identity/sdk"
import * as EntraAssignments from "@acs-identity/sdk/EntraAssignments"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Assignment from "./Assignment.js"
import * as CommandTree from "./CommandTree.js"
import * as Connection from "./Connection.js"
import { json, quote } from "./Controls.js"
import * as Flag from "./Flag.js"
import * as Output from "./Output.js"
import { UsageError } from "./UsageError.js"

const preview = { preview: true } as const

const principalType = Flag.choice("principal-type", EntraPrincipalType.literals, {
  pseudo: "type",
  description: "What the object is: a user, a group, or a tenant (then --object is the tenant id)."
})

const object = "--object <object guid>"

/**
 * `entra list [--max-items <n>]`: the assignments, printed as the service's pages arrive (in every
 * output format), up to `--max-items`; the SDK bounds how many pages a listing follows.
 *
 * @since 0.1.0
 * @category commands
 */
export const list = CommandTree.leaf(
  "list",
  {
    description:
      "List the Entra ID assignments (preview), printed as the pages arrive; --max-items stops after so many.",
    flags: {
      ...Connection.flags,
      maxItems: Flag.optional(Flag.whole("max-items", {
        pseudo: "n",
        min: 1,
        description: "Stop after this many assignments (no more pages are fetched than they need)."
      }))
    },
    fields: Assignment.columns,
    operations: ["listEntraAssignments"],
    examples: [
      { summary: "The first ten assignments as a table:", command: "acs-identity entra list --max-items 10 -o table" },
      { summary: "Every object id, one per line:", command: "acs-identity entra list --query objectId -o tsv" }
    ]
  },
  (args) =>
    Connection.use(
      args,
      (client) => {
        const all = EntraAssignments.stream(client)
        const bounded = Option.match(args.maxItems, { onNone: () => all, onSome: (n) => Stream.take(all, n) })
        return Output.printStream(args, Assignment.columns, Stream.map(bounded, Assignment.row))
      },
      preview
    )
)

/**
 * `entra show --object <guid>`: prints the object's assignment.
 *
 * @since 0.1.0
 * @category commands
 */
export const show = CommandTree.leaf(
  "show",
  {
    description: "Show the Entra ID assignment of an object (preview).",
    flags: { ...Connection.flags, object: Assignment.object },
    fields: Assignment.columns,
    operations: ["getEntraAssignment"],
    examples: [{ summary: "Show an assignment as a table:", command: `acs-identity entra show ${object} -o table` }]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.map(client.getEntraAssignment(args.object), Assignment.row),
      preview
    )
)

/**
 * `entra set --object --tenant --principal-type --client…`: creates or replaces the assignment;
 * prints it with `created`.
 *
 * @since 0.1.0
 * @category commands
 */
export const set = CommandTree.leaf(
  "set",
  {
    description: "Create or replace the Entra ID assignment of an object (preview).",
    flags: {
      ...Connection.flags,
      object: Assignment.object,
      tenant: Assignment.tenant,
      principalType,
      clients: Assignment.clients
    },
    fields: Assignment.upsertedFields,
    operations: ["upsertEntraAssignment"],
    examples: [{
      summary: "Let a whole tenant exchange through two applications:",
      command: "acs-identity entra set --object <tenant guid> --tenant <tenant guid> --principal-type tenant " +
        "--client <app guid> <other app guid>"
    }]
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
)

/**
 * `entra delete --object <guid>`: prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = CommandTree.leaf(
  "delete",
  {
    description: "Delete the Entra ID assignment of an object (preview). Prints nothing.",
    flags: { ...Connection.flags, object: Assignment.object },
    fields: [],
    operations: ["deleteEntraAssignment"],
    examples: [{ summary: "Delete an assignment:", command: `acs-identity entra delete ${object}` }]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.as(client.deleteEntraAssignment(args.object), undefined),
      preview
    )
)

/** A JSON value as a message shows it: a string quoted as option values are, the rest as JSON, cut as long. */
const shown = (actual: unknown) => {
  if (typeof actual === "string") return quote(actual)
  const text = String(json(actual))
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

/**
 * The message of a value of the file that `schema` refuses: what it must be, and what it is; a
 * message of a part inside it wins unless `whole` (a GUID that is not even a string is still not a GUID).
 */
const must = <S extends Schema.Annotable.All>(schema: S, what: string, whole = false): S =>
  schema.annotations({
    message: (issue) => ({ message: `must be ${what} (got ${shown(issue.actual)})`, override: whole })
  }) as S

const guid = must(Guid, Flag.guidRule, true)

/**
 * The file `entra update --changes` reads: objectId to its new assignment, or `null` to delete it.
 * Every id is checked as the SDK checks it, and each problem says what is accepted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Changes = must(
  Schema.Record({
    key: Schema.String,
    value: Schema.NullOr(must(
      Schema.Struct({
        tenantId: guid,
        principalType: must(EntraPrincipalType, `one of ${EntraPrincipalType.literals.join(", ")}`, true),
        clientIds: must(Schema.Array(guid), "an array of GUIDs")
      }),
      "an object of tenantId, principalType and clientIds, or null"
    ))
  }),
  "an object mapping objectIds to their assignment or to null"
).pipe(Schema.filter((changes) => {
  const bad = Object.keys(changes).find((key) => !Schema.is(Guid)(key))
  return bad === undefined || { path: [bad], message: `is not an objectId (a key must be ${Flag.guidRule})` }
}))

/** Where in the file a problem is: `<objectId>.clientIds[0]`, or the whole file. */
const where = (path: ReadonlyArray<PropertyKey>) =>
  path.length === 0
    ? "the file"
    : path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("")

/**
 * Reads and decodes the `--changes` file; what is wrong with it is a usage error naming the file,
 * the field and what it accepts.
 *
 * @since 0.1.0
 * @category schemas
 */
export const readChanges = (
  path: string
): Effect.Effect<typeof Changes.Type, UsageError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const invalid = (why: string) =>
      new UsageError({ message: `entra update: invalid --changes ${quote(path)}: ${why}` })
    const text = yield* Effect.mapError(
      fs.readFileString(path),
      (error) => invalid(`cannot read it (${error._tag === "SystemError" ? error.reason : error.message})`)
    )
    const parsed = yield* Effect.mapError(
      Effect.try(() => JSON.parse(text) as unknown),
      (error) => invalid(`not JSON (${error.cause instanceof Error ? error.cause.message : String(error.cause)})`)
    )
    return yield* Schema.decodeUnknown(Changes)(parsed).pipe(
      Effect.mapError((error) => {
        const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
        return invalid(first === undefined ? "not an object" : `${where(first.path)} ${first.message}`)
      })
    )
  })

/**
 * `entra update --changes <file.json>`: applies many changes in one request; prints the
 * assignments the service reports back.
 *
 * @since 0.1.0
 * @category commands
 */
export const update = CommandTree.leaf(
  "update",
  {
    description: "Apply many Entra ID assignment changes in one request (preview).",
    flags: {
      ...Connection.flags,
      changes: Flag.text("changes", {
        pseudo: "file.json",
        accepts: "the path of a JSON file",
        description: "A JSON file mapping objectIds to {tenantId, principalType, clientIds}, or to null to delete."
      })
    },
    fields: Assignment.columns,
    operations: ["updateEntraAssignments"],
    examples: [{ summary: "Apply the changes in a file:", command: "acs-identity entra update --changes changes.json" }]
  },
  (args) =>
    Effect.flatMap(readChanges(args.changes), (changes) =>
      Connection.withClient(
        args,
        (client) =>
          Effect.map(
            client.updateEntraAssignments(changes),
            (assignments) => Output.list(Assignment.columns, assignments.map(Assignment.row))
          ),
        preview
      ))
)

/**
 * `entra`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CommandTree.group("entra", {
  description: "Entra ID assignments (preview): who may exchange an Entra token for an ACS token.",
  examples: [{ summary: "List the assignments:", command: "acs-identity entra list -o table" }]
}, [list, show, set, remove, update])
