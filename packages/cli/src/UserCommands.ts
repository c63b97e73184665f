/**
 * `acs-identity user create | delete | show`.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Connection from "./Connection.js"

/**
 * The positional user id of `user delete`, `user show` and `token revoke`.
 *
 * @since 0.1.0
 * @category arguments
 */
export const userId = Args.text({ name: "id" }).pipe(
  Args.withDescription("The user's raw id, 8:acs:<resource>_<guid>.")
)

/**
 * `user create [--custom-id <id>]`: prints `id` (and `customId` when given).
 *
 * @since 0.1.0
 * @category commands
 */
export const create = Command.make(
  "create",
  {
    ...Connection.options,
    customId: Options.text("custom-id").pipe(
      Options.withDescription(
        "Your own id for the user (preview api-version): creating again with the same id returns the same user."
      ),
      Options.optional
    )
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => {
        const customId = Option.getOrUndefined(args.customId)
        return client.createUser(customId === undefined ? {} : { customId }).pipe(
          Effect.map((user) => [["id", user.communicationUserId], ["customId", customId]] as const)
        )
      },
      { preview: Option.isSome(args.customId) }
    )
).pipe(Command.withDescription("Create a user."))

/**
 * `user delete <id>`: deletes the user and revokes its tokens; prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const remove = Command.make(
  "delete",
  { ...Connection.options, id: userId },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.as(client.deleteUser({ communicationUserId: args.id }), undefined)
    )
).pipe(Command.withDescription("Delete a user and revoke its tokens. Prints nothing."))

/**
 * `user show <id>`: prints `id`, `customId` and `lastTokenIssuedAt` (preview api-version).
 *
 * @since 0.1.0
 * @category commands
 */
export const show = Command.make(
  "show",
  { ...Connection.options, id: userId },
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(client.getUser({ communicationUserId: args.id }), (details) =>
          [
            ["id", details.id],
            ["customId", details.customId],
            ["lastTokenIssuedAt", details.lastTokenIssuedAt?.toISOString()]
          ] as const),
      { preview: true }
    )
).pipe(Command.withDescription("Show a user's custom id and when its last token was issued (preview api-version)."))

/**
 * `user`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("user").pipe(
  Command.withDescription("Create, show and delete users."),
  Command.withSubcommands([create, remove, show])
)
