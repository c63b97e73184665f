import { MockServer } from "@acs-identity/mock-server"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Call } from "./prism/Http.js"
import {
  AccessToken,
  AccessTokenResult,
  claimsOf,
  encodedId,
  ErrorResponse,
  exampleId,
  Identity,
  send
} from "./prism/Http.js"

const identityOperations = {
  create: { method: "POST", path: "/identities", body: { createTokenWithScopes: ["chat", "voip"] } },
  get: { method: "GET", path: `/identities/${encodedId}`, query: { "api-version": "2025-03-02-preview" } },
  delete: { method: "DELETE", path: `/identities/${encodedId}` },
  revoke: { method: "POST", path: `/identities/${encodedId}/:revokeAccessTokens` },
  issue: { method: "POST", path: `/identities/${encodedId}/:issueAccessToken`, body: { scopes: ["chat"] } },
  teams: {
    method: "POST",
    path: "/teamsUser/:exchangeAccessToken",
    body: {
      token: "entra-token-of-a-teams-user",
      appId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
      userId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
    }
  }
} satisfies Record<string, Call>

/** The documented error code behind `Prefer: code=<status>`, per operation. */
const documentedErrors: Record<keyof typeof identityOperations, Record<number, string>> = {
  create: { 400: "ValidationError", 404: "NotFound" },
  get: { 400: "ApiVersionUnspecified", 404: "IdentityNotFound" },
  delete: { 400: "ApiVersionUnspecified", 404: "IdentityNotFound" },
  revoke: { 400: "ApiVersionUnspecified", 404: "IdentityNotFound" },
  issue: { 400: "ValidationError", 404: "IdentityNotFound" },
  teams: { 400: "ValidationError", 401: "InvalidAccessToken", 404: "NotFound" }
}
const commonErrors: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable"
}

const assertViolation = (
  violations: ReadonlyArray<{ readonly location: ReadonlyArray<string | number>; readonly message: string }>,
  needle: string
) =>
  assert.isTrue(
    violations.some((v) => `${v.location.join(".")} ${v.message}`.includes(needle)),
    `expected a violation naming ${needle}, got ${JSON.stringify(violations)}`
  )

layer(MockServer.layerPrism(), { excludeTestServices: true })("Prism mock of the ACS Identity spec", (it) => {
  it.effect("serves a loopback URL and a connection string with the development key", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.strictEqual(server.mode, "prism")
      assert.strictEqual(
        Redacted.value(server.connectionString),
        `endpoint=${server.url}/;accesskey=YWNzLWlkZW50aXR5LW1vY2stZGV2ZWxvcG1lbnQta2V5`
      )
      assert.notInclude(String(server.connectionString), "accesskey")
    }))

  it.effect("create answers 201 with identity and access token (the default example)", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const reply = yield* send(url, identityOperations.create)
      assert.strictEqual(reply.status, 201)
      assert.deepStrictEqual(reply.violations, [])
      const body = Schema.decodeUnknownSync(AccessTokenResult)(reply.json)
      assert.strictEqual(body.identity.id, exampleId)
      assert.isDefined(body.accessToken)
      const claims = claimsOf(body.accessToken!.token)
      assert.strictEqual(claims.exp, Math.floor(body.accessToken!.expiresOn.getTime() / 1000))
      assert.strictEqual(claims.exp - claims.iat, 86_400)
      assert.strictEqual(claims.skypeid, `acs:${exampleId.slice("8:acs:".length)}`)
    }))

  it.effect("create accepts no body at all, and the repeatability headers", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const bare = yield* send(url, { method: "POST", path: "/identities" })
      assert.strictEqual(bare.status, 201)
      assert.deepStrictEqual(bare.violations, [])
      const repeatable = yield* send(url, {
        ...identityOperations.create,
        headers: {
          "Repeatability-Request-ID": "6a6b8d7e-2c1f-4c55-9a3e-3b1b6f1f0c42",
          "Repeatability-First-Sent": new Date().toUTCString(),
          "x-ms-client-request-id": "0f8fad5b-d9cb-469f-a165-70867728950e"
        }
      })
      assert.strictEqual(repeatable.status, 201)
      assert.deepStrictEqual(repeatable.violations, [])
    }))

  it.effect("Prefer: example=identityOnly returns the identity without a token", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const reply = yield* send(url, { ...identityOperations.create, headers: { Prefer: "example=identityOnly" } })
      assert.strictEqual(reply.status, 201)
      assert.deepStrictEqual(reply.violations, [])
      assert.deepStrictEqual(reply.json, { identity: { id: exampleId } })
    }))

  it.effect("get (preview) answers 200 with customId and lastTokenIssuedAt", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const reply = yield* send(url, identityOperations.get)
      assert.strictEqual(reply.status, 200)
      assert.deepStrictEqual(reply.violations, [])
      const body = Schema.decodeUnknownSync(Identity)(reply.json)
      assert.strictEqual(body.id, exampleId)
      assert.strictEqual(body.customId, "sally@contoso.com")
      assert.instanceOf(body.lastTokenIssuedAt, Date)
    }))

  it.effect("delete and revoke answer 204 with an empty body", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      for (const call of [identityOperations.delete, identityOperations.revoke]) {
        const reply = yield* send(url, call)
        assert.strictEqual(reply.status, 204, call.path)
        assert.strictEqual(reply.text, "")
        assert.deepStrictEqual(reply.violations, [])
      }
    }))

  it.effect("issue and Teams exchange answer 200 with a JWT whose exp claim is the expiresOn", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const issued = yield* send(url, {
        ...identityOperations.issue,
        body: { scopes: ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"], expiresInMinutes: 60 }
      })
      assert.strictEqual(issued.status, 200)
      assert.deepStrictEqual(issued.violations, [])
      const token = Schema.decodeUnknownSync(AccessToken)(issued.json)
      assert.strictEqual(claimsOf(token.token).acsScope, "chat,voip,chat.join,chat.join.limited,voip.join")

      const teams = yield* send(url, identityOperations.teams)
      assert.strictEqual(teams.status, 200)
      assert.deepStrictEqual(teams.violations, [])
      const teamsToken = Schema.decodeUnknownSync(AccessToken)(teams.json)
      assert.match(claimsOf(teamsToken.token).skypeid, /^orgid:/)
      assert.strictEqual(claimsOf(teamsToken.token).exp, Math.floor(teamsToken.expiresOn.getTime() / 1000))
    }))

  it.effect("every GA api-version is accepted; an Entra bearer token passes the security check", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      for (const version of ["2023-10-01", "2025-06-30", "2026-09-23", "2025-03-02-preview"]) {
        const reply = yield* send(url, { ...identityOperations.issue, query: { "api-version": version } })
        assert.strictEqual(reply.status, 200, version)
        assert.deepStrictEqual(reply.violations, [])
      }
      const bearer = yield* send(url, {
        ...identityOperations.create,
        headers: { Authorization: "Bearer eyJ0eXAi.e30.sig" }
      })
      assert.strictEqual(bearer.status, 201)
      assert.deepStrictEqual(bearer.violations, [])
    }))

  it.effect("rejects invalid requests with 400 naming the violation, in the body and in sl-violations", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const cases: ReadonlyArray<readonly [string, Call, string]> = [
        ["no api-version", { ...identityOperations.delete, query: null }, "api-version"],
        [
          "unknown api-version",
          { ...identityOperations.delete, query: { "api-version": "2099-01-01" } },
          "api-version"
        ],
        ["unknown scope", { ...identityOperations.issue, body: { scopes: ["pstn"] } }, "scopes.0"],
        [
          "unknown create scope",
          { ...identityOperations.create, body: { createTokenWithScopes: ["bogus"] } },
          "createTokenWithScopes.0"
        ],
        ["59 minutes", { ...identityOperations.issue, body: { scopes: ["chat"], expiresInMinutes: 59 } }, ">= 60"],
        [
          "1441 minutes",
          { ...identityOperations.issue, body: { scopes: ["chat"], expiresInMinutes: 1441 } },
          "<= 1440"
        ],
        ["1441 minutes on create", { ...identityOperations.create, body: { expiresInMinutes: 1441 } }, "<= 1440"],
        ["no scopes", { ...identityOperations.issue, body: {} }, "scopes"],
        ["empty scopes", { ...identityOperations.issue, body: { scopes: [] } }, "scopes"],
        ["no body on issue", { method: "POST", path: identityOperations.issue.path }, "Body parameter is required"],
        ["no userId on Teams", { ...identityOperations.teams, body: { token: "t", appId: "a" } }, "userId"],
        ["empty customId", {
          ...identityOperations.create,
          query: { "api-version": "2025-03-02-preview" },
          body: { customId: "" }
        }, "customId"],
        ["ISO Repeatability-First-Sent", {
          ...identityOperations.create,
          headers: { "Repeatability-First-Sent": "2023-09-10T20:39:30Z" }
        }, "repeatability-first-sent"],
        ["a body on revoke", { ...identityOperations.revoke, body: {} }, "non-empty body"]
      ]
      for (const [name, call, needle] of cases) {
        const reply = yield* send(url, call)
        assert.strictEqual(reply.status, 400, name)
        assertViolation(reply.violations, needle)
        // The body names the first violation (Prism alone would serve the first 400 example).
        const body = Schema.decodeUnknownSync(ErrorResponse)(reply.json)
        const [first] = reply.violations.filter((v) => v.location[0] === "request")
        assert.strictEqual(body.error.code, "ValidationError", name)
        // An expiry out of range and a missing Teams id are told in the service's own words and
        // casing (issue 24): ExpiresInMinutes, AppId, UserId.
        const serviceWords = { ExpiresInMinutes: /^ExpiresInMinutes value \d+ is invalid\./, UserId: /^UserId: / }
        const target = body.error.target
        if (target === "ExpiresInMinutes" || target === "UserId") {
          assert.match(body.error.message, serviceWords[target], name)
          // Prism's own violation names the field, in its location or (for a missing one) its message.
          assert.include(`${first!.location.join(".")} ${first!.message}`.toLowerCase(), target.toLowerCase(), name)
          continue
        }
        assert.isTrue(body.error.message.startsWith(first!.message), `${name}: ${body.error.message}`)
        assert.include(first!.location.map(String), body.error.target ?? "(no target)", name)
      }
    }))

  it.effect("a preview part under a version without it is refused as the stateful mock refuses it", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const preview = { "api-version": "2025-03-02-preview" }
      for (const version of ["2025-06-30", "2023-10-01"]) {
        const get = yield* send(url, { ...identityOperations.get, query: { "api-version": version } })
        assert.strictEqual(get.status, 400, version)
        assert.deepStrictEqual(get.json, {
          error: {
            code: "UnsupportedApiVersion",
            message: `The HTTP resource that matches the request URI does not support the API version '${version}'.`
          }
        })
        const custom = yield* send(url, {
          ...identityOperations.create,
          query: { "api-version": version },
          body: { customId: "alice" }
        })
        assert.strictEqual(custom.status, 400, version)
        assert.deepStrictEqual(custom.json, {
          error: {
            code: "ValidationError",
            message: `customId is not supported by api-version ${version}.`,
            target: "customId"
          }
        })
      }
      assert.strictEqual((yield* send(url, { ...identityOperations.get, query: preview })).status, 200)
      const created = yield* send(url, { ...identityOperations.create, query: preview, body: { customId: "alice" } })
      assert.strictEqual(created.status, 201)
      assert.deepStrictEqual(created.violations, [])
    }))

  it.effect("a request without Authorization gets 401 with the declared body", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      for (const call of Object.values(identityOperations)) {
        const reply = yield* send(url, { ...call, headers: { Authorization: null } })
        assert.strictEqual(reply.status, 401, call.path)
        assertViolation(reply.violations, "security")
        const body = Schema.decodeUnknownSync(ErrorResponse)(reply.json)
        assert.include(["Unauthorized", "InvalidAccessToken"], body.error.code)
      }
      const bearerWithoutToken = yield* send(url, { ...identityOperations.get, headers: { Authorization: "" } })
      assert.strictEqual(bearerWithoutToken.status, 401)
    }))

  it.effect("Prefer: code=<status> serves every documented error of every operation", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      for (const [name, call] of Object.entries(identityOperations)) {
        for (const status of [400, 401, 403, 404, 429, 500, 503]) {
          const reply = yield* send(url, { ...call, headers: { Prefer: `code=${status}` } })
          const label = `${name} ${status}`
          assert.strictEqual(reply.status, status, label)
          assert.deepStrictEqual(reply.violations, [], label)
          assert.strictEqual(reply.headers.get("content-type"), "application/json", label)
          const body = Schema.decodeUnknownSync(ErrorResponse)(reply.json)
          const expected = documentedErrors[name as keyof typeof identityOperations][status] ?? commonErrors[status]
          assert.strictEqual(body.error.code, expected, label)
          if (status === 429 || status === 503) {
            assert.strictEqual(reply.headers.get("retry-after"), "10", label)
            assert.strictEqual(reply.headers.get("retry-after-ms"), "10000", label)
          } else {
            assert.isNull(reply.headers.get("retry-after"), label)
          }
        }
      }
    }))

  it.effect("the recorded service errors are served verbatim", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const range = yield* send(url, { ...identityOperations.issue, headers: { Prefer: "code=400" } })
      assert.deepStrictEqual(range.json, {
        error: {
          code: "ValidationError",
          message: "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.",
          target: "ExpiresInMinutes"
        }
      })
      const scopes = yield* send(url, {
        ...identityOperations.issue,
        headers: { Prefer: "code=400, example=scopesRequired" }
      })
      assert.strictEqual(scopes.status, 400)
      assert.deepStrictEqual(scopes.json, {
        error: { code: "ValidationError", message: "Scopes: The Scopes field is required.", target: "Scopes" }
      })
      const appId = yield* send(url, { ...identityOperations.teams, headers: { Prefer: "code=400" } })
      assert.deepStrictEqual(appId.json, {
        error: { code: "ValidationError", message: "AAD application is not the expected one.", target: "appId" }
      })
      const invalidToken = yield* send(url, { ...identityOperations.teams, headers: { Prefer: "code=401" } })
      assert.deepStrictEqual(invalidToken.json, {
        error: { code: "InvalidAccessToken", message: "Provided access token is not valid." }
      })
    }))

  it.effect("an undocumented status or example is refused by Prism, not faked", () =>
    Effect.gen(function*() {
      const { url } = yield* MockServer
      const code422 = yield* send(url, { ...identityOperations.issue, headers: { Prefer: "code=422" } })
      assert.strictEqual(code422.status, 404)
      assert.match(code422.headers.get("content-type") ?? "", /problem\+json/)
      assert.include(code422.text, "422")
      const unknownExample = yield* send(url, { ...identityOperations.create, headers: { Prefer: "example=nope" } })
      assert.strictEqual(unknownExample.status, 404)
      assert.match(unknownExample.headers.get("content-type") ?? "", /problem\+json/)
    }))
})
