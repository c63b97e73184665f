import { assert, describe, it, layer } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Redacted, TestClock } from "effect"
import { ApiVersion, CommunicationIdentityClient } from "../src/index.js"
import { Conformance, InMemoryIdentity, Operations } from "../src/testing/index.js"

const { InMemoryIdentityState } = InMemoryIdentity

const requestCount = Effect.flatMap(InMemoryIdentityState, (state) => Effect.map(state.snapshot, (s) => s.requestCount))

const decodePayload = (token: Redacted.Redacted<string>): Record<string, unknown> =>
  JSON.parse(Buffer.from(Redacted.value(token).split(".")[1]!, "base64url").toString("utf8"))

describe("InMemoryIdentity", () => {
  layer(InMemoryIdentity.layer())("conformance with the defaults, as the README shows it", (it) => {
    Conformance.register(it)
  })

  for (const apiVersion of ApiVersion.ApiVersion.literals) {
    layer(InMemoryIdentity.layer({ apiVersion }))(`conformance (${apiVersion})`, (it) => {
      Conformance.register(it, { requestCount, apiVersion })
    })
  }

  it("a check registers only for api-versions that have every operation it uses", () => {
    const names = (apiVersion: ApiVersion.ApiVersion) => Conformance.checks({ apiVersion }).map((c) => c.name)
    const entra = (name: string) => name.startsWith("Entra ID") || name.startsWith("getTokenForEntraUser")
    const teamsExtension = (name: string) => /Teams Phone extension|TeamsExtensionUser/.test(name)
    assert.isTrue(names("2025-03-02-preview").some(entra))
    assert.isFalse(names("2025-06-30").some(entra))
    assert.isTrue(names("2026-07-22").some(teamsExtension))
    assert.isFalse(names("2023-10-01").some(teamsExtension))
    assert.isFalse(names("2025-06-30").some((name) => name.includes("getUser")))
    for (const c of Conformance.checks({ apiVersion: "2023-10-01" })) {
      assert.isTrue(c.operations.every((operation) => Operations.isAvailable(operation, "2023-10-01")), c.name)
    }
  })

  it("every operation of the table is called by some check, in every api-version that has it", () => {
    for (const apiVersion of ApiVersion.ApiVersion.literals) {
      const covered = new Set(Conformance.checks({ apiVersion }).flatMap((c) => c.operations))
      const missing = Operations.operationIds.filter((id) => Operations.isAvailable(id, apiVersion) && !covered.has(id))
      assert.deepStrictEqual(missing, [], `no conformance check calls these in ${apiVersion}`)
    }
  })

  it.effect("a check run against a client of another api-version fails instead of passing", () =>
    Effect.gen(function*() {
      const [check] = Conformance.checks({ apiVersion: "2025-03-02-preview" })
      const failure = yield* Effect.flip(check!.run)
      assert.match(failure.message, /registered for api-version 2025-03-02-preview, but the client sends 2025-06-30/)
    }).pipe(Effect.provide(InMemoryIdentity.layer())))

  it.effect("results share nothing with the store: changing one changes no later answer", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const objectId = "b27b64b9-39d2-44a3-869d-67700b74e805"
      const tenantId = "c70d068c-2f32-484d-9455-73070cd5aadd"
      const clientIds = ["2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"]
      const upserted = yield* client.upsertEntraAssignment({ objectId, tenantId, principalType: "user", clientIds })
      clientIds.push("3c3e1e83-8fd7-4615-ad2b-b8c1229845ac")
      const read = yield* client.getEntraAssignment(objectId)
      for (const got of [upserted.assignment, read]) {
        ;(got.clientIds as Array<string>).push("4c3e1e83-8fd7-4615-ad2b-b8c1229845ac")
      }
      const page = yield* client.listEntraAssignmentsPage()
      ;(page.assignments[0]!.clientIds as Array<string>).length = 0
      assert.deepStrictEqual((yield* client.getEntraAssignment(objectId)).clientIds, [
        "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
      ])
      const user = yield* client.createUser()
      yield* client.getToken(user, ["chat"])
      const details = yield* client.getUser(user)
      const issuedAt = details.lastTokenIssuedAt!.getTime()
      details.lastTokenIssuedAt!.setTime(0)
      assert.strictEqual((yield* client.getUser(user)).lastTokenIssuedAt!.getTime(), issuedAt)
    }).pipe(Effect.provide(InMemoryIdentity.layer({ apiVersion: "2025-03-02-preview" }))))

  it("a pageSize that is not a whole number from 1 is refused when the layer is built", async () => {
    for (const pageSize of [0, -1, 1.5, Number.NaN]) {
      const exit = await Effect.runPromiseExit(
        Effect.provide(CommunicationIdentityClient, InMemoryIdentity.layer({ pageSize }))
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.pretty(exit.cause).includes("pageSize must be"), String(pageSize))
    }
  })

  it.effect("TestClock drives token expiry", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const state = yield* InMemoryIdentityState
      const { token, expiresOn } = yield* client.createUserAndToken(["chat"], { expiresInMinutes: 60 })
      assert.strictEqual(expiresOn.getTime(), 60 * 60_000)
      const payload = decodePayload(token)
      assert.strictEqual(payload.exp, 3600)
      assert.strictEqual(payload.iat, 0)
      assert.strictEqual(payload.acsScope, "chat")
      assert.strictEqual(payload.resourceId, state.resourceId)
      assert.isTrue(yield* state.isTokenValid(token))
      yield* TestClock.adjust("59 minutes")
      assert.isTrue(yield* state.isTokenValid(token))
      yield* TestClock.adjust("1 minute")
      assert.isFalse(yield* state.isTokenValid(token))
    }).pipe(Effect.provide(InMemoryIdentity.layer())))

  it.effect("revoke invalidates the tokens issued before it, not the ones after", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const state = yield* InMemoryIdentityState
      const { token, user } = yield* client.createUserAndToken(["voip"])
      yield* client.revokeTokens(user)
      const fresh = yield* client.getToken(user, ["voip"])
      assert.isFalse(yield* state.isTokenValid(token))
      assert.isTrue(yield* state.isTokenValid(fresh.token))
      const snapshot = yield* state.snapshot
      assert.deepStrictEqual(snapshot.revocations.map((r) => r.userId), [user.communicationUserId])
      assert.strictEqual(snapshot.tokens.length, 2)
      assert.deepStrictEqual(snapshot.requests.revokeAccessTokens, 1)
    }).pipe(Effect.provide(InMemoryIdentity.layer())))

  it.effect("delete invalidates tokens and later calls fail with AuthenticationError 401", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const state = yield* InMemoryIdentityState
      const { token, user } = yield* client.createUserAndToken(["chat"])
      yield* client.deleteUser(user)
      assert.isFalse(yield* state.isTokenValid(token))
      const error = yield* Effect.flip(client.getToken(user, ["chat"]))
      assert.strictEqual(error._tag, "AuthenticationError")
      assert.strictEqual(error._tag === "AuthenticationError" && error.status, 401)
      const snapshot = yield* state.snapshot
      assert.strictEqual(snapshot.deletions.length, 1)
      assert.isDefined(snapshot.users[0]!.deletedAt)
    }).pipe(Effect.provide(InMemoryIdentity.layer())))

  it.effect("the same seed gives the same ids and tokens", () =>
    Effect.gen(function*() {
      const once = Effect.gen(function*() {
        const client = yield* CommunicationIdentityClient
        const result = yield* client.createUserAndToken(["chat"])
        return [result.user.communicationUserId, Redacted.value(result.token)] as const
      })
      const a = yield* Effect.provide(once, InMemoryIdentity.layer({ seed: 42 }))
      const b = yield* Effect.provide(once, InMemoryIdentity.layer({ seed: 42 }))
      const c = yield* Effect.provide(once, InMemoryIdentity.layer({ seed: 43 }))
      assert.deepStrictEqual(a, b)
      assert.notStrictEqual(a[0], c[0])
      assert.match(a[0], /^8:acs:[0-9a-f-]{36}_[0-9a-f-]{36}$/)
    }))

  it.effect("Teams tokens registered at runtime are exchanged with their own expiry, until they expire", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const state = yield* InMemoryIdentityState
      const teams = {
        teamsUserAadToken: Redacted.make("entra-token-of-bob"),
        clientId: "11111111-1111-1111-1111-111111111111",
        userObjectId: "22222222-2222-2222-2222-222222222222"
      }
      const refused = yield* Effect.either(client.getTokenForTeamsUser(teams))
      assert.isTrue(Either.isLeft(refused) && refused.left._tag === "AuthenticationError")
      yield* state.registerTeamsToken({
        token: "entra-token-of-bob",
        appId: teams.clientId,
        userId: teams.userObjectId,
        expiresOn: new Date(30 * 60_000)
      })
      const token = yield* client.getTokenForTeamsUser(teams)
      assert.strictEqual(token.expiresOn.getTime(), 30 * 60_000)
      assert.strictEqual(decodePayload(token.token).skypeid, `orgid:${teams.userObjectId}`)
      yield* TestClock.adjust("30 minutes")
      const expired = yield* Effect.flip(client.getTokenForTeamsUser(teams))
      assert.strictEqual(expired._tag, "AuthenticationError")
    }).pipe(Effect.provide(InMemoryIdentity.layer())))
})
