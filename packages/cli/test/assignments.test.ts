/**
 * The Teams Phone extension and Entra ID commands through the real executable against the stateful
 * mock: assignments set, shown, listed across pages, updated in bulk and deleted, and the token
 * exchanges they allow, with the errors in between.
 */
import { DevelopmentCredentials, StatefulServer } from "@acs-identity/mock-server"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { assertFailure, assertNoSecrets, json } from "./utils/Assertions.js"
import { acsIdentity } from "./utils/Binary.js"

const tenant = "aaaaaaaa-0000-4000-8000-000000000001"
const user = "bbbbbbbb-0000-4000-8000-000000000002"
const app = "cccccccc-0000-4000-8000-000000000003"
const otherApp = "dddddddd-0000-4000-8000-000000000004"
const userToken = Redacted.value(IdentityStore.entraTokenFor({ tenantId: tenant, objectId: user, clientId: app }))

/** Two assignments per page, so `entra list` must follow nextLink. */
const Mock = StatefulServer.StatefulMockServer.layer({ pageSize: 2 })

interface Assignment {
  readonly objectId: string
  readonly tenantId: string
  readonly principalType: string
  readonly clientIds?: ReadonlyArray<string>
  readonly created?: boolean
}

layer(Mock, { excludeTestServices: true, timeout: "60 seconds" })("acs-identity assignments and exchanges", (it) => {
  const run = (...args: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const mock = yield* StatefulServer.StatefulMockServer
      const connectionString = Redacted.value(mock.connectionString)
      const result = yield* acsIdentity(args, { COMMUNICATION_CONNECTION_STRING: connectionString })
      assertNoSecrets(result, [connectionString, DevelopmentCredentials.accessKey, userToken])
      return result
    })

  const getResourceId = Effect.flatMap(
    StatefulServer.StatefulMockServer,
    (mock) => Effect.map(mock.store.snapshot, (s) => s.resourceId)
  )

  const requestCount = Effect.flatMap(
    StatefulServer.StatefulMockServer,
    (mock) => Effect.map(mock.store.snapshot, (s) => s.requestCount)
  )

  it.effect("teams-extension: the exchange needs an assignment that allows the application", () =>
    Effect.gen(function*() {
      const key = ["--tenant", tenant, "--object", user]
      const exchange = ["token", "get-for-teams-extension-user", "--aad-token", userToken]
      assertFailure(yield* run(...exchange), 4, /not authorized \(403 .*No Teams Phone extension assignment/)
      assertFailure(yield* run("teams-extension", "show", ...key), 5, /not found \(404 AssignmentNotFound\)/)

      const set = ["teams-extension", "set", ...key, "--principal-type", "user"]
      const created = json<Assignment>(yield* run(...set, "--client", otherApp))
      assert.deepStrictEqual(created, {
        objectId: user,
        tenantId: tenant,
        principalType: "user",
        clientIds: [otherApp],
        created: true
      })
      assertFailure(yield* run(...exchange), 4, /does not allow the application/)

      const replaced = yield* run(...set, "--client", otherApp, "--client", app, "-o", "tsv")
      assert.strictEqual(replaced.stdout, `${user}\t${tenant}\tuser\t${otherApp},${app}\tfalse\n`)
      // The exchange authenticates with the user's token: the endpoint alone is enough.
      const mock = yield* StatefulServer.StatefulMockServer
      const endpointOnly = yield* acsIdentity([...exchange, "--endpoint", `${mock.url}/`, "--verbose"])
      assertNoSecrets(endpointOnly, [userToken])
      assert.strictEqual(endpointOnly.code, 0, endpointOnly.stderr)
      assert.match(endpointOnly.stderr, /^acs-identity: credentials from --endpoint \(the user's token authenticates\)/)
      assert.match(
        endpointOnly.stderr,
        /POST http:\/\/127\.0\.0\.1:\d+\/access\/teamsExtension\/:exchangeAccessToken\?api-version=2025-06-30 .*-> 200 in \d+ ms\n$/
      )
      const exchanged = JSON.parse(endpointOnly.stdout) as Record<string, string>
      assert.deepStrictEqual(Object.keys(exchanged), ["userId", "token", "expiresOn"])
      assert.strictEqual(exchanged.userId, `8:acs:${(yield* getResourceId)}_${tenant}_${user}`)

      assert.deepStrictEqual(json<Assignment>(yield* run("teams-extension", "show", ...key)).clientIds, [otherApp, app])
      const deleted = yield* run("teams-extension", "delete", ...key)
      assert.deepStrictEqual([deleted.code, deleted.stdout, deleted.stderr], [0, "", ""])
      assertFailure(yield* run("teams-extension", "delete", ...key), 5, /not found \(404/)
      assertFailure(
        yield* run("teams-extension", "show", "--tenant", "t", "--object", user),
        2,
        /^acs-identity: teams-extension show: invalid --tenant 't' \(a GUID such as /
      )
    }))

  it.effect("entra (preview): set, list across pages, bulk update from a file, the exchange, delete", () =>
    Effect.gen(function*() {
      const exchange = ["token", "get-for-entra-user", "--aad-token", userToken]
      assertFailure(yield* run(...exchange), 4, /not authorized \(403 /)

      const others = ["eeeeeeee-0000-4000-8000-00000000000a", "eeeeeeee-0000-4000-8000-00000000000b"]
      for (const object of others) {
        json(
          yield* run(
            "entra",
            "set",
            "--object",
            object,
            "--tenant",
            tenant,
            "--principal-type",
            "group",
            "--client",
            otherApp
          )
        )
      }
      const mine = json<Assignment>(
        yield* run("entra", "set", "--object", user, "--tenant", tenant, "--principal-type", "user", "--client", app)
      )
      assert.isTrue(mine.created)
      assert.match(String(json(yield* run(...exchange)).userId), /^8:acs:/)

      const listed = json<ReadonlyArray<Assignment>>(yield* run("entra", "list"))
      assert.sameMembers(listed.map((a) => a.objectId), [...others, user], "three assignments over two pages")
      const table = (yield* run("entra", "list", "-o", "table")).stdout.trimEnd().split("\n")
      assert.strictEqual(table.length, 2 + 3)
      assert.match(table[0]!, /^objectId +tenantId +principalType +clientIds$/)

      const dir = mkdtempSync(path.join(tmpdir(), "acs-identity-cli-"))
      const changes = path.join(dir, "changes.json")
      writeFileSync(
        changes,
        JSON.stringify({
          [others[0]!]: null,
          [others[1]!]: { tenantId: tenant, principalType: "group", clientIds: [app, otherApp] }
        })
      )
      const updated = json<ReadonlyArray<Assignment>>(yield* run("entra", "update", "--changes", changes))
      assert.deepStrictEqual(updated.map((a) => [a.objectId, a.clientIds]), [[others[1], [app, otherApp]]])
      writeFileSync(changes, JSON.stringify({ [user]: { tenantId: tenant, principalType: "robot", clientIds: [] } }))
      const before = yield* requestCount
      assertFailure(yield* run("entra", "update", "--changes", changes), 2, /principalType|robot/)
      assert.strictEqual(yield* requestCount, before, "a bad changes file sends nothing")
      rmSync(dir, { recursive: true })

      assert.deepStrictEqual(json<Assignment>(yield* run("entra", "show", "--object", others[1]!)).clientIds, [
        app,
        otherApp
      ])
      assertFailure(yield* run("entra", "show", "--object", others[0]!), 5, /not found \(404/)
      const deleted = yield* run("entra", "delete", "--object", user)
      assert.deepStrictEqual([deleted.code, deleted.stdout], [0, ""])
      assertFailure(yield* run(...exchange), 4, /not authorized \(403 /)
      assertFailure(
        yield* run("entra", "list", "--api-version", "2025-06-30"),
        2,
        /^acs-identity: entra list: --api-version 2025-06-30 does not have this command \(it needs 2025-03-02-preview\)$/
      )
    }))
})
