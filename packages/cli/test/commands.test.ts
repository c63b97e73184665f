/**
 * Every command through the real executable (a spawned process) against the stateful mock on
 * loopback: parsed output, real exit codes, the error paths, bad arguments that send nothing, and a
 * scan of everything printed for secrets.
 */
import { DevelopmentCredentials, type Faults, StatefulServer } from "@acs-identity/mock-server"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { assertFailure, assertNoSecrets as assertNoSecretsIn, json } from "./utils/Assertions.js"
import { acsIdentity, type Run } from "./utils/Binary.js"

/** Secrets of this run: a non-development access key, an Entra bearer token, a Teams user's Entra token. */
const accessKey = Buffer.from("cli-test-access-key-not-the-development-one").toString("base64")
const entraToken = "entra-token-for-the-cli-test-0123456789"
const teamsToken = "teams-aad-token-for-the-cli-test-9876543210"
const teamsApp = "11111111-2222-3333-4444-555555555555"
const teamsUser = "66666666-7777-8888-9999-000000000000"

const Mock = StatefulServer.StatefulMockServer.layer({
  accessKey: Redacted.make(accessKey),
  bearerTokens: [Redacted.make(entraToken)],
  teamsTokens: [{ token: teamsToken, appId: teamsApp, userId: teamsUser }]
})

const connectionString = (url: string) => DevelopmentCredentials.connectionStringFor(url, accessKey)

const assertNoSecrets = (run: Run, url: string) =>
  assertNoSecretsIn(run, [accessKey, connectionString(url), entraToken, teamsToken])

layer(Mock, { excludeTestServices: true, timeout: "60 seconds" })("acs-identity against the stateful mock", (it) => {
  /** Runs the command with the mock's connection string in AZURE_COMMUNICATION_CONNECTION_STRING. */
  const run = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const result = yield* acsIdentity(args, {
        AZURE_COMMUNICATION_CONNECTION_STRING: connectionString(mock.url),
        ...env
      })
      assertNoSecrets(result, mock.url)
      return result
    })

  const requestCount = Effect.flatMap(
    StatefulServer.StatefulMockServer,
    (mock) => Effect.map(mock.store.snapshot, (s) => s.requestCount)
  )

  it.effect("user create / show / delete: the lifecycle, with stable json fields", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const created = json(yield* run(["user", "create"]))
      assert.deepStrictEqual(Object.keys(created), ["id"])
      const id = String(created.id)
      assert.match(id, /^8:acs:/)
      const users = (yield* mock.store.snapshot).users
      assert.isTrue(users.some((user) => user.id === id && user.deletedAt === undefined))

      const shown = json(yield* run(["user", "show", id]))
      assert.deepStrictEqual(shown, { id })

      const deleted = yield* run(["user", "delete", id])
      assert.deepStrictEqual([deleted.code, deleted.stdout, deleted.stderr], [0, "", ""])
      const after = (yield* mock.store.snapshot).users.find((user) => user.id === id)
      assert.isDefined(after?.deletedAt)

      // As the service does, the mock answers 401 for a user that is not (or no longer) in the resource.
      assertFailure(yield* run(["user", "show", id]), 3, /authentication failed \(401 .*\[request id [0-9a-f-]+\]$/)
    }))

  it.effect("user create --custom-id: preview api-version, the same user again, table and tsv output", () =>
    Effect.gen(function*() {
      const tsv = yield* run(["user", "create", "--custom-id", "alice", "-o", "tsv"])
      assert.strictEqual(tsv.code, 0, tsv.stderr)
      const [id, customId] = tsv.stdout.trimEnd().split("\t")
      assert.match(id!, /^8:acs:/)
      assert.strictEqual(customId, "alice")

      const table = yield* run(["user", "create", "--custom-id", "alice", "--output", "table"])
      assert.strictEqual(table.code, 0, table.stderr)
      const lines = table.stdout.trimEnd().split("\n")
      assert.strictEqual(lines.length, 3)
      assert.match(lines[0]!, /^id +customId$/)
      assert.match(lines[1]!, /^-+ +-+$/)
      assert.strictEqual(lines[2]!.split(/ +/)[0], id, "the same custom id gives the same user")

      const none = yield* run(["user", "create", "-o", "none"])
      assert.deepStrictEqual([none.code, none.stdout], [0, ""])
    }))

  it.effect("token issue for a new user and for --user; token revoke invalidates them", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const before = Date.now()
      const fresh = json(yield* run(["token", "issue", "--scope", "chat", "--scope", "voip", "--expires-in", "60"]))
      assert.deepStrictEqual(Object.keys(fresh), ["userId", "token", "expiresOn"])
      const userId = String(fresh.userId)
      assert.isTrue((yield* mock.store.snapshot).users.some((user) => user.id === userId), "a user was created")
      const expiresOn = Date.parse(String(fresh.expiresOn))
      assert.isTrue(Math.abs(expiresOn - (before + 60 * 60_000)) < 5 * 60_000, String(fresh.expiresOn))
      assert.isTrue(yield* mock.store.isTokenValid(String(fresh.token)))

      const second = json(yield* run(["token", "issue", "--scope", "chat.join", "--user", userId]))
      assert.strictEqual(second.userId, userId)
      assert.isTrue(yield* mock.store.isTokenValid(String(second.token)))

      const tsv = yield* run(["token", "issue", "--scope", "voip", "--user", userId, "-o", "tsv"])
      const [tsvUser, tsvToken, tsvExpiry] = tsv.stdout.trimEnd().split("\t")
      assert.deepStrictEqual([tsvUser, Number.isNaN(Date.parse(tsvExpiry!))], [userId, false])
      assert.isTrue(yield* mock.store.isTokenValid(tsvToken!))

      const revoked = yield* run(["token", "revoke", userId])
      assert.deepStrictEqual([revoked.code, revoked.stdout, revoked.stderr], [0, "", ""])
      for (const token of [fresh.token, second.token, tsvToken]) {
        assert.isFalse(yield* mock.store.isTokenValid(String(token)))
      }
    }))

  it.effect("token get-for-teams-user: the exchange, a wrong user (401) and a wrong application (400)", () =>
    Effect.gen(function*() {
      const exchange = (app: string, user: string) =>
        run(["token", "get-for-teams-user", "--aad-token", teamsToken, "--client", app, "--aad-user", user])
      const issued = json(yield* exchange(teamsApp, teamsUser))
      assert.deepStrictEqual(Object.keys(issued), ["token", "expiresOn"])
      const mock = yield* StatefulServer.StatefulMockServer
      assert.isTrue(yield* mock.store.isTokenValid(String(issued.token)))

      assertFailure(yield* exchange(teamsApp, teamsApp), 3, /authentication failed \(401/)
      assertFailure(yield* exchange(teamsUser, teamsUser), 6, /rejected by the service \(400 .*\(target appId\)$/)
    }))

  it.effect(
    "bad arguments exit 2 with one line naming the argument, and send no request",
    () =>
      Effect.gen(function*() {
        const before = yield* requestCount
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp, Record<string, string>?]> = [
          [
            ["token", "issue", "--scope", "chat", "--expires-in", "30"],
            /^acs-identity: token issue: invalid --expires-in '30' \(a whole number from 60 to 1440\)$/
          ],
          [
            ["token", "issue", "--scope", "chat", "--expires-in", "soon"],
            /invalid --expires-in 'soon' \(a whole number from 60 to 1440\)$/
          ],
          [
            ["token", "issue", "--scope", "chat", "--expires-in", "60.5"],
            /invalid --expires-in '60.5' \(a whole number/
          ],
          [
            ["token", "issue", "--scope", "chat", "--retries", "many"],
            /invalid --retries 'many' \(a whole number from 0 to 10\)$/
          ],
          [
            ["token", "issue", "--scope", "email"],
            /invalid --scope 'email' \(choose from chat, voip, chat.join, chat.join.limited, voip.join\)$/
          ],
          [["token", "issue"], /^acs-identity: token issue: missing --scope <scope> \(choose from chat,/],
          [["token", "issue", "--scope", "chat", "--user", ".."], /invalid user id: a user id must not be empty/],
          [
            ["token", "issue", "--scope", "chat", "--retries", "11"],
            /invalid --retries '11' \(a whole number from 0 to 10\)$/
          ],
          [
            ["user", "create", "--custom-id", "bob", "--api-version", "2025-06-30"],
            /^acs-identity: user create: --api-version 2025-06-30 does not have --custom-id \(it needs 2025-03-02-preview\)$/
          ],
          [
            ["user", "show", "8:acs:x", "--api-version", "2023-10-01"],
            /^acs-identity: user show: --api-version 2023-10-01 does not have this command \(it needs 2025-03-02-preview\)$/
          ],
          [["user", "delete"], /^acs-identity: user delete: missing --user <id>/],
          [
            ["user", "create", "--frobnicate"],
            /^acs-identity: user create: unknown option '--frobnicate' \(see acs-identity user create --help\)$/
          ],
          [
            ["users", "create"],
            /^acs-identity: unknown command 'users'; did you mean 'user'\? \(choose from user, token,/
          ],
          [
            ["token", "get-for-teams-user", "--aad-token", teamsToken, "--client", "app", "--aad-user", teamsUser],
            /^acs-identity: token get-for-teams-user: invalid --client 'app' \(a GUID such as 0{8}-0{4}-0{4}-0{4}-0{12}\)$/
          ],
          [
            ["user", "create", "--mock", "--endpoint", "https://x.communication.azure.com"],
            /--mock cannot be combined with --endpoint/
          ],
          [["user", "create", "--endpoint", "https://x.communication.azure.com"], /--endpoint needs an Entra token/],
          [["user", "create", "--entra-token", entraToken], /--entra-token needs --endpoint/],
          [["user", "create"], /no credentials: give --connection-string/, {
            AZURE_COMMUNICATION_CONNECTION_STRING: ""
          }],
          [
            ["user", "create", "--connection-string", `endpoint=https://x;accesskey=${accessKey};endpoint=https://y`],
            /invalid connection string from --connection-string: .*twice/
          ],
          [["user", "create"], /invalid connection string from AZURE_COMMUNICATION_CONNECTION_STRING: .*no accesskey/, {
            AZURE_COMMUNICATION_CONNECTION_STRING: "endpoint=https://x.communication.azure.com/"
          }]
        ]
        for (const [args, pattern, env] of cases) {
          const result = yield* run(args, env)
          assertFailure(result, 2, pattern)
        }
        assert.strictEqual(yield* requestCount, before, "no request reached the mock")
      }),
    { timeout: 240_000 }
  )

  it.effect("credentials: --connection-string beats the environment, AZURE_ beats COMMUNICATION_, which is the fallback", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const wrongKey = connectionString(mock.url).replace(accessKey, Buffer.from("wrong").toString("base64"))
      const good = connectionString(mock.url)
      json(
        yield* run(["user", "create", "--connection-string", good], { AZURE_COMMUNICATION_CONNECTION_STRING: wrongKey })
      )
      json(
        yield* run(["user", "create"], {
          AZURE_COMMUNICATION_CONNECTION_STRING: good,
          COMMUNICATION_CONNECTION_STRING: wrongKey
        })
      )
      const fallback = yield* acsIdentity(["user", "create"], { COMMUNICATION_CONNECTION_STRING: good })
      assertNoSecrets(fallback, mock.url)
      json(fallback)
      // The wrong key signs, the mock refuses the signature.
      assertFailure(
        yield* run(["user", "create"], { AZURE_COMMUNICATION_CONNECTION_STRING: wrongKey }),
        3,
        /authentication failed \(401/
      )
    }))

  it.effect("--endpoint with an Entra token from --entra-token or ACS_IDENTITY_ENTRA_TOKEN", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const endpoint = `${mock.url}/`
      json(yield* acsIdentity(["user", "create", "--endpoint", endpoint, "--entra-token", entraToken]))
      const fromEnv = yield* acsIdentity(["user", "create", "--endpoint", endpoint], {
        ACS_IDENTITY_ENTRA_TOKEN: entraToken
      })
      assertNoSecrets(fromEnv, mock.url)
      json(fromEnv)
      const refused = yield* acsIdentity(["user", "create", "--endpoint", endpoint, "--entra-token", "not-this-one"])
      assertNoSecrets(refused, mock.url)
      assertFailure(refused, 3, /authentication failed \(401 .*bearer token/)
    }))

  it.effect("service failures: throttled 7, service 8, network 9, unexpected response 10, retried by default", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const withFault = (rules: ReadonlyArray<Faults.FaultRule>) =>
        Effect.zipRight(mock.faults.clear, mock.faults.add(rules))
      const once = ["user", "create", "--retries", "0"]

      yield* withFault([{ fault: { _tag: "Status", status: 429, retryAfterSeconds: 7 } }])
      assertFailure(yield* run(once), 7, /throttled \(429 .*\(retry after 7s\)$/)
      yield* withFault([{ fault: { _tag: "Status", status: 503, retryAfterSeconds: 2 } }])
      assertFailure(yield* run(once), 8, /service error \(503 /)
      yield* withFault([{ fault: { _tag: "ResetBeforeCommit" } }])
      assertFailure(yield* run(once), 9, /network error \(Network\)/)
      yield* withFault([{ fault: { _tag: "TruncatedJson" } }])
      assertFailure(yield* run(once), 10, /unexpected response \(201\)/)

      // One 503, then the default retry succeeds; --verbose shows both attempts, the retry and no secret.
      yield* withFault([{ fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 }, times: 1 }])
      const retried = yield* run(["user", "create", "--verbose"])
      yield* mock.faults.clear
      assert.strictEqual(retried.code, 0, retried.stderr)
      assert.match(String(JSON.parse(retried.stdout).id), /^8:acs:/)
      const log = retried.stderr.trimEnd().split("\n")
      assert.match(
        log[0]!,
        /^acs-identity: credentials from AZURE_COMMUNICATION_CONNECTION_STRING, api-version 2025-06-30$/
      )
      assert.match(
        log[1]!,
        /^acs-identity: POST http:\/\/127\.0\.0\.1:\d+\/identities\?api-version=2025-06-30 \[request id [0-9a-f-]+\] -> 503 in \d+ ms$/
      )
      assert.match(log[2]!, /^acs-identity: debug: retrying an identity request \(.*\)$/)
      assert.match(log[2]!, /\bstatus=503\b/)
      assert.match(log[2]!, /\bwait=\S+/)
      assert.match(log[3]!, /-> 201 in \d+ ms$/)
      assert.strictEqual(log.length, 4)
      // Without --verbose, a retry after a 503 is silent.
      yield* withFault([{ fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 }, times: 1 }])
      json(yield* run(["user", "create"]))
    }))

  it.effect("a throttled, then retried, request: stdout holds the output alone, the warning is one line on stderr", () =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      yield* mock.faults.clear
      yield* mock.faults.add([{ fault: { _tag: "Status", status: 429, retryAfterSeconds: 0 }, times: 1 }])
      const created = yield* run(["user", "create", "--query", "id", "-o", "tsv"])
      yield* mock.faults.clear
      assert.strictEqual(created.code, 0, created.stderr)
      assert.match(
        created.stdout,
        /^8:acs:[^\s]+\n$/,
        "U=$(acs-identity user create --query id -o tsv) gets the id alone"
      )
      assert.match(
        created.stderr,
        /^acs-identity: warn: the service throttled an identity request; retrying \([^\n]*\bstatus=429\b[^\n]*\)\n$/
      )
    }))

  it.effect("a closed port is a network error, exit 9", () =>
    Effect.gen(function*() {
      const result = yield* acsIdentity(["user", "create", "--retries", "0"], {
        AZURE_COMMUNICATION_CONNECTION_STRING: connectionString("http://127.0.0.1:9")
      })
      assertFailure(result, 9, /network error \(Network\): .*: connect ECONNREFUSED 127\.0\.0\.1:9 \[request id /)
    }))
})
