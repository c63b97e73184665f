/**
 * `acs-identity user create | delete | show`.
 *
 * @since 0.1.0
 */
import { ApiVersion, CustomId } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CommandTree from "./CommandTree.js"
import * as Connection from "./Connection.js"
import * as Flag from "./Flag.js"

/**
 * `--user <id>`: the user's raw id (also accepted as a bare word by `user delete`, `user show` and
 * `token revoke`).
 *
 * @since 0.1.0
 * @category options
 */
export const user = Flag.id("user", {
  pseudo: "id",
  accepts: "a user id, 8:acs:…, without whitespace or control characters",
  description: "The user's raw id, 8:acs:<resource>_<guid> (as user create prints it)."
})

/**
 * `user create [--custom-id <id>]`: prints `id` (and `customId` when given).
 *
 * @since 0.1.0
 * @category commands
 */
export const create = CommandTree.leaf(
  "create",
  {
    description: "Create a user.",
    flags: {
      ...Connection.flags,
      customId: Flag.withApiVersions(
        Flag.optional(Flag.text("custom-id", {
          pseudo: "id",
          accepts: "1 to 256 characters without control characters",
          schema: CustomId,
          description:
            "Your own id for the user (preview api-version): creating again with the same id returns the same user."
        })),
        () => ApiVersion.ApiVersion.literals.filter(ApiVersion.supportsCustomId)
      )
    },
    fields: ["id", "customId"],
    operations: ["createIdentity"],
    examples: [
      { summary: "Create a user against the embedded mock:", command: "acs-identity user create --mock" },
      {
        summary: "Keep the new user's id in a variable:",
        command: "U=$(acs-identity user create --query id -o tsv)"
      },
      {
        summary: "Create (or find again) the user with your own id:",
        command: "acs-identity user create --custom-id alice -o table"
      }
    ]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => {
        const customId = Option.getOrUndefined(args.customId)
        return client.createUser(customId === undefined ? {} : { customId }).pipe(
          Effect.map((created) =>
            customId === undefined
              ? [["id", created.communicationUserId]] as const
              : [["id", created.communicationUserId], ["customId", customId]] as const
          )
        )
      },
      { preview: Option.isSome(args.customId) }
    )
)

/**
 * `user delete --user <id>` (or `user delete <id>`): deletes the user and revokes its tokens;
 * prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = CommandTree.leaf(
  "delete",
  {
    description: "Delete a user and revoke its tokens. Prints nothing.",
    flags: { ...Connection.flags, user },
    positional: "user",
    fields: [],
    operations: ["deleteIdentity"],
    examples: [{ summary: "Delete a user:", command: "acs-identity user delete --user \"$U\"" }]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.as(client.deleteUser({ communicationUserId: args.user }), undefined)
    )
)

/**
 * `user show --user <id>` (or `user show <id>`): prints `id`, `customId` and
 * `lastTokenIssuedAt` (preview api-version).
 *
 * @since 0.1.0
 * @category commands
 */
export const show = CommandTree.leaf(
  "show",
  {
    description: "Show a user's custom id and when its last token was issued (preview api-version).",
    flags: { ...Connection.flags, user },
    positional: "user",
    fields: ["id", "customId", "lastTokenIssuedAt"],
    operations: ["getIdentity"],
    examples: [{
      summary: "When was the user's last token issued?",
      command: "acs-identity user show --user \"$U\" --query lastTokenIssuedAt -o tsv"
    }]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(client.getUser({ communicationUserId: args.user }), (details) =>
          [
            ["id", details.id],
            ["customId", details.customId],
            ["lastTokenIssuedAt", details.lastTokenIssuedAt?.toISOString()]
          ] as const),
      { preview: true }
    )
)

/**
 * `user`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CommandTree.group("user", {
  description: "Create, show and delete users.",
  examples: [{ summary: "Create a user and show it:", command: "acs-identity user create -o table" }]
}, [create, remove, show])
