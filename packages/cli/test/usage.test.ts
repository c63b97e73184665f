/**
 * Mistakes on the command line, through the real executable: each one exact line on stderr naming
 * the command, the option and the bad value, with what is accepted and the closest valid choice;
 * exit 2; nothing on stdout; and no request reaches the service (the mock's request counter).
 * Shared options are accepted before, between and after the command's words.
 */
import { DevelopmentCredentials, StatefulServer } from "@acs-identity/mock-server"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { json } from "./utils/Assertions.js"
import { acsIdentity } from "./utils/Binary.js"

const scopes = "chat, voip, chat.join, chat.join.limited, voip.join"
const idRule = "a user id, 8:acs:…, without whitespace or control characters"
const guid = "11111111-2222-3333-4444-555555555555"
const guidRule = "a GUID such as 00000000-0000-0000-0000-000000000000"
const teamsVersions = "2025-06-30, 2026-07-22, 2026-09-23, 2025-03-02-preview"

/** Each mistake and the exact line it prints (after `acs-identity: `). */
const mistakes: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
  // misspelt commands, at every level
  [
    ["users", "create"],
    "unknown command 'users'; did you mean 'user'? (choose from user, token, teams-extension, entra, mock)"
  ],
  [["tokn"], "unknown command 'tokn'; did you mean 'token'? (choose from user, token, teams-extension, entra, mock)"],
  [["frobnicate"], "unknown command 'frobnicate' (choose from user, token, teams-extension, entra, mock)"],
  [
    ["token", "isue", "--scope", "chat"],
    "token: unknown command 'isue'; did you mean 'issue'? (choose from issue, revoke, get-for-teams-user, get-for-teams-extension-user, get-for-entra-user)"
  ],
  [["user", "craete"], "user: unknown command 'craete'; did you mean 'create'? (choose from create, delete, show)"],
  [
    ["teams-extension", "sett"],
    "teams-extension: unknown command 'sett'; did you mean 'set'? (choose from show, set, delete)"
  ],
  [
    ["entra", "lst"],
    "entra: unknown command 'lst'; did you mean 'list'? (choose from list, show, set, delete, update)"
  ],
  [["mock", "stat"], "mock: unknown command 'stat'; did you mean 'start'? (choose from start)"],
  // misspelt and misplaced options
  [
    ["token", "issue", "--scop", "chat"],
    "token issue: unknown option '--scop'; did you mean '--scope'? (see acs-identity token issue --help)"
  ],
  [
    ["user", "create", "--custom-di", "x"],
    "user create: unknown option '--custom-di'; did you mean '--custom-id'? (see acs-identity user create --help)"
  ],
  [
    ["user", "create", "--verbos"],
    "user create: unknown option '--verbos'; did you mean '--verbose'? (see acs-identity user create --help)"
  ],
  [
    ["user", "create", "--user", "8:acs:x"],
    "user create: unknown option '--user' (see acs-identity user create --help)"
  ],
  [
    ["--scope", "chat", "token", "issue"],
    "unknown option '--scope' (the options of a command go after its name; see acs-identity --help)"
  ],
  [
    ["--mock", "mock", "start"],
    "mock start: --mock is not an option of this command (see acs-identity mock start --help)"
  ],
  // wrong values, for each kind of option
  [["token", "issue", "--scope", "bogus"], `token issue: invalid --scope 'bogus' (choose from ${scopes})`],
  [
    ["token", "issue", "--scope", "caht"],
    `token issue: invalid --scope 'caht'; did you mean 'chat'? (choose from ${scopes})`
  ],
  [
    ["token", "issue", "--scope", "chat", "vop"],
    `token issue: invalid --scope 'vop'; did you mean 'voip'? (choose from ${scopes})`
  ],
  [
    ["token", "issue", "--scope", "chat", "--expires-in", "30"],
    "token issue: invalid --expires-in '30' (a whole number from 60 to 1440)"
  ],
  [
    ["token", "issue", "--scope", "chat", "--expires-in", "1h"],
    "token issue: invalid --expires-in '1h' (a whole number from 60 to 1440)"
  ],
  [["user", "create", "--retries", "-1"], "user create: invalid --retries '-1' (a whole number from 0 to 10)"],
  [["user", "create", "-o", "yaml"], "user create: invalid --output 'yaml' (choose from json, table, tsv, none)"],
  [
    ["user", "create", "--output", "tabel"],
    "user create: invalid --output 'tabel'; did you mean 'table'? (choose from json, table, tsv, none)"
  ],
  [
    ["user", "create", "--api-version", "2025-06-31"],
    "user create: invalid --api-version '2025-06-31'; did you mean '2025-06-30'? (choose from 2021-03-07, 2022-06-01, 2022-10-01, 2023-08-01, 2023-10-01, 2025-06-30, 2026-07-22, 2026-09-23, 2025-03-02-preview)"
  ],
  [
    ["teams-extension", "set", "--tenant", guid, "--object", guid, "--principal-type", "usr"],
    "teams-extension set: invalid --principal-type 'usr'; did you mean 'user'? (choose from resourceAccount, user)"
  ],
  [
    ["user", "create", "--query", "idd"],
    "user create: invalid --query field 'idd'; did you mean 'id'? (choose from id, customId)"
  ],
  [["user", "delete", "8:acs:x", "--query", "id"], "user delete: --query: this command prints nothing"],
  [["--query", "token", "user", "create"], "user create: invalid --query field 'token' (choose from id, customId)"],
  [["--completions", "bsh"], "invalid --completions 'bsh'; did you mean 'bash'? (choose from bash, fish, sh, zsh)"],
  // ids checked locally: whitespace and control characters never reach the service
  [["user", "delete", "--user", "8:acs:abc\t"], `user delete: invalid --user '8:acs:abc\\t' (${idRule})`],
  [["token", "revoke", "8:acs:a b"], `token revoke: invalid --user '8:acs:a b' (${idRule})`],
  [["user", "show", "8:acs:\u001b[2Jx"], `user show: invalid --user '8:acs:\\x1b[2Jx' (${idRule})`],
  [["entra", "show", "--object", ""], `entra show: invalid --object '' (${guidRule})`],
  // GUIDs and the SDK's bounds checked locally too, in the same words
  [
    ["teams-extension", "show", "--tenant", "nope", "--object", guid],
    `teams-extension show: invalid --tenant 'nope' (${guidRule})`
  ],
  [
    ["teams-extension", "delete", "--tenant", guid, "--object", `${guid}0`],
    `teams-extension delete: invalid --object '${guid}0' (${guidRule})`
  ],
  [
    ["entra", "set", "--object", guid, "--tenant", guid, "--principal-type", "user", "--client", guid, "x"],
    `entra set: invalid --client 'x' (${guidRule})`
  ],
  [
    ["token", "get-for-teams-user", "--aad-token", "t", "--client", guid, "--aad-user", "oid"],
    `token get-for-teams-user: invalid --aad-user 'oid' (${guidRule})`
  ],
  [
    ["user", "create", "--custom-id", ""],
    "user create: invalid --custom-id '' (1 to 256 characters without control characters)"
  ],
  [
    ["user", "create", "--custom-id", "x".repeat(257)],
    `user create: invalid --custom-id '${"x".repeat(59)}…' (1 to 256 characters without control characters)`
  ],
  [
    ["token", "get-for-teams-user", "--aad-token", "a b", "--client", guid, "--aad-user", guid],
    "token get-for-teams-user: invalid --aad-token (a token without whitespace or control characters)"
  ],
  // an api-version that lacks the command, an option or a value: which ones have it, in the CLI's words
  [
    ["user", "show", "--user", "8:acs:x", "--api-version", "2025-06-30"],
    "user show: --api-version 2025-06-30 does not have this command (it needs 2025-03-02-preview)"
  ],
  [
    ["--api-version", "2025-06-30", "entra", "list"],
    "entra list: --api-version 2025-06-30 does not have this command (it needs 2025-03-02-preview)"
  ],
  [
    ["token", "get-for-entra-user", "--aad-token", "t", "--api-version", "2026-07-22"],
    "token get-for-entra-user: --api-version 2026-07-22 does not have this command (it needs 2025-03-02-preview)"
  ],
  [
    ["teams-extension", "delete", "--tenant", guid, "--object", guid, "--api-version", "2023-10-01"],
    `teams-extension delete: --api-version 2023-10-01 does not have this command (it needs one of ${teamsVersions})`
  ],
  [
    [
      "token",
      "get-for-teams-user",
      "--aad-token",
      "t",
      "--client",
      guid,
      "--aad-user",
      guid,
      "--api-version",
      "2021-03-07"
    ],
    "token get-for-teams-user: --api-version 2021-03-07 does not have this command (it needs one of 2022-06-01, " +
    "2022-10-01, 2023-08-01, 2023-10-01, 2025-06-30, 2026-07-22, 2026-09-23, 2025-03-02-preview)"
  ],
  [
    ["user", "create", "--custom-id", "bob", "--api-version", "2025-06-30"],
    "user create: --api-version 2025-06-30 does not have --custom-id (it needs 2025-03-02-preview)"
  ],
  [
    ["token", "issue", "--api-version", "2021-03-07", "--scope", "chat", "--expires-in", "60"],
    "token issue: --api-version 2021-03-07 does not have --expires-in (it needs one of 2022-10-01, 2023-08-01, " +
    "2023-10-01, 2025-06-30, 2026-07-22, 2026-09-23, 2025-03-02-preview)"
  ],
  [
    ["token", "issue", "--scope", "chat", "voip.join", "--api-version", "2023-08-01"],
    `token issue: --api-version 2023-08-01 does not have --scope voip.join (it needs one of 2023-10-01, ${teamsVersions})`
  ],
  // an option's name is never a value
  [["token", "revoke", "--verbose", "--user"], `token revoke: --user needs a value: <id>, ${idRule}`],
  [
    ["token", "issue", "--user", "--scope", "chat"],
    `token issue: --user needs a value: <id>, ${idRule} (got the option '--scope'; write --user=<value> for a value starting with -)`
  ],
  [["user", "create", "--mock=yes"], "user create: --mock takes no value (got '--mock=yes')"],
  // missing and repeated
  [["token", "issue"], `token issue: missing --scope <scope> (choose from ${scopes})`],
  [["token", "revoke"], `token revoke: missing --user <id> (${idRule})`],
  [["teams-extension", "set", "--mock"], "teams-extension set: missing --tenant, --object, --principal-type"],
  [["user", "create", "-o", "json", "-o", "tsv"], "user create: --output is given twice"],
  [["user", "delete", "8:acs:a", "8:acs:b"], "user delete: unexpected argument '8:acs:b': --user is given already"],
  [
    ["user", "delete", "--", "8:acs:a", "8:acs:b"],
    "user delete: unexpected argument '8:acs:b': --user is given already"
  ],
  [
    ["token", "issue", "--scope", "chat", "--mock", "extra"],
    "token issue: unexpected argument 'extra' (this command takes options only; see acs-identity token issue --help)"
  ]
]

const Mock = StatefulServer.StatefulMockServer.layer({})

layer(Mock, { excludeTestServices: true, timeout: "60 seconds" })("acs-identity usage errors", (it) => {
  const requestCount = Effect.flatMap(
    StatefulServer.StatefulMockServer,
    (mock) => Effect.map(mock.store.snapshot, (s) => s.requestCount)
  )
  const run = (args: ReadonlyArray<string>) =>
    Effect.flatMap(StatefulServer.StatefulMockServer, (mock) =>
      acsIdentity(args, {
        AZURE_COMMUNICATION_CONNECTION_STRING: DevelopmentCredentials.connectionStringFor(mock.url)
      }))

  it.effect(`${mistakes.length} mistakes: the exact line, exit 2, nothing sent`, () =>
    Effect.gen(function*() {
      assert.isAtLeast(mistakes.length, 30)
      const before = yield* requestCount
      for (const [args, line] of mistakes) {
        const result = yield* run(args)
        assert.deepStrictEqual(
          { code: result.code, stdout: result.stdout, stderr: result.stderr },
          { code: 2, stdout: "", stderr: `acs-identity: ${line}\n` },
          args.join(" ")
        )
      }
      assert.strictEqual(yield* requestCount, before, "no request reached the mock")
    }), { timeout: 240_000 })

  it.effect("shared options before, between and after the command's words; --scope and --user as az spells them", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const positions = [
        ["--mock", "token", "issue", "--scope", "chat"],
        ["token", "--mock", "issue", "--scope", "chat"],
        ["token", "issue", "--scope", "chat", "--mock"],
        ["-o", "json", "--retries", "0", "token", "issue", "--scope", "chat", "voip", "--mock"]
      ]
      for (const args of positions) {
        const issued = json(yield* acsIdentity(args))
        assert.deepStrictEqual(Object.keys(issued), ["userId", "token", "expiresOn"], args.join(" "))
      }
      const id = String(json(yield* run(["--query", "id", "-o", "json", "user", "create"])))
      assert.match(id, /^8:acs:/)
      // --scope chat voip is two scopes; --user is accepted where a user is taken, as az does.
      const issued = json(yield* run(["token", "issue", "--scope", "chat", "voip", "--user", id]))
      assert.strictEqual(issued.userId, id)
      const jwt = JSON.parse(Buffer.from(String(issued.token).split(".")[1]!, "base64url").toString()) as {
        readonly acsScope: string
      }
      assert.strictEqual(jwt.acsScope, "chat,voip")
      for (const args of [["token", "revoke", "--user", id], ["--verbose", "user", "delete", "--user", id]]) {
        const result = yield* run(args)
        assert.strictEqual(result.code, 0, `${args.join(" ")}: ${result.stderr}`)
      }
      const deleted = (yield* mock.store.snapshot).users.find((user) => user.id === id)
      assert.isDefined(deleted?.deletedAt)
    }))

  it.effect("an --api-version that has the command, its options and their values is sent", () =>
    Effect.gen(function*() {
      const cases = [
        ["user", "create", "--custom-id", "dora", "--api-version", "2025-03-02-preview", "--verbose"],
        ["token", "issue", "--scope", "chat.join", "--expires-in", "60", "--api-version", "2023-10-01", "--verbose"],
        ["token", "issue", "--scope", "chat", "--expires-in", "60", "--api-version", "2022-10-01", "--verbose"]
      ]
      for (const args of cases) {
        const result = yield* run([...args, "-o", "none"])
        assert.strictEqual(result.code, 0, `${args.join(" ")}: ${result.stderr}`)
        assert.include(result.stderr, `?api-version=${args[args.indexOf("--api-version") + 1]} `, args.join(" "))
      }
    }))

  it.effect("a tsv column read back into --user works: one column when one field is asked for", () =>
    Effect.gen(function*() {
      const created = yield* run(["user", "create", "-o", "tsv"])
      assert.strictEqual(created.code, 0, created.stderr)
      assert.match(created.stdout, /^8:acs:[^\t\s]+\n$/, "no empty customId column")
      const queried = yield* run(["user", "create", "--query", "id", "-o", "tsv"])
      const id = queried.stdout.replace(/\n$/, "")
      assert.match(id, /^8:acs:[^\t\s]+$/)
      const shown = json(yield* run(["user", "show", "--user", id]))
      assert.strictEqual(shown.id, id)
      // `--` ends the options: what follows is the user id.
      assert.strictEqual(json(yield* run(["user", "show", "--", id])).id, id)
      for (const command of [["token", "revoke"], ["user", "delete"]]) {
        const done = yield* run([...command, "-o", "none", "--", id])
        assert.deepStrictEqual([done.code, done.stdout, done.stderr], [0, "", ""], command.join(" "))
      }
    }))

  it.effect("entra update: a bad --changes file names the file, the field and what is accepted; nothing sent", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(path.join(tmpdir(), "acs-identity-cli-"))
      const file = path.join(dir, "changes.json")
      const assignment = { tenantId: guid, principalType: "user", clientIds: [guid] }
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["[]", "the file must be an object mapping objectIds to their assignment or to null (got [])"],
        ["nope", `not JSON (Unexpected token 'o', "nope" is not valid JSON)`],
        [JSON.stringify({ nope: assignment }), `nope is not an objectId (a key must be ${guidRule})`],
        [
          JSON.stringify({ [guid]: { ...assignment, tenantId: "x" } }),
          `${guid}.tenantId must be ${guidRule} (got 'x')`
        ],
        [
          JSON.stringify({ [guid]: { ...assignment, clientIds: [guid, 7] } }),
          `${guid}.clientIds[1] must be ${guidRule} (got 7)`
        ],
        [
          JSON.stringify({ [guid]: { ...assignment, principalType: "usr" } }),
          `${guid}.principalType must be one of user, group, tenant (got 'usr')`
        ],
        [JSON.stringify({ [guid]: { principalType: "user", clientIds: [] } }), `${guid}.tenantId is missing`],
        [
          JSON.stringify({ [guid]: 5 }),
          `${guid} must be an object of tenantId, principalType and clientIds, or null (got 5)`
        ]
      ]
      const before = yield* requestCount
      for (const [text, why] of cases) {
        writeFileSync(file, text)
        const result = yield* run(["entra", "update", "--changes", file])
        assert.deepStrictEqual(
          { code: result.code, stdout: result.stdout, stderr: result.stderr },
          { code: 2, stdout: "", stderr: `acs-identity: entra update: invalid --changes '${file}': ${why}\n` },
          text
        )
      }
      rmSync(dir, { recursive: true })
      assert.strictEqual(yield* requestCount, before, "no request reached the mock")
    }))
})
