/**
 * `acs-identity token issue | revoke | get-for-teams-user | get-for-teams-extension-user |
 * get-for-entra-user`. Every one but `revoke` exists to print a token: it prints it on stdout
 * (unless `--output none`), and nowhere else.
 *
 * @since 0.1.0
 */
import { type AccessToken, type ExchangedToken, TokenScope } from "@acs-identity/sdk"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Connection from "./Connection.js"
import type * as Output from "./Output.js"
import { userId } from "./UserCommands.js"
import * as WholeNumber from "./WholeNumber.js"

const aadToken = Options.redacted("aad-token").pipe(Options.withDescription("The user's Entra access token."))

const tokenRow = (token: Pick<AccessToken, "token" | "expiresOn">): Output.Row => [
  ["token", Redacted.value(token.token)],
  ["expiresOn", token.expiresOn.toISOString()]
]

/**
 * `token issue --scope <scope>… [--user <id>] [--expires-in <minutes>]`: prints `userId`, `token`
 * and `expiresOn`. Without `--user` a new user is created with the token, in one request.
 *
 * @since 0.1.0
 * @category commands
 */
export const issue = Command.make(
  "issue",
  {
    ...Connection.options,
    scopes: Options.choice("scope", TokenScope.literals).pipe(
      Options.withDescription("What the token may be used for; repeat for several: --scope chat --scope voip."),
      Options.atLeast(1)
    ),
    user: Options.text("user").pipe(
      Options.withDescription("The user to issue the token for; without it a new user is created."),
      Options.optional
    ),
    expiresIn: WholeNumber.option("expires-in", "minutes").pipe(
      Options.withDescription("The token's lifetime in minutes, 60 to 1440 (the service's default is 1440)."),
      Options.optional
    )
  },
  (args) =>
    Connection.withClient(args, (client) => {
      const expiresInMinutes = Option.getOrUndefined(args.expiresIn)
      const lifetime = expiresInMinutes === undefined ? {} : { expiresInMinutes }
      return Option.match(args.user, {
        onNone: () =>
          Effect.map(
            client.createUserAndToken(args.scopes, lifetime),
            (issued): Output.Row => [["userId", issued.user.communicationUserId], ...tokenRow(issued)]
          ),
        onSome: (communicationUserId) =>
          Effect.map(
            client.getToken({ communicationUserId }, args.scopes, lifetime),
            (token): Output.Row => [["userId", communicationUserId], ...tokenRow(token)]
          )
      })
    })
).pipe(Command.withDescription("Issue an access token, for a new user unless --user is given."))

/**
 * `token revoke <id>`: revokes every token of the user; prints nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const revoke = Command.make(
  "revoke",
  { ...Connection.options, id: userId },
  (args) =>
    Connection.withClient(args, (client) => Effect.as(client.revokeTokens({ communicationUserId: args.id }), undefined))
).pipe(Command.withDescription("Revoke every access token of a user. Prints nothing."))

/**
 * `token get-for-teams-user --aad-token <token> --client <id> --aad-user <id>`: exchanges a Teams
 * user's Entra token for an ACS token; prints `token` and `expiresOn`. With `--mock`, the embedded
 * mock accepts the given Entra token for the given application and user.
 *
 * @since 0.1.0
 * @category commands
 */
export const getForTeamsUser = Command.make(
  "get-for-teams-user",
  {
    ...Connection.options,
    aadToken,
    client: Options.text("client").pipe(
      Options.withDescription("The Entra application (client) id; must match the token's appid claim.")
    ),
    aadUser: Options.text("aad-user").pipe(
      Options.withDescription("The Teams user's Entra object id; must match the token's oid claim.")
    )
  },
  (args) =>
    Connection.withClient(
      args,
      (client) =>
        Effect.map(
          client.getTokenForTeamsUser({
            teamsUserAadToken: args.aadToken,
            clientId: args.client,
            userObjectId: args.aadUser
          }),
          tokenRow
        ),
      { mockTeamsToken: { token: args.aadToken, appId: args.client, userId: args.aadUser } }
    )
).pipe(Command.withDescription("Exchange a Teams user's Entra token for an ACS access token."))

const exchangedRow = (exchanged: ExchangedToken): Output.Row => [
  ["userId", exchanged.user.communicationUserId],
  ...tokenRow(exchanged)
]

/**
 * `token get-for-teams-extension-user --aad-token <token>`: exchanges a Teams Phone extension
 * user's Entra token (its tenant, object and application must have an assignment, see
 * `teams-extension set`); prints `userId`, `token` and `expiresOn`. Needs only an endpoint:
 * `--endpoint` alone will do.
 *
 * @since 0.1.0
 * @category commands
 */
export const getForTeamsExtensionUser = Command.make(
  "get-for-teams-extension-user",
  { ...Connection.options, aadToken },
  (args) =>
    Connection.withTokenExchange(args, (exchange) => Effect.map(exchange.teamsExtension(args.aadToken), exchangedRow))
).pipe(Command.withDescription("Exchange a Teams Phone extension user's Entra token for its ACS identity and token."))

/**
 * `token get-for-entra-user --aad-token <token>` (preview): exchanges an Entra ID user's token
 * (the user, a group of it or its tenant must have an assignment, see `entra set`); prints
 * `userId`, `token` and `expiresOn`. Always sends the preview api-version; needs only an endpoint.
 *
 * @since 0.1.0
 * @category commands
 */
export const getForEntraUser = Command.make(
  "get-for-entra-user",
  { ...Connection.options, aadToken },
  (args) => Connection.withTokenExchange(args, (exchange) => Effect.map(exchange.entra(args.aadToken), exchangedRow))
).pipe(Command.withDescription("Exchange an Entra ID user's token for its ACS identity and token (preview)."))

/**
 * `token`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("token").pipe(
  Command.withDescription("Issue and revoke access tokens; exchange Entra tokens for ACS tokens."),
  Command.withSubcommands([issue, revoke, getForTeamsUser, getForTeamsExtensionUser, getForEntraUser])
)
