import { type ApiVersion, CommunicationIdentityClient } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { Conformance } from "@acs-identity/sdk/testing"
import { CommunicationIdentityClient as OfficialClient } from "@azure/communication-identity"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Either, Layer, Redacted } from "effect"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"
import * as PrismProxy from "./utils/PrismProxy.js"
import { send } from "./utils/signing.js"

const requestCount = Effect.flatMap(
  StatefulMockServer,
  (s) => Effect.map(s.store.snapshot, (snap) => snap.requestCount)
)

/** The SDK's HTTP client pointed at the stateful mock (or at `url` when given). */
const clientLayer = (apiVersion: ApiVersion.ApiVersion, url?: string) =>
  Layer.unwrapEffect(
    Effect.map(StatefulMockServer, (server) =>
      CommunicationIdentityClient.fromConnectionString(
        url === undefined ? server.connectionString : Redacted.make(
          Redacted.value(server.connectionString).replace(server.url, url)
        ),
        { apiVersion }
      ))
  ).pipe(Layer.provide(HttpClientTransport.layerFetch))

const serverLayer = (options: Parameters<typeof StatefulMockServer.layer>[0] = {}) => StatefulMockServer.layer(options)

describe("stateful mock: conformance of the SDK's HTTP client", () => {
  // 2026-07-22 and 2026-09-23 have the surface of 2025-06-30 (the in-memory suite runs every version).
  for (const apiVersion of ["2023-10-01", "2025-06-30", "2025-03-02-preview"] as const) {
    layer(clientLayer(apiVersion).pipe(Layer.provideMerge(serverLayer())), { excludeTestServices: true })(
      apiVersion,
      (it) => Conformance.register(it, { requestCount, apiVersion })
    )
  }
  layer(clientLayer("2025-03-02-preview").pipe(Layer.provideMerge(serverLayer({ pageSize: 1 }))), {
    excludeTestServices: true
  })(
    "2025-03-02-preview with one assignment per page",
    (it) => Conformance.register(it, { requestCount, apiVersion: "2025-03-02-preview" })
  )
})

describe("stateful mock behind Prism's validating proxy (responses checked against the spec)", () => {
  for (const apiVersion of ["2025-06-30", "2025-03-02-preview"] as const) {
    const proxied = Layer.unwrapScoped(
      Effect.gen(function*() {
        const server = yield* StatefulMockServer
        const proxy = yield* PrismProxy.start(server.url)
        return clientLayer(apiVersion, proxy)
      })
    ).pipe(Layer.provideMerge(serverLayer({ signature: "presence" })))
    layer(proxied, { excludeTestServices: true })(apiVersion, (it) => Conformance.register(it, { apiVersion }))
  }

  it.live("proxied responses carry no sl-violations, and an off-spec one is flagged", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* StatefulMockServer
      const proxy = yield* PrismProxy.start(server.url)
      const created = yield* send(proxy, {
        method: "POST",
        path: "/identities?api-version=2025-03-02-preview",
        body: JSON.stringify({ createTokenWithScopes: ["chat"], customId: "proxied" })
      })
      assert.strictEqual(created.status, 201)
      assert.isNull(created.headers.get("sl-violations"))
      const id = encodeURIComponent(JSON.parse(created.text).identity.id)
      const got = yield* send(proxy, { method: "GET", path: `/identities/${id}?api-version=2025-03-02-preview` })
      assert.strictEqual(got.status, 200)
      assert.isNull(got.headers.get("sl-violations"))
      const missing = yield* send(proxy, { method: "DELETE", path: `/identities/${id}x?api-version=2025-06-30` })
      assert.strictEqual(missing.status, 401)
      assert.isNull(missing.headers.get("sl-violations"))
      yield* server.faults.add([{ operation: "createIdentity", fault: { _tag: "GatewayHtml" }, times: 1 }])
      const broken = yield* send(proxy, { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" })
      assert.isTrue(
        broken.status === 500 || broken.headers.get("sl-violations") !== null,
        "the proxy must flag a response off the spec"
      )
    })).pipe(Effect.provide(serverLayer({ signature: "presence" }))))
})

describe("stateful mock: signatures", () => {
  layer(serverLayer(), { excludeTestServices: true })("HMAC", (it) => {
    const create = { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" } as const

    it.effect("accepts a correct signature and rejects a wrong key, date, body or path with 401", () =>
      Effect.gen(function*() {
        const { url, store } = yield* StatefulMockServer
        const before = (yield* store.snapshot).users.length
        assert.strictEqual((yield* send(url, create)).status, 201)
        const wrongKey = yield* send(url, { ...create, key: Buffer.from("some-other-key").toString("base64") })
        assert.strictEqual(wrongKey.status, 401)
        assert.strictEqual(JSON.parse(wrongKey.text).error.code, "Unauthorized")
        const stale = yield* send(url, { ...create, date: new Date(Date.now() - 6 * 60_000) })
        assert.strictEqual(stale.status, 401)
        const skewedButInside = yield* send(url, { ...create, date: new Date(Date.now() + 4 * 60_000) })
        assert.strictEqual(skewedButInside.status, 201)
        assert.strictEqual((yield* send(url, { ...create, signedBody: "{\"a\":1}" })).status, 401)
        assert.strictEqual(
          (yield* send(url, { ...create, signedPath: "/identities?api-version=2023-10-01" })).status,
          401
        )
        const unsigned = yield* send(url, { ...create, headers: { authorization: "" } })
        assert.strictEqual(unsigned.status, 401)
        assert.strictEqual((yield* store.snapshot).users.length, before + 2)
      }))

    it.effect("a client with the wrong access key fails with AuthenticationError", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const client = yield* Effect.provide(
          CommunicationIdentityClient,
          CommunicationIdentityClient.fromConnectionString(
            `endpoint=${url}/;accesskey=${Buffer.from("wrong").toString("base64")}`
          ).pipe(Layer.provide(HttpClientTransport.layerFetch))
        )
        const error = yield* Effect.flip(client.createUser())
        assert.strictEqual(error._tag, "AuthenticationError")
      }))

    it.effect("the official @azure/communication-identity client is accepted", () =>
      Effect.gen(function*() {
        const { connectionString, store } = yield* StatefulMockServer
        const official = new OfficialClient(Redacted.value(connectionString), { allowInsecureConnection: true })
        const { user, token } = yield* Effect.promise(() => official.createUserAndToken(["chat", "voip"]))
        assert.isTrue(yield* store.isTokenValid(token))
        const second = yield* Effect.promise(() => official.getToken(user, ["chat"], { tokenExpiresInMinutes: 60 }))
        yield* Effect.promise(() => official.revokeTokens(user))
        assert.isFalse(yield* store.isTokenValid(second.token))
        yield* Effect.promise(() => official.deleteUser(user))
        const after = yield* Effect.either(Effect.tryPromise(() => official.getToken(user, ["chat"])))
        assert.isTrue(Either.isLeft(after))
        const snapshot = yield* store.snapshot
        assert.isTrue(snapshot.deletions.some((d) => d.userId === user.communicationUserId))
      }))
  })

  /** `POST /identities` with `Authorization: Bearer <token>`. */
  const createWithBearer = (url: string) => (token: string) =>
    send(url, {
      method: "POST",
      path: "/identities?api-version=2025-06-30",
      body: "{}",
      headers: { authorization: `Bearer ${token}` }
    })

  layer(serverLayer({ bearerTokens: [Redacted.make("entra-admin-token")] }), { excludeTestServices: true })(
    "bearer",
    (it) => {
      it.effect("accepts a configured bearer token only", () =>
        Effect.gen(function*() {
          const { url } = yield* StatefulMockServer
          const bearer = createWithBearer(url)
          assert.strictEqual((yield* bearer("entra-admin-token")).status, 201)
          assert.strictEqual((yield* bearer("someone-elses-token")).status, 401)
        }))

      it.effect("accepts an unexpired JWT for the ACS audience; names the rule a refused one breaks, never echoing it", () =>
        Effect.gen(function*() {
          const { url } = yield* StatefulMockServer
          const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
          const jwt = (claims: Record<string, unknown>) => `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.sig`
          const inAnHour = Math.floor(Date.now() / 1000) + 3600
          const bearer = createWithBearer(url)
          for (const aud of ["https://communication.azure.com", "https://communication.azure.com/"]) {
            assert.strictEqual((yield* bearer(jwt({ aud, exp: inAnHour }))).status, 201, aud)
          }
          assert.strictEqual(
            (yield* bearer(jwt({ aud: ["https://communication.azure.com"], exp: inAnHour }))).status,
            201
          )
          const refusals = [
            [jwt({ aud: "https://graph.microsoft.com", exp: inAnHour }), "audience"],
            [jwt({ aud: "https://communication.azure.com", exp: inAnHour - 7200 }), "expired"],
            [jwt({ aud: "https://communication.azure.com" }), "not valid"],
            ["not.a-jwt.at-all", "not valid"]
          ] as const
          for (const [token, reason] of refusals) {
            const answer = yield* bearer(token)
            assert.strictEqual(answer.status, 401, reason)
            const error = (JSON.parse(answer.text) as { error: { code: string; message: string } }).error
            assert.strictEqual(error.code, "Unauthorized")
            assert.include(error.message, reason)
            assert.notInclude(answer.text, token)
          }
        }))
    }
  )
})

describe("stateful mock: service semantics on the wire", () => {
  layer(serverLayer(), { excludeTestServices: true })("wire", (it) => {
    it.effect("a create repeated with the same Repeatability-Request-ID creates one user", () =>
      Effect.gen(function*() {
        const { url, store } = yield* StatefulMockServer
        const request = {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          body: JSON.stringify({ createTokenWithScopes: ["chat"] }),
          headers: {
            "repeatability-request-id": "6a6b8d7e-2c1f-4c55-9a3e-3b1b6f1f0c42",
            "repeatability-first-sent": new Date().toUTCString()
          }
        } as const
        const before = (yield* store.snapshot).users.length
        const first = yield* send(url, request)
        const again = yield* send(url, request)
        assert.strictEqual(first.status, 201)
        assert.strictEqual(again.status, 201)
        assert.strictEqual(first.headers.get("repeatability-result"), "accepted")
        assert.strictEqual(again.headers.get("repeatability-result"), "replayed")
        assert.strictEqual(again.text, first.text)
        assert.strictEqual((yield* store.snapshot).users.length, before + 1)
      }))

    it.effect("validation, api-version and date formats match the service", () =>
      Effect.gen(function*() {
        const { url } = yield* StatefulMockServer
        const created = yield* send(url, {
          method: "POST",
          path: "/identities?api-version=2025-06-30",
          body: JSON.stringify({ createTokenWithScopes: ["voip"], expiresInMinutes: 60 })
        })
        const body = JSON.parse(created.text)
        assert.match(body.accessToken.expiresOn, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/)
        assert.strictEqual(created.headers.get("content-type"), "application/json; charset=utf-8")
        const id = encodeURIComponent(body.identity.id)
        const tooLong = yield* send(url, {
          method: "POST",
          path: `/identities/${id}/:issueAccessToken?api-version=2025-06-30`,
          body: JSON.stringify({ scopes: ["chat"], expiresInMinutes: 1441 })
        })
        assert.strictEqual(tooLong.status, 400)
        assert.deepStrictEqual(JSON.parse(tooLong.text), {
          error: {
            code: "ValidationError",
            message: "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.",
            target: "ExpiresInMinutes"
          }
        })
        const noScopes = yield* send(url, {
          method: "POST",
          path: `/identities/${id}/:issueAccessToken?api-version=2025-06-30`,
          body: "{}"
        })
        assert.strictEqual(JSON.parse(noScopes.text).error.target, "Scopes")
        const noVersion = yield* send(url, { method: "DELETE", path: `/identities/${id}` })
        assert.strictEqual(JSON.parse(noVersion.text).error.code, "ApiVersionUnspecified")
        const getOnGa = yield* send(url, { method: "GET", path: `/identities/${id}?api-version=2025-06-30` })
        assert.strictEqual(JSON.parse(getOnGa.text).error.code, "UnsupportedApiVersion")
        const unknown = yield* send(url, { method: "POST", path: `/identities/${id}/:bogus?api-version=2025-06-30` })
        assert.strictEqual(unknown.status, 404)
      }))
  })
})
