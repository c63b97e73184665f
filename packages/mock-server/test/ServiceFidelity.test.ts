/**
 * Contract tests of both mocks against what the real service answers (issue 24). Each case runs
 * against the Prism mock and the stateful mock and expects the same answer; the comment on each
 * names the service behaviour it encodes, from the official SDKs' recorded real-service replies
 * and specs (summarised in the team's api-facts research notes).
 */
import { MockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient as OfficialClient } from "@azure/communication-identity"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { control, send } from "./utils/signing.js"

const teams = {
  token: "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiIzMmMwYTVkYiJ9.c2ln",
  appId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
  userId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
}

interface Envelope {
  readonly error: { readonly code: string; readonly message: string; readonly target?: string }
}

const post = (url: string, path: string, version: string, body: unknown) =>
  send(url, {
    method: "POST",
    path: `${path}?api-version=${version}`,
    body: JSON.stringify(body)
  }).pipe(Effect.map((r) => ({ status: r.status, json: r.text === "" ? undefined : JSON.parse(r.text) as unknown })))

const targetOf = (json: unknown) => (json as Envelope).error.target
const codeOf = (json: unknown) => (json as Envelope).error.code

/** The id of a user on this mock (Prism answers the spec's example id whatever happens). */
const newUser = (url: string, version: string) =>
  Effect.map(post(url, "/identities", version, {}), (r) => (r.json as { identity: { id: string } }).identity.id)

const olderGa = ["2021-03-07", "2022-06-01", "2022-10-01", "2023-08-01"] as const

for (const mode of ["prism", "stateful"] as const) {
  const mock = mode === "prism" ? MockServer.layerPrism() : MockServer.layerStateful()
  describe(`${mode} mock: fidelity to the service`, () => {
    layer(mock, { excludeTestServices: true, timeout: "60 seconds" })(mode, (it) => {
      /** The stateful mock exchanges only Teams tokens a test registered; Prism takes any. */
      const registerTeams = Effect.gen(function*() {
        const { url } = yield* MockServer
        if (mode === "stateful") yield* control(url, "POST", "/__control/teamsTokens", teams)
        return url
      })

      // The service lists 2021-03-07, 2022-06-01, 2022-10-01 and 2023-08-01 in api-supported-versions
      // (recorded); each has create, issue, revoke and delete, 2022-06-01 on the Teams exchange.
      it.effect("the older GA api-versions are served with the operations they had", () =>
        Effect.gen(function*() {
          const url = yield* registerTeams
          for (const version of olderGa) {
            const plain = yield* post(url, "/identities", version, {})
            assert.strictEqual(plain.status, 201, version)
            const id = (plain.json as { identity: { id: string } }).identity.id
            const both = yield* post(url, "/identities", version, { createTokenWithScopes: ["chat", "voip"] })
            assert.strictEqual(both.status, 201, version)
            assert.isDefined((both.json as { accessToken?: unknown }).accessToken, version)
            const path = `/identities/${encodeURIComponent(id)}`
            assert.strictEqual(
              (yield* post(url, `${path}/:issueAccessToken`, version, { scopes: ["voip"] })).status,
              200
            )
            assert.strictEqual((yield* post(url, `${path}/:revokeAccessTokens`, version, undefined)).status, 204)
            const exchange = yield* post(url, "/teamsUser/:exchangeAccessToken", version, teams)
            if (version === "2021-03-07") {
              // 2021-03-07 had no Teams user exchange (it came with 2021-03-31-preview1, and in GA with 2022-06-01).
              assert.strictEqual(exchange.status, 400)
              assert.strictEqual(codeOf(exchange.json), "UnsupportedApiVersion")
            } else {
              assert.strictEqual(exchange.status, 200, version)
            }
          }
        }))

      // expiresInMinutes arrived in 2022-10-01, the chat.join/chat.join.limited/voip.join scopes in
      // 2023-10-01: an older version refuses them as the service refuses what a version lacks.
      it.effect("fields an older version did not have are refused: expiresInMinutes before 2022-10-01, join scopes before 2023-10-01", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          const expiry = yield* post(url, "/identities", "2022-06-01", { expiresInMinutes: 60 })
          assert.strictEqual(expiry.status, 400)
          assert.strictEqual(targetOf(expiry.json), "ExpiresInMinutes")
          const id = yield* newUser(url, "2022-10-01")
          const join = yield* post(url, `/identities/${encodeURIComponent(id)}/:issueAccessToken`, "2022-10-01", {
            scopes: ["chat.join"]
          })
          assert.strictEqual(join.status, 400)
          assert.strictEqual(targetOf(join.json), "Scopes")
          const accepted = yield* post(url, `/identities/${encodeURIComponent(id)}/:issueAccessToken`, "2023-10-01", {
            scopes: ["chat.join"],
            expiresInMinutes: 60
          })
          assert.strictEqual(accepted.status, 200)
        }))

      // The official Python client sends "expiresInMinutes": null when no expiry is given, and the
      // service takes it as the default (recorded, 2022-10-01).
      it.effect("\"expiresInMinutes\": null means the default on create and issue", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          for (const version of ["2022-10-01", "2023-10-01", "2025-06-30"]) {
            const created = yield* post(url, "/identities", version, {
              createTokenWithScopes: ["chat"],
              expiresInMinutes: null
            })
            assert.strictEqual(created.status, 201, version)
            const id = (created.json as { identity: { id: string } }).identity.id
            const issued = yield* post(url, `/identities/${encodeURIComponent(id)}/:issueAccessToken`, version, {
              scopes: ["chat"],
              expiresInMinutes: null
            })
            assert.strictEqual(issued.status, 200, version)
          }
        }))

      // A create without scopes answers {"identity":{"id":"..."}} only, with no accessToken key (recorded).
      it.effect("a plain create carries no accessToken; a create with scopes does", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          for (const body of [{}, { createTokenWithScopes: [] }, undefined]) {
            const plain = yield* post(url, "/identities", "2025-06-30", body)
            assert.strictEqual(plain.status, 201)
            assert.deepStrictEqual(Object.keys(plain.json as object), ["identity"], JSON.stringify(body))
            assert.deepStrictEqual(Object.keys((plain.json as { identity: object }).identity), ["id"])
          }
          const withToken = yield* post(url, "/identities", "2025-06-30", { createTokenWithScopes: ["chat"] })
          assert.deepStrictEqual(Object.keys(withToken.json as object).sort(), ["accessToken", "identity"])
        }))

      // The service answers 400 ValidationError with target appId/userId for a value that is not a
      // GUID, and AppId/UserId when the value is missing or empty (recorded by the Python client).
      it.effect("Teams exchange ids: appId/userId when not GUIDs, AppId/UserId when missing or empty", () =>
        Effect.gen(function*() {
          const url = yield* registerTeams
          const cases: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
            [{ ...teams, appId: "not-a-guid" }, "appId"],
            [{ ...teams, userId: "32c0a5db" }, "userId"],
            [{ token: teams.token, userId: teams.userId }, "AppId"],
            [{ ...teams, appId: "" }, "AppId"],
            [{ ...teams, appId: null }, "AppId"],
            [{ token: teams.token, appId: teams.appId }, "UserId"],
            [{ ...teams, userId: "" }, "UserId"]
          ]
          for (const [body, target] of cases) {
            const answer = yield* post(url, "/teamsUser/:exchangeAccessToken", "2025-06-30", body)
            assert.strictEqual(answer.status, 400, JSON.stringify(body))
            assert.strictEqual(codeOf(answer.json), "ValidationError", JSON.stringify(body))
            assert.strictEqual(targetOf(answer.json), target, JSON.stringify(body))
          }
        }))

      // An expiry out of range: target ExpiresInMinutes and the recorded message (recorded).
      it.effect("an expiry out of range names ExpiresInMinutes in the service's words", () =>
        Effect.gen(function*() {
          const { url } = yield* MockServer
          const id = yield* newUser(url, "2025-06-30")
          for (
            const [path, body] of [
              ["/identities", { createTokenWithScopes: ["chat"], expiresInMinutes: 1441 }],
              [`/identities/${encodeURIComponent(id)}/:issueAccessToken`, { scopes: ["chat"], expiresInMinutes: 59 }]
            ] as const
          ) {
            const answer = yield* post(url, path, "2025-06-30", body)
            assert.strictEqual(answer.status, 400)
            assert.deepStrictEqual(answer.json, {
              error: {
                code: "ValidationError",
                message:
                  `ExpiresInMinutes value ${body.expiresInMinutes} is invalid. Value must be within the [60, 1440] interval.`,
                target: "ExpiresInMinutes"
              }
            })
          }
        }))

      // The official JS client (1.3.1, default api-version 2023-10-01) completes all six operations it
      // offers; at 2022-10-01 (the official Python client's default) it does too.
      it.effect("the official JS client completes every operation at its default version and at 2022-10-01", () =>
        Effect.gen(function*() {
          yield* registerTeams
          const server = yield* MockServer
          for (const apiVersion of [undefined, "2022-10-01"]) {
            const client = new OfficialClient(Redacted.value(server.connectionString), {
              allowInsecureConnection: true,
              ...(apiVersion === undefined ? {} : { apiVersion })
            })
            const user = yield* Effect.promise(() => client.createUser())
            assert.match(user.communicationUserId, /^8:acs:/)
            const both = yield* Effect.promise(() => client.createUserAndToken(["chat"], { tokenExpiresInMinutes: 60 }))
            assert.strictEqual(both.token.split(".").length, 3)
            const token = yield* Effect.promise(() => client.getToken(both.user, ["voip"]))
            assert.instanceOf(token.expiresOn, Date)
            yield* Effect.promise(() => client.revokeTokens(both.user))
            yield* Effect.promise(() => client.deleteUser(user))
            const exchanged = yield* Effect.promise(() =>
              client.getTokenForTeamsUser({
                teamsUserAadToken: teams.token,
                clientId: teams.appId,
                userObjectId: teams.userId
              })
            )
            assert.strictEqual(exchanged.token.split(".").length, 3)
          }
        }))
    })
  })
}
