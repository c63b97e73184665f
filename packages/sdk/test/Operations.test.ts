/**
 * The Teams Phone extension and Entra ID operations on the wire (scripted transport), the operation
 * table's version gating, paging through `nextLink`, and `TokenExchange` with no resource credential.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Redacted, Stream } from "effect"
import { build } from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { inspect } from "node:util"
import * as EntraAssignments from "../src/EntraAssignments.js"
import type { ApiVersion, CommunicationIdentityClient, CommunicationIdentityError } from "../src/index.js"
import { TokenExchange } from "../src/index.js"
import { Operations } from "../src/testing/index.js"
import { testEndpoint, withScriptedClient } from "./utils/ScriptedClient.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const endpoint = testEndpoint
const tenantId = "c70d068c-2f32-484d-9455-73070cd5aadd"
const objectId = "b27b64b9-39d2-44a3-869d-67700b74e805"
const appId = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
const entraToken = "eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ4In0.dXNlci1lbnRyYS1zZWNyZXQ"
const exchanged = {
  identity: { id: `8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_${tenantId}_${objectId}` },
  accessToken: {
    token: "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.YWNzLXRva2Vu",
    expiresOn: "2030-07-10T21:39:39.0000000+00:00"
  }
}
const entraAssignment = { objectId, tenantId, principalType: "user", clientIds: [appId] }

const withClient = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], transport: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  apiVersion: ApiVersion.ApiVersion = "2025-06-30"
) => withScriptedClient(f, { apiVersion, policy: { maxRetries: 0 } })

const url = (path: string, version = "2025-06-30") => `${endpoint}${path}?api-version=${version}`

describe("Teams Phone extension on the wire", () => {
  it.effect("the exchange sends {} with the user's token as the bearer, never the resource's signature", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: exchanged })
        const result = yield* client.getTokenForTeamsExtensionUser(Redacted.make(entraToken))
        assert.strictEqual(result.user.communicationUserId, exchanged.identity.id)
        assert.strictEqual(Redacted.value(result.token), exchanged.accessToken.token)
        const [sent] = t.sent
        assert.strictEqual(sent!.method, "POST")
        assert.strictEqual(sent!.url, url("/access/teamsExtension/:exchangeAccessToken"))
        assert.strictEqual(sent!.body, "{}")
        assert.strictEqual(sent!.headers["content-type"], "application/json")
        assert.strictEqual(sent!.headers["authorization"], `Bearer ${entraToken}`)
        assert.isUndefined(sent!.headers["x-ms-content-sha256"])
        assert.isUndefined(sent!.headers["x-ms-date"])
        assert.notInclude(inspect(result, { depth: null }) + JSON.stringify(result), "YWNzLXRva2Vu")
      })
    ))

  it.effect("assignments: GET/PUT/DELETE on the tenant and object; 201 is created, 200 replaced", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const assignment = { objectId, tenantId, principalType: "user", clientIds: [appId] }
        t.reply(
          { status: 200, body: assignment },
          { status: 201, body: assignment },
          { status: 200, body: assignment },
          { status: 204 }
        )
        const got = yield* client.getTeamsExtensionAssignment({ tenantId, objectId })
        assert.deepStrictEqual(got.clientIds, [appId])
        const created = yield* client.upsertTeamsExtensionAssignment({
          tenantId,
          objectId,
          principalType: "user",
          clientIds: [appId]
        })
        const replaced = yield* client.upsertTeamsExtensionAssignment({ tenantId, objectId, principalType: "user" })
        yield* client.deleteTeamsExtensionAssignment({ tenantId, objectId })
        assert.isTrue(created.created)
        assert.isFalse(replaced.created)
        const path = `/access/teamsExtension/tenants/${tenantId}/assignments/${objectId}`
        assert.deepStrictEqual(t.sent.map((s) => [s.method, s.url]), [
          ["GET", url(path)],
          ["PUT", url(path)],
          ["PUT", url(path)],
          ["DELETE", url(path)]
        ])
        assert.deepStrictEqual(JSON.parse(t.sent[1]!.body), { principalType: "user", clientIds: [appId] })
        assert.deepStrictEqual(JSON.parse(t.sent[2]!.body), { principalType: "user" })
        assert.match(t.sent[1]!.headers["authorization"]!, /^HMAC-SHA256 /)
      })
    ))

  it.effect("a 2xx body of the wrong shape is an UnexpectedResponseError, not a defect", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: { identity: { id: "x" } } })
        const error = yield* Effect.flip(client.getTokenForTeamsExtensionUser(entraToken))
        assert.strictEqual(error._tag, "UnexpectedResponseError")
      })
    ))
})

describe("Entra ID on the wire (2025-03-02-preview)", () => {
  const preview = "2025-03-02-preview"

  it.effect("the list follows nextLink (absolute or relative) on the same endpoint, signing each page", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const second = { ...entraAssignment, objectId: appId }
        t.reply(
          {
            status: 200,
            body: {
              value: [entraAssignment],
              nextLink: `${endpoint}/access/entra/assignments?api-version=${preview}&skipToken=a%2Fb`
            }
          },
          { status: 200, body: { value: [second], nextLink: `/access/entra/assignments?skipToken=c` } },
          { status: 200, body: { value: [] } }
        )
        const all = yield* Stream.runCollect(EntraAssignments.stream(client))
        assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((a) => a.objectId), [objectId, appId])
        assert.deepStrictEqual(t.sent.map((s) => s.url), [
          url("/access/entra/assignments", preview),
          `${url("/access/entra/assignments", preview)}&skipToken=a%2Fb`,
          `${url("/access/entra/assignments", preview)}&skipToken=c`
        ])
        for (const sent of t.sent) assert.match(sent.headers["authorization"]!, /^HMAC-SHA256 /)
      }), preview))

  it.effect("a page's continuation token names the next page; a token the client did not make is refused unsent", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply(
          { status: 200, body: { value: [entraAssignment], nextLink: `/access/entra/assignments?skipToken=a%2Fb` } },
          { status: 200, body: { value: [] } }
        )
        const first = yield* client.listEntraAssignmentsPage()
        assert.deepStrictEqual(first.assignments.map((a) => a.objectId), [objectId])
        assert.strictEqual(first.continuationToken, "skipToken=a%2Fb")
        const last = yield* client.listEntraAssignmentsPage(first.continuationToken)
        assert.deepStrictEqual(last, { assignments: [], continuationToken: undefined })
        assert.strictEqual(t.sent[1]!.url, `${url("/access/entra/assignments", preview)}&skipToken=a%2Fb`)
        const sent = t.sent.length
        const unmade: ReadonlyArray<unknown> = [
          "skipToken=a b",
          "skipToken=a#b",
          "api-version=2023-10-01",
          "skipToken=a&api-version=2023-10-01",
          "skipToken=a/b",
          42,
          null
        ]
        for (const token of unmade) {
          const error = yield* Effect.flip(client.listEntraAssignmentsPage(token as string))
          assert.strictEqual(error._tag, "InvalidArgumentError")
          assert.strictEqual(error._tag === "InvalidArgumentError" && error.argument, "continuationToken")
        }
        assert.strictEqual(t.sent.length, sent)
      }), preview))

  it.effect("a nextLink to another origin or path fails typed, and nothing is sent there", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        for (const nextLink of ["https://evil.example/access/entra/assignments", `${endpoint}/identities`]) {
          const before = t.sent.length
          t.reply({ status: 200, body: { value: [entraAssignment], nextLink } })
          const error = yield* Effect.flip(Stream.runCollect(EntraAssignments.stream(client)))
          assert.strictEqual(error._tag, "UnexpectedResponseError")
          assert.strictEqual(t.sent.length, before + 1)
        }
      }), preview))

  it.effect("the bulk update is a merge patch; null deletes; 204 means nothing written", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 200, body: { value: [entraAssignment] } }, { status: 204 })
        const written = yield* client.updateEntraAssignments({
          [objectId]: { tenantId, principalType: "user", clientIds: [appId] },
          [appId]: null
        })
        assert.strictEqual(written.length, 1)
        assert.deepStrictEqual(yield* client.updateEntraAssignments({ [appId]: null }), [])
        const [sent] = t.sent
        assert.strictEqual(sent!.method, "PATCH")
        assert.strictEqual(sent!.url, url("/access/entra/assignments", preview))
        assert.strictEqual(sent!.headers["content-type"], "application/merge-patch+json")
        assert.deepStrictEqual(JSON.parse(sent!.body), {
          [objectId]: { tenantId, principalType: "user", clientIds: [appId] },
          [appId]: null
        })
      }), preview))

  it.effect("the Entra exchange, get, upsert and delete use their paths", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        t.reply(
          { status: 200, body: exchanged },
          { status: 200, body: entraAssignment },
          { status: 201, body: entraAssignment },
          { status: 204 }
        )
        yield* client.getTokenForEntraUser(entraToken)
        yield* client.getEntraAssignment(objectId)
        const upserted = yield* client.upsertEntraAssignment({
          objectId,
          tenantId,
          principalType: "user",
          clientIds: [appId]
        })
        yield* client.deleteEntraAssignment(objectId)
        assert.isTrue(upserted.created)
        assert.deepStrictEqual(t.sent.map((s) => `${s.method} ${s.url}`), [
          `POST ${url("/access/entra/:exchangeAccessToken", preview)}`,
          `GET ${url(`/access/entra/assignments/${objectId}`, preview)}`,
          `PUT ${url(`/access/entra/assignments/${objectId}`, preview)}`,
          `DELETE ${url(`/access/entra/assignments/${objectId}`, preview)}`
        ])
        assert.strictEqual(t.sent[0]!.headers["authorization"], `Bearer ${entraToken}`)
      }), preview))
})

describe("refused before anything is sent", () => {
  it.effect("operations an api-version lacks, per the operation table", () =>
    Effect.gen(function*() {
      for (const version of ["2023-10-01", "2025-06-30", "2026-07-22", "2026-09-23", "2025-03-02-preview"] as const) {
        yield* withClient((client, t) =>
          Effect.gen(function*() {
            const probes: Readonly<Record<string, Effect.Effect<unknown, CommunicationIdentityError>>> = {
              exchangeTeamsExtensionAccessToken: client.getTokenForTeamsExtensionUser(entraToken),
              getTeamsExtensionAssignment: client.getTeamsExtensionAssignment({ tenantId, objectId }),
              exchangeEntraAccessToken: client.getTokenForEntraUser(entraToken),
              listEntraAssignments: client.listEntraAssignmentsPage(),
              updateEntraAssignments: client.updateEntraAssignments({}),
              deleteEntraAssignment: client.deleteEntraAssignment(objectId)
            }
            for (const [operation, probe] of Object.entries(probes)) {
              if (Operations.isAvailable(operation as Operations.OperationId, version)) continue
              const error = yield* Effect.flip(probe)
              assert.strictEqual(error._tag, "InvalidArgumentError", `${operation} on ${version}`)
              if (error._tag === "InvalidArgumentError") assert.strictEqual(error.argument, "apiVersion")
            }
            assert.strictEqual(t.sent.length, 0)
          }), version)
      }
    }))

  it.effect("bad arguments, with the token never echoed", () =>
    withClient((client, t) =>
      Effect.gen(function*() {
        const secret = "a.b.secret\r\nx-injected: 1"
        const probes: ReadonlyArray<Effect.Effect<unknown, CommunicationIdentityError>> = [
          client.getTokenForTeamsExtensionUser(secret),
          client.getTokenForTeamsExtensionUser(Redacted.make("")),
          client.getTokenForEntraUser("tok\u00e9n.with.latin1"),
          client.getTeamsExtensionAssignment({ tenantId: "contoso", objectId }),
          client.upsertTeamsExtensionAssignment({ tenantId, objectId, principalType: "user", clientIds: ["app"] }),
          client.getEntraAssignment("../identities"),
          client.upsertEntraAssignment({ objectId, tenantId, principalType: "user", clientIds: ["x"] }),
          client.updateEntraAssignments({ "not-a-guid": null })
        ]
        for (const probe of probes) {
          const result = yield* Effect.either(probe)
          assert.isTrue(Either.isLeft(result))
          if (Either.isLeft(result)) {
            assert.strictEqual(result.left._tag, "InvalidArgumentError")
            assert.notInclude(JSON.stringify(result.left) + inspect(result.left, { depth: null }), "secret")
          }
        }
        assert.strictEqual(t.sent.length, 0)
      }), "2025-03-02-preview"))
})

describe("TokenExchange", () => {
  it.effect("needs only an HttpClient; the Entra exchange always uses the preview api-version", () =>
    Effect.gen(function*() {
      const t = yield* ScriptedTransport
      const exchange = yield* TokenExchange.make({ endpoint })
      t.reply({ status: 200, body: exchanged }, { status: 200, body: exchanged }, {
        status: 403,
        body: { error: { code: "Forbidden", message: "No assignment." } }
      })
      const teams = yield* exchange.teamsExtension(entraToken)
      const entra = yield* exchange.entra(Redacted.make(entraToken))
      assert.strictEqual(teams.user.communicationUserId, exchanged.identity.id)
      assert.instanceOf(entra.expiresOn, Date)
      const refused = yield* Effect.flip(exchange.teamsExtension(entraToken))
      assert.strictEqual(refused._tag, "AuthorizationError")
      assert.notInclude(JSON.stringify(refused) + inspect(refused, { depth: null }), "dXNlci1lbnRyYS1zZWNyZXQ")
      assert.deepStrictEqual(t.sent.map((s) => s.url), [
        url("/access/teamsExtension/:exchangeAccessToken"),
        url("/access/entra/:exchangeAccessToken", "2025-03-02-preview"),
        url("/access/teamsExtension/:exchangeAccessToken")
      ])
      for (const sent of t.sent) assert.strictEqual(sent.headers["authorization"], `Bearer ${entraToken}`)
    }).pipe(Effect.provide(ScriptedTransport.layer)))

  it.effect("refuses an insecure endpoint", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(TokenExchange.make({ endpoint: "http://contoso.example" }))
      assert.strictEqual(error._tag, "InvalidArgumentError")
    }).pipe(Effect.provide(ScriptedTransport.layer)))

  it.live("is tree-shakeable: a bundle of it holds no HMAC or connection-string code", () =>
    Effect.promise(async () => {
      const here = path.dirname(fileURLToPath(import.meta.url))
      const result = await build({
        stdin: {
          contents: `export { make } from "./src/TokenExchange.ts"`,
          resolveDir: path.join(here, ".."),
          loader: "ts"
        },
        bundle: true,
        write: false,
        format: "esm",
        platform: "neutral",
        treeShaking: true,
        external: ["effect", "effect/*", "@effect/platform", "@effect/platform/*"]
      })
      const code = result.outputFiles[0]!.text
      assert.include(code, "/access/teamsExtension/:exchangeAccessToken")
      for (const marker of ["HMAC-SHA256", "x-ms-content-sha256", "accesskey", "getBuiltinModule"]) {
        assert.notInclude(code, marker)
      }
    }))
})
