/**
 * Contract tests: the SDK against the real Prism mock generated from spec/, over real HTTP with real
 * signing. Every operation succeeds with no spec violation, and every documented error status
 * decodes into its typed error.
 */
import { MockServer } from "@acs-identity/mock-server"
import { assert, layer } from "@effect/vitest"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import * as EntraAssignments from "../src/EntraAssignments.js"
import {
  CommunicationIdentityClient,
  EntraCredential,
  type UserOperationError,
  withRequestPolicy
} from "../src/index.js"
import { PrismProbe, withPrefer } from "./utils/PrismProbe.js"

/** The `exp` claim of a JWT, in seconds. */
const expClaim = (jwt: string): unknown =>
  (JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown }).exp

const clientFor = (apiVersion: "2025-06-30" | "2026-07-22" | "2025-03-02-preview") =>
  Layer.unwrapEffect(
    Effect.map(MockServer, (mock) =>
      CommunicationIdentityClient.fromConnectionString(mock.connectionString, {
        apiVersion,
        policy: { maxRetries: 0 }
      }))
  )

const TestLayer = clientFor("2025-06-30").pipe(
  Layer.provideMerge(PrismProbe.layer),
  Layer.provideMerge(MockServer.layerPrism())
)

const user = { communicationUserId: "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081" }
const teams = {
  teamsUserAadToken: Redacted.make("eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiJ4In0.c2ln"),
  clientId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
  userObjectId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
}

/** Any JWT-shaped token: Prism checks only that a bearer is present. */
const entraToken = "eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4In0.c2ln"
const teamsKey = { tenantId: "c70d068c-2f32-484d-9455-73070cd5aadd", objectId: "b27b64b9-39d2-44a3-869d-67700b74e805" }

layer(TestLayer, { excludeTestServices: true, timeout: "60 seconds" })("SDK against the Prism mock", (it) => {
  it.effect("every GA operation succeeds with no sl-violations", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const probe = yield* PrismProbe
      const before = probe.statuses.length
      const created = yield* client.createUser()
      assert.match(created.communicationUserId, /^8:acs:[0-9a-f-]+_[0-9a-f-]+$/)
      const both = yield* client.createUserAndToken(["chat", "voip"], { expiresInMinutes: 60 })
      assert.strictEqual(Redacted.value(both.token).split(".").length, 3)
      assert.strictEqual(expClaim(Redacted.value(both.token)), Math.floor(both.expiresOn.getTime() / 1000))
      const token = yield* client.getToken(user, ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"], {
        expiresInMinutes: 1440
      })
      assert.strictEqual(Redacted.value(token.token).split(".").length, 3)
      yield* client.revokeTokens(user)
      yield* client.deleteUser(user)
      const teamsToken = yield* client.getTokenForTeamsUser(teams)
      assert.instanceOf(teamsToken.expiresOn, Date)
      assert.deepStrictEqual(probe.statuses.slice(before), [201, 201, 200, 204, 204, 200])
      assert.deepStrictEqual(probe.violations, [])
    }))

  it.effect("the preview operations succeed on 2025-03-02-preview", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const probe = yield* PrismProbe
      const created = yield* client.createUser({ customId: "sally@contoso.com" })
      const details = yield* client.getUser(created)
      assert.strictEqual(details.customId, "sally@contoso.com")
      assert.instanceOf(details.lastTokenIssuedAt, Date)
      assert.deepStrictEqual(probe.violations, [])
    }).pipe(Effect.provide(clientFor("2025-03-02-preview"))))

  it.effect("an Entra bearer token satisfies the spec's security too", () =>
    Effect.gen(function*() {
      const mock = yield* MockServer
      const probe = yield* PrismProbe
      const before = probe.violations.length
      const client = yield* Effect.provide(
        CommunicationIdentityClient,
        CommunicationIdentityClient.layer({ endpoint: mock.url }).pipe(
          Layer.provide(EntraCredential.layer(Effect.succeed(Redacted.make("eyJ0eXAiOiJKV1QifQ.e30.c2ln"))))
        )
      )
      const created = yield* client.createUser()
      yield* client.deleteUser(created)
      assert.deepStrictEqual(probe.violations.slice(before), [])
    }))

  it.effect("every Teams Phone extension operation succeeds with no sl-violations (2025-06-30 and 2026-07-22)", () =>
    Effect.gen(function*() {
      for (const apiVersion of ["2025-06-30", "2026-07-22"] as const) {
        const probe = yield* PrismProbe
        const before = probe.statuses.length
        const client = yield* Effect.provide(CommunicationIdentityClient, clientFor(apiVersion))
        const exchanged = yield* client.getTokenForTeamsExtensionUser(Redacted.make(entraToken))
        assert.match(exchanged.user.communicationUserId, /^8:acs:[0-9a-f-]+_[0-9a-f-]+_[0-9a-f-]+$/)
        assert.strictEqual(Redacted.value(exchanged.token).split(".").length, 3)
        const got = yield* client.getTeamsExtensionAssignment(teamsKey)
        assert.strictEqual(got.principalType, "resourceAccount")
        const replaced = yield* client.upsertTeamsExtensionAssignment({ ...teamsKey, principalType: "resourceAccount" })
        assert.isFalse(replaced.created)
        const created = yield* client.upsertTeamsExtensionAssignment({
          ...teamsKey,
          principalType: "user",
          clientIds: [teams.clientId]
        }).pipe(withPrefer("code=201"))
        assert.isTrue(created.created)
        yield* client.deleteTeamsExtensionAssignment(teamsKey)
        assert.deepStrictEqual(probe.statuses.slice(before), [200, 200, 200, 201, 204], apiVersion)
        assert.deepStrictEqual(probe.violations, [], apiVersion)
      }
    }))

  it.effect("every Entra ID operation succeeds with no sl-violations (2025-03-02-preview)", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const probe = yield* PrismProbe
      const before = probe.statuses.length
      const exchanged = yield* client.getTokenForEntraUser(entraToken)
      assert.instanceOf(exchanged.expiresOn, Date)
      const listed = yield* Stream.runCollect(EntraAssignments.stream(client))
      assert.deepStrictEqual(Chunk.toReadonlyArray(listed).map((a) => a.principalType), ["user", "tenant"])
      const got = yield* client.getEntraAssignment(teamsKey.objectId)
      assert.deepStrictEqual(got.clientIds, [teams.clientId])
      const upserted = yield* client.upsertEntraAssignment({
        objectId: teamsKey.objectId,
        tenantId: teamsKey.tenantId,
        principalType: "user",
        clientIds: [teams.clientId]
      }).pipe(withPrefer("code=201"))
      assert.isTrue(upserted.created)
      const written = yield* client.updateEntraAssignments({
        [teamsKey.objectId]: { tenantId: teamsKey.tenantId, principalType: "user", clientIds: [teams.clientId] },
        [teams.userObjectId]: null
      })
      assert.strictEqual(written.length, 2)
      const onlyDeleted = yield* client.updateEntraAssignments({ [teams.userObjectId]: null }).pipe(
        withPrefer("code=204")
      )
      assert.deepStrictEqual(onlyDeleted, [])
      yield* client.deleteEntraAssignment(teamsKey.objectId)
      assert.deepStrictEqual(probe.statuses.slice(before), [200, 200, 200, 201, 200, 204, 204])
      assert.deepStrictEqual(probe.violations, [])
    }).pipe(Effect.provide(clientFor("2025-03-02-preview"))))

  it.effect("the new operations' documented errors decode into their typed errors", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const missing = yield* Effect.flip(client.getTeamsExtensionAssignment(teamsKey).pipe(withPrefer("code=404")))
      assert.strictEqual(missing._tag, "NotFoundError")
      const refused = yield* Effect.flip(client.getTokenForTeamsExtensionUser(entraToken).pipe(withPrefer("code=403")))
      assert.strictEqual(refused._tag, "AuthorizationError")
      const invalid = yield* Effect.flip(client.getTokenForTeamsExtensionUser(entraToken).pipe(withPrefer("code=401")))
      assert.strictEqual(invalid._tag, "AuthenticationError")
      if (invalid._tag === "AuthenticationError") assert.strictEqual(invalid.code, "InvalidAccessToken")
    }))

  it.effect("every documented error status decodes into its typed error", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const expected = [
        [400, "BadRequestError"],
        [401, "AuthenticationError"],
        [403, "AuthorizationError"],
        [404, "NotFoundError"],
        [429, "ThrottledError"],
        [500, "ServiceError"],
        [503, "ServiceError"]
      ] as const
      const operations: ReadonlyArray<readonly [string, Effect.Effect<unknown, UserOperationError>]> = [
        ["getToken", client.getToken(user, ["chat"])],
        ["revokeTokens", client.revokeTokens(user)],
        ["deleteUser", client.deleteUser(user)]
      ]
      for (const [status, tag] of expected) {
        for (const [name, operation] of operations) {
          const error = yield* Effect.flip(
            operation.pipe(withPrefer(`code=${status}`), withRequestPolicy({ maxRetries: 0 }))
          )
          assert.strictEqual(error._tag, tag, `${name} ${status}`)
          if ("status" in error) assert.strictEqual(error.status, status)
          if ("code" in error) assert.notStrictEqual(error.code, "Unknown", `${name} ${status} has an envelope`)
          if (status === 429 || status === 503) {
            assert.isDefined("retryAfter" in error ? error.retryAfter : undefined, `${name} ${status} Retry-After`)
          }
        }
      }
      for (const status of [400, 401, 403, 429, 500, 503]) {
        const create = yield* Effect.flip(client.createUser().pipe(withPrefer(`code=${status}`)))
        const exchange = yield* Effect.flip(client.getTokenForTeamsUser(teams).pipe(withPrefer(`code=${status}`)))
        assert.notStrictEqual(create._tag, "UnexpectedResponseError")
        assert.notStrictEqual(exchange._tag, "UnexpectedResponseError")
        assert.strictEqual("status" in create ? create.status : 0, status)
        assert.strictEqual("status" in exchange ? exchange.status : 0, status)
      }
    }))

  it.effect("the recorded service errors arrive with their real codes and targets", () =>
    Effect.gen(function*() {
      const client = yield* CommunicationIdentityClient
      const expiry = yield* Effect.flip(
        client.getToken(user, ["chat"]).pipe(withPrefer("code=400, example=expiresInMinutesOutOfRange"))
      )
      assert.strictEqual(expiry._tag, "BadRequestError")
      if (expiry._tag === "BadRequestError") {
        assert.strictEqual(expiry.code, "ValidationError")
        assert.strictEqual(expiry.target, "ExpiresInMinutes")
      }
      const aad = yield* Effect.flip(
        client.getTokenForTeamsUser(teams).pipe(withPrefer("code=401, example=invalidAccessToken"))
      )
      assert.strictEqual(aad._tag, "AuthenticationError")
      if (aad._tag === "AuthenticationError") assert.strictEqual(aad.code, "InvalidAccessToken")
    }))
})
