import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import type { ApiVersion } from "../src/index.js"
import { CommunicationIdentityClient, HmacCredential, packageVersion, withRequestPolicy } from "../src/index.js"
import { testEndpoint, testKey, withScriptedClient } from "./utils/ScriptedClient.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = testKey
const endpoint = testEndpoint
const userId = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081"
const encodedId = "8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081"
const user = { communicationUserId: userId }
const token = { token: "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln", expiresOn: "2030-07-10T21:39:39.3244584+00:00" }
const appId = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
const oid = "32c0a5db-05ec-78ea-51ab-3f06b329397e"

const withClient = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], transport: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  apiVersion?: ApiVersion.ApiVersion
) => withScriptedClient(f, { apiVersion, policy: { maxRetries: 0 } })

const url = (path: string, version = "2025-06-30") => `${endpoint}${path}?api-version=${version}`

describe("wire shapes", () => {
  it.effect("createUser: POST /identities with no body", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 201, body: { identity: { id: userId } } })
        const created = yield* client.createUser()
        assert.deepStrictEqual(created, { communicationUserId: userId })
        const [sent] = t.sent
        assert.strictEqual(sent!.method, "POST")
        assert.strictEqual(sent!.url, url("/identities"))
        assert.isFalse(sent!.hasBody)
        assert.isUndefined(sent!.headers["content-type"])
        assert.strictEqual(sent!.headers["x-ms-content-sha256"], "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        assert.strictEqual(sent!.headers["x-ms-date"], "Mon, 01 Jan 2024 00:00:00 GMT")
        assert.match(
          sent!.headers["authorization"]!,
          /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=[A-Za-z0-9+/]{43}=$/
        )
        assert.strictEqual(sent!.headers["accept"], "application/json")
        assert.strictEqual(sent!.headers["user-agent"], `acs-identity-sdk/${packageVersion}`)
        assert.match(sent!.headers["x-ms-client-request-id"]!, /^[0-9a-f-]{36}$/)
        assert.match(sent!.headers["repeatability-request-id"]!, /^[0-9a-f-]{36}$/)
        assert.strictEqual(sent!.headers["repeatability-first-sent"], "Mon, 01 Jan 2024 00:00:00 GMT")
        assert.isUndefined(sent!.headers["traceparent"])
        assert.isUndefined(sent!.headers["b3"])
      })
    ))

  it.effect("createUserAndToken: scopes and expiry in the body, token and user out", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 201, body: { identity: { id: userId }, accessToken: token } })
        const result = yield* client.createUserAndToken(["chat", "voip"], { expiresInMinutes: 60 })
        assert.strictEqual(t.sent[0]!.body, "{\"createTokenWithScopes\":[\"chat\",\"voip\"],\"expiresInMinutes\":60}")
        assert.strictEqual(t.sent[0]!.headers["content-type"], "application/json")
        assert.deepStrictEqual(result.user, user)
        assert.strictEqual(Redacted.value(result.token), token.token)
        assert.strictEqual(result.expiresOn.toISOString(), "2030-07-10T21:39:39.324Z")
      })
    ))

  it.effect("createUserAndToken without expiry leaves expiresInMinutes out", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 201, body: { identity: { id: userId }, accessToken: token } })
        yield* client.createUserAndToken(["chat"])
        assert.strictEqual(t.sent[0]!.body, "{\"createTokenWithScopes\":[\"chat\"]}")
      })
    ))

  it.effect("getToken: POST /identities/{encoded id}/:issueAccessToken", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: token })
        const issued = yield* client.getToken(user, ["chat.join", "voip.join"], { expiresInMinutes: 1440 })
        assert.strictEqual(t.sent[0]!.url, url(`/identities/${encodedId}/:issueAccessToken`))
        assert.strictEqual(t.sent[0]!.body, "{\"scopes\":[\"chat.join\",\"voip.join\"],\"expiresInMinutes\":1440}")
        assert.isUndefined(t.sent[0]!.headers["repeatability-request-id"])
        assert.strictEqual(Redacted.value(issued.token), token.token)
      })
    ))

  it.effect("ids with '/', spaces and '%' are percent-encoded as one path segment", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 204 })
        yield* client.deleteUser({ communicationUserId: "a/b c%d" })
        assert.strictEqual(t.sent[0]!.url, url("/identities/a%2Fb%20c%25d"))
      })
    ))

  it.effect("revokeTokens and deleteUser send no body", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 204 }, { status: 204 })
        yield* client.revokeTokens(user)
        yield* client.deleteUser(user)
        assert.deepStrictEqual(t.sent.map((s) => [s.method, s.url, s.hasBody]), [
          ["POST", url(`/identities/${encodedId}/:revokeAccessTokens`), false],
          ["DELETE", url(`/identities/${encodedId}`), false]
        ])
      })
    ))

  it.effect("getTokenForTeamsUser: {token, appId, userId}", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: token })
        yield* client.getTokenForTeamsUser({
          teamsUserAadToken: Redacted.make("aad-token"),
          clientId: appId,
          userObjectId: oid
        })
        assert.strictEqual(t.sent[0]!.url, url("/teamsUser/:exchangeAccessToken"))
        assert.strictEqual(t.sent[0]!.body, `{"token":"aad-token","appId":"${appId}","userId":"${oid}"}`)
      })
    ))

  it.effect("customId and getUser on the preview version", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply(
          { status: 201, body: { identity: { id: userId, customId: "sally@contoso.com" } } },
          {
            status: 200,
            body: { id: userId, customId: "sally@contoso.com", lastTokenIssuedAt: "2025-01-01T00:00:00.0000000+00:00" }
          }
        )
        yield* client.createUser({ customId: "sally@contoso.com" })
        assert.strictEqual(t.sent[0]!.body, "{\"customId\":\"sally@contoso.com\"}")
        const details = yield* client.getUser(user)
        assert.strictEqual(t.sent[1]!.method, "GET")
        assert.strictEqual(t.sent[1]!.url, url(`/identities/${encodedId}`, "2025-03-02-preview"))
        assert.strictEqual(details.customId, "sally@contoso.com")
        assert.strictEqual(details.lastTokenIssuedAt?.toISOString(), "2025-01-01T00:00:00.000Z")
      }), "2025-03-02-preview"))

  it.effect("every supported api-version is sent as given", () =>
    Effect.forEach(
      ["2023-10-01", "2025-06-30", "2026-09-23", "2025-03-02-preview"] as const,
      (version) =>
        withClient((client, t) =>
          Effect.gen(function*() {
            t.reply({ status: 204 })
            yield* client.revokeTokens(user)
            assert.strictEqual(t.sent[0]!.url, url(`/identities/${encodedId}/:revokeAccessTokens`, version))
            assert.strictEqual(client.apiVersion, version)
          }), version)
    ))
})

describe("arguments are rejected before anything is sent", () => {
  it.effect("bad scopes, expiry, users and Teams arguments", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const failures = [
          yield* Effect.flip(client.getToken(user, [])),
          yield* Effect.flip(client.getToken(user, ["bogus" as "chat"])),
          yield* Effect.flip(client.getToken(user, ["chat"], { expiresInMinutes: 59 })),
          yield* Effect.flip(client.getToken(user, ["chat"], { expiresInMinutes: 1441 })),
          yield* Effect.flip(client.getToken(user, ["chat"], { expiresInMinutes: 60.5 })),
          yield* Effect.flip(client.createUserAndToken([], {})),
          yield* Effect.flip(client.createUserAndToken(["chat"], { expiresInMinutes: 0 })),
          yield* Effect.flip(client.getToken({ communicationUserId: "" }, ["chat"])),
          yield* Effect.flip(client.revokeTokens({} as typeof user)),
          yield* Effect.flip(client.deleteUser(null as unknown as typeof user)),
          yield* Effect.flip(client.deleteUser({ communicationUserId: ".." })),
          yield* Effect.flip(
            client.getTokenForTeamsUser({ teamsUserAadToken: "", clientId: appId, userObjectId: oid })
          ),
          yield* Effect.flip(
            client.getTokenForTeamsUser({ teamsUserAadToken: "t", clientId: "not-a-guid", userObjectId: oid })
          ),
          yield* Effect.flip(
            client.getTokenForTeamsUser({ teamsUserAadToken: "t", clientId: appId, userObjectId: "x" })
          )
        ]
        assert.deepStrictEqual(failures.map((e) => e._tag), failures.map(() => "InvalidArgumentError"))
        assert.deepStrictEqual(failures.map((e) => e._tag === "InvalidArgumentError" ? e.argument : ""), [
          "scopes",
          "scopes",
          "expiresInMinutes",
          "expiresInMinutes",
          "expiresInMinutes",
          "scopes",
          "expiresInMinutes",
          "user",
          "user",
          "user",
          "user",
          "teamsUserAadToken",
          "clientId",
          "userObjectId"
        ])
        assert.strictEqual(
          failures[2]!.message,
          "invalid expiresInMinutes: Expected a number between 60 and 1440, actual 59"
        )
        assert.include(failures[3]!.message, "1440")
        assert.strictEqual(t.sent.length, 0)
      })
    ))

  it.effect("customId and getUser need the preview api-version", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const custom = yield* Effect.flip(client.createUser({ customId: "sally" }))
        const get = yield* Effect.flip(client.getUser(user))
        assert.strictEqual(custom._tag, "InvalidArgumentError")
        assert.include(custom.message, "2025-03-02-preview")
        assert.strictEqual(get._tag, "InvalidArgumentError")
        const tooLong = yield* Effect.flip(client.createUser({ customId: "x".repeat(257) }))
        assert.strictEqual(tooLong._tag, "InvalidArgumentError")
        assert.strictEqual(t.sent.length, 0)
      })
    ))

  it.effect("http:// is refused for non-loopback hosts unless allowed", () =>
    Effect.gen(function*() {
      const signer = HmacCredential.layer(Redacted.make(key))
      const build = (endpoint: string, allowInsecureConnection?: boolean) =>
        Layer.build(
          CommunicationIdentityClient.layer(
            allowInsecureConnection === undefined ? { endpoint } : { endpoint, allowInsecureConnection }
          ).pipe(Layer.provide(signer), Layer.provide(ScriptedTransport.layer))
        ).pipe(Effect.scoped, Effect.either)
      assert.strictEqual((yield* build("http://contoso.example.com"))._tag, "Left")
      assert.strictEqual((yield* build("http://contoso.example.com", true))._tag, "Right")
      assert.strictEqual((yield* build("http://127.0.0.1:4010"))._tag, "Right")
      assert.strictEqual((yield* build("http://localhost:4010"))._tag, "Right")
      assert.strictEqual((yield* build("http://[::1]:4010"))._tag, "Right")
      assert.strictEqual((yield* build("https://contoso.communication.azure.com/some/path"))._tag, "Left")
    }))
})

const envelope = (code: string, message: string, target?: string) => ({
  error: { code, message, ...(target ? { target } : {}) }
})

describe("responses map to typed errors", () => {
  it.effect("each status to its error, with the envelope's fields and the request id", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const cases = [
          [400, "BadRequestError"],
          [401, "AuthenticationError"],
          [403, "AuthorizationError"],
          [404, "NotFoundError"],
          [409, "ServiceError"],
          [429, "ThrottledError"],
          [500, "ServiceError"],
          [501, "ServiceError"],
          [503, "ServiceError"]
        ] as const
        for (const [status, tag] of cases) {
          t.reply({
            status,
            body: {
              error: {
                code: "ValidationError",
                message: "ExpiresInMinutes value 1441 is invalid.",
                target: "ExpiresInMinutes",
                details: [{ code: "Inner", message: "detail" }],
                innererror: { code: "Deeper", message: "inner" }
              }
            }
          })
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          assert.strictEqual(error._tag, tag, String(status))
          if (error._tag === "InvalidArgumentError" || error._tag === "TransportError") continue
          if (error._tag === "CredentialError" || error._tag === "UnexpectedResponseError") continue
          assert.strictEqual(error.status, status)
          assert.strictEqual(error.code, "ValidationError")
          assert.strictEqual(error.target, "ExpiresInMinutes")
          assert.strictEqual(error.details?.[0]?.code, "Inner")
          assert.strictEqual(error.innerError?.code, "Deeper")
          assert.strictEqual(error.requestId, t.sent.at(-1)!.headers["x-ms-client-request-id"])
        }
      })
    ))

  it.effect("a 404 where the service documents none (create, Teams exchange) is a ServiceError", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const notFound = { status: 404, body: envelope("NotFound", "no such route", "path") }
        t.reply(notFound, notFound)
        const create = yield* Effect.flip(client.createUser())
        const teams = yield* Effect.flip(
          client.getTokenForTeamsUser({ teamsUserAadToken: "t", clientId: appId, userObjectId: oid })
        )
        for (const error of [create, teams]) {
          assert.strictEqual(error._tag, "ServiceError")
          assert.strictEqual(
            error._tag === "ServiceError" ? `${error.status} ${error.code} ${error.target}` : "",
            "404 NotFound path"
          )
        }
      })
    ))

  it.effect("429 carries the retry delay from each header form", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const delays: Array<number | undefined> = []
        for (
          const headers of [
            { "retry-after": "7" },
            { "retry-after-ms": "150" },
            { "x-ms-retry-after-ms": "250" },
            { "retry-after": "Mon, 01 Jan 2024 00:00:30 GMT" },
            {}
          ]
        ) {
          t.reply({ status: 429, body: envelope("TooManyRequests", "slow down"), headers })
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          delays.push(
            error._tag === "ThrottledError" && error.retryAfter
              ? error.retryAfter.value._tag === "Millis" ? error.retryAfter.value.millis : -1
              : undefined
          )
        }
        assert.deepStrictEqual(delays, [7000, 150, 250, 30000, undefined])
      })
    ))

  it.effect("a gateway page or empty error body keeps the status and says what came back", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 502, body: "<html>Bad Gateway</html>", headers: { "content-type": "text/html" } }, {
          status: 500
        })
        const gateway = yield* Effect.flip(client.deleteUser(user))
        assert.strictEqual(gateway._tag, "ServiceError")
        assert.include(gateway.message, "Bad Gateway")
        const empty = yield* Effect.flip(client.deleteUser(user))
        assert.include(empty.message, "empty body")
      })
    ))

  it.effect("a 2xx body that does not decode is an UnexpectedResponseError, never a defect", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const bodies = [
          undefined,
          "{\"token\":",
          "not json",
          { token: 12345, expiresOn: "2030-01-01T00:00:00Z" },
          { token: "t", expiresOn: "yesterday" },
          { identity: {} }
        ]
        for (const body of bodies) {
          t.reply(body === undefined ? { status: 200 } : { status: 200, body })
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          assert.strictEqual(error._tag, "UnexpectedResponseError", JSON.stringify(body))
        }
        t.reply({ status: 200, body: token, headers: { "content-type": "text/plain" } })
        const wrongType = yield* Effect.flip(client.getToken(user, ["chat"]))
        assert.strictEqual(wrongType._tag, "UnexpectedResponseError")
        assert.include(wrongType.message, "text/plain")
        t.reply({ status: 200, body: token, headers: { "content-type": "application/json; charset=utf-8" } })
        yield* client.getToken(user, ["chat"])
        t.reply({ status: 201, body: { identity: { id: userId } } }, { status: 201 })
        const noToken = yield* Effect.flip(client.createUserAndToken(["chat"]))
        assert.strictEqual(noToken._tag, "UnexpectedResponseError")
        const empty = yield* Effect.flip(client.createUser())
        assert.strictEqual(empty._tag, "UnexpectedResponseError")
        assert.include(empty.message, "empty")
      })
    ))

  it.effect("a decoding failure never echoes a token from the body", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: { token: "SECRET-TOKEN-VALUE", expiresOn: 42 } })
        const error = yield* Effect.flip(client.getToken(user, ["chat"]))
        assert.strictEqual(error._tag, "UnexpectedResponseError")
        assert.notInclude(JSON.stringify(error), "SECRET-TOKEN-VALUE")
        assert.notInclude(String(error), "SECRET-TOKEN-VALUE")
        assert.include(error.message, "expiresOn")
      })
    ))

  it.effect("a transport failure is a TransportError", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ fail: "network" })
        const error = yield* Effect.flip(client.revokeTokens(user).pipe(withRequestPolicy({ maxRetries: 0 })))
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual(error._tag === "TransportError" ? error.reason : "", "Network")
      })
    ))
})

describe("hostile user ids", () => {
  it.effect("a lone surrogate in a user id is an InvalidArgumentError, not a crash, and nothing is sent", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        for (const id of ["8:acs:\uD800", "8:acs:x\uDFFFy", "\uDBFF"]) {
          const error = yield* Effect.flip(client.getToken({ communicationUserId: id }, ["chat"]))
          assert.strictEqual(error._tag, "InvalidArgumentError")
          assert.include(error.message, "lone surrogate")
        }
        assert.strictEqual(t.sent.length, 0)
      })
    ))
})

describe("User-Agent prefix", () => {
  it.effect("an application's id goes before the SDK's product token, on every request", () =>
    withScriptedClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 201, body: { identity: { id: userId } } }, { status: 204 })
        const created = yield* client.createUser()
        yield* client.deleteUser(created)
        for (const sent of t.sent) {
          assert.strictEqual(sent.headers["user-agent"], `contoso-tokens/2.1 (prod) acs-identity-sdk/${packageVersion}`)
        }
      }), { userAgentPrefix: "contoso-tokens/2.1 (prod)", policy: { maxRetries: 0 } }))

  it.effect("a prefix HTTP cannot carry (or that is empty or too long) fails building the client", () =>
    Effect.gen(function*() {
      for (const userAgentPrefix of ["", " lead", "trail ", "a\r\nx-evil: 1", "tab\there", "é", "x".repeat(257)]) {
        const error = yield* Effect.flip(
          Layer.build(
            CommunicationIdentityClient.fromConnectionString(
              Redacted.make(`endpoint=${endpoint}/;accesskey=${key}`),
              { userAgentPrefix }
            ).pipe(Layer.provide(ScriptedTransport.layer))
          )
        )
        assert.strictEqual(error._tag, "InvalidArgumentError")
        assert.strictEqual(error._tag === "InvalidArgumentError" ? error.argument : "", "userAgentPrefix")
      }
    }).pipe(Effect.scoped))
})

describe("older GA api-versions", () => {
  it.effect("what a version lacks is refused before sending: expiresInMinutes before 2022-10-01, join scopes before 2023-10-01", () =>
    Effect.gen(function*() {
      const cases = [
        ["2022-06-01", ["chat"], { expiresInMinutes: 60 }, "expiresInMinutes"],
        ["2023-08-01", ["chat", "voip.join"], {}, "scopes"],
        ["2022-10-01", ["chat.join"], { expiresInMinutes: 60 }, "scopes"]
      ] as const
      for (const [apiVersion, scopes, options, argument] of cases) {
        yield* withClient((client, t) =>
          Effect.gen(function*() {
            const error = yield* Effect.flip(client.getToken(user, scopes, options))
            assert.strictEqual(error._tag, "InvalidArgumentError")
            assert.strictEqual(error._tag === "InvalidArgumentError" ? error.argument : "", argument)
            const created = yield* Effect.flip(client.createUserAndToken(scopes, options))
            assert.strictEqual(created._tag, "InvalidArgumentError")
            assert.strictEqual(t.sent.length, 0)
          }), apiVersion)
      }
      yield* withClient((client, t) =>
        Effect.gen(function*() {
          t.reply({ status: 200, body: token })
          yield* client.getToken(user, ["chat", "voip"])
          assert.strictEqual(t.sent[0]!.url, url(`/identities/${encodedId}/:issueAccessToken`, "2021-03-07"))
        }), "2021-03-07")
    }))
})
