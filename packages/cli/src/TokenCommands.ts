/**
 * `acs-identity token issue | revoke | get-for-teams-user | get-for-teams-extension-user |
 * get-for-entra-user`. Every one but `revoke` exists to print a token: it prints it on stdout
 * (unless `--output none`), and nowhere else.
 *
 * @since 0.1.0
 */
import { type AccessToken, ApiVersion, type ExchangedToken, TokenScope } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as CommandTree from "./CommandTree.js"
import * as Connection from "./Connection.js"
import * as Flag from "./Flag.js"
import type * as Output from "./Output.js"
import { user } from "./UserCommands.js"

const aadToken = Flag.secret("aad-token", { pseudo: "token", description: "The user's Entra access token." })

const tokenRow = (token: Pick<AccessToken, "token" | "expiresOn">): Output.Row => [
  ["token", Redacted.value(token.token)],
  ["expiresOn", token.expiresOn.toISOString()]
]

/** The scopes of every api-version; the join scopes came later (see `ApiVersion.supportsJoinScopes`). */
const everyVersionScopes: ReadonlyArray<string> = ["chat", "voip"]
const joinScopeVersions = ApiVersion.ApiVersion.literals.filter(ApiVersion.supportsJoinScopes)

const tokenFields = ["token", "expiresOn"]
const exchangedFields = ["userId", ...tokenFields]

/**
 * `token issue --scope <scope>… [--user <id>] [--expires-in <minutes>]`: prints `userId`, `token`
 * and `expiresOn`. Without `--user` a new user is created with the token, in one request.
 *
 * @since 0.1.0
 * @category commands
 */
export const issue = CommandTree.leaf(
  "issue",
  {
    description: "Issue an access token, for a new user unless --user is given.",
    flags: {
      ...Connection.flags,
      scopes: Flag.withApiVersions(
        Flag.repeated(
          Flag.choice("scope", TokenScope.literals, {
            pseudo: "scope",
            description: "What the token may be used for; several after one --scope (--scope chat voip) or repeated."
          }),
          { min: 1, spaced: true }
        ),
        (scope) => (everyVersionScopes.includes(scope) ? undefined : joinScopeVersions)
      ),
      user: Flag.optional(user),
      expiresIn: Flag.withApiVersions(
        Flag.optional(Flag.whole("expires-in", {
          pseudo: "minutes",
          min: 60,
          max: 1440,
          description: "The token's lifetime in minutes (the service's default is 1440)."
        })),
        () => ApiVersion.ApiVersion.literals.filter(ApiVersion.supportsExpiresInMinutes)
      )
    },
    fields: exchangedFields,
    // Without --user a user is created with its token; with it, a token is issued.
    operations: ["createIdentity", "issueAccessToken"],
    examples: [
      {
        summary: "A chat and VoIP token for a new user, against the embedded mock:",
        command: "acs-identity token issue --scope chat voip --mock"
      },
      {
        summary: "Just the token, valid for an hour, for an existing user:",
        command: "acs-identity token issue --scope voip --user \"$U\" --expires-in 60 --query token -o tsv"
      }
    ]
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
)

/**
 * `token revoke --user <id>` (or `token revoke <id>`): revokes every token of the user; prints
 * nothing.
 *
 * @since 0.1.0
 * @category commands
 */
export const revoke = CommandTree.leaf(
  "revoke",
  {
    description: "Revoke every access token of a user. Prints nothing.",
    flags: { ...Connection.flags, user },
    positional: "user",
    fields: [],
    operations: ["revokeAccessTokens"],
    examples: [{
      summary: "Revoke a leaked token's user's tokens:",
      command: "acs-identity token revoke --user \"$U\""
    }]
  },
  (args) =>
    Connection.withClient(
      args,
      (client) => Effect.as(client.revokeTokens({ communicationUserId: args.user }), undefined)
    )
)

/**
 * `token get-for-teams-user --aad-token <token> --client <id> --aad-user <id>`: exchanges a Teams
 * user's Entra token for an ACS token; prints `token` and `expiresOn`. With `--mock`, the embedded
 * mock accepts the given Entra token for the given application and user.
 *
 * @since 0.1.0
 * @category commands
 */
export const getForTeamsUser = CommandTree.leaf(
  "get-for-teams-user",
  {
    description: "Exchange a Teams user's Entra token for an ACS access token.",
    flags: {
      ...Connection.flags,
      aadToken,
      client: Flag.guid("client", "The Entra application (client) id; must match the token's appid claim."),
      aadUser: Flag.guid("aad-user", "The Teams user's Entra object id; must match the token's oid claim.")
    },
    fields: tokenFields,
    operations: ["exchangeTeamsUserAccessToken"],
    examples: [{
      summary: "Exchange a Teams user's token (from MSAL) for an ACS token:",
      command: "acs-identity token get-for-teams-user --aad-token \"$AAD\" --client <app guid> --aad-user <oid>"
    }]
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
)

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
export const getForTeamsExtensionUser = CommandTree.leaf(
  "get-for-teams-extension-user",
  {
    description: "Exchange a Teams Phone extension user's Entra token for its ACS identity and token.",
    flags: { ...Connection.flags, aadToken },
    fields: exchangedFields,
    operations: ["exchangeTeamsExtensionAccessToken"],
    examples: [{
      summary: "Needs only the endpoint: the user's token authenticates.",
      command: "acs-identity token get-for-teams-extension-user --aad-token \"$AAD\" --endpoint \"$ENDPOINT\""
    }]
  },
  (args) =>
    Connection.withTokenExchange(args, (exchange) => Effect.map(exchange.teamsExtension(args.aadToken), exchangedRow))
)

/**
 * `token get-for-entra-user --aad-token <token>` (preview): exchanges an Entra ID user's token
 * (the user, a group of it or its tenant must have an assignment, see `entra set`); prints
 * `userId`, `token` and `expiresOn`. Sends the preview api-version, the only one that has it
 * (another `--api-version` is refused); needs only an endpoint.
 *
 * @since 0.1.0
 * @category commands
 */
export const getForEntraUser = CommandTree.leaf(
  "get-for-entra-user",
  {
    description: "Exchange an Entra ID user's token for its ACS identity and token (preview).",
    flags: { ...Connection.flags, aadToken },
    fields: exchangedFields,
    operations: ["exchangeEntraAccessToken"],
    examples: [{
      summary: "Needs only the endpoint, and an Entra assignment (see entra set):",
      command: "acs-identity token get-for-entra-user --aad-token \"$AAD\" --endpoint \"$ENDPOINT\""
    }]
  },
  (args) =>
    Connection.withTokenExchange(
      args,
      (exchange) => Effect.map(exchange.entra(args.aadToken), exchangedRow),
      { preview: true }
    )
)

/**
 * `token`, with its subcommands.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = CommandTree.group("token", {
  description: "Issue and revoke access tokens; exchange Entra tokens for ACS tokens.",
  examples: [{ summary: "A chat token for a new user:", command: "acs-identity token issue --scope chat --mock" }]
}, [issue, revoke, getForTeamsUser, getForTeamsExtensionUser, getForEntraUser])
