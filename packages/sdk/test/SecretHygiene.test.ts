import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import {
  CommunicationIdentityClient,
  EntraCredential,
  parseConnectionString,
  type TokenScope,
  withRequestPolicy
} from "../src/index.js"
import { recorderLayer, type Recording, renderAll } from "./utils/Recorder.js"
import { type Reply, ScriptedTransport } from "./utils/ScriptedTransport.js"

const keyText = "ZZ-ACCESS-KEY-SECRET-4f1c9a-ZZ"
const accessKey = Buffer.from(keyText).toString("base64")
const issuedToken = "eyJhbGciOiJSUzI1NiJ9.ISSUED-TOKEN-SECRET-77ab.c2lnbmF0dXJl"
const teamsToken = "AAD-TEAMS-TOKEN-SECRET-91de"
const entraToken = "ENTRA-BEARER-SECRET-5b2e"
const secrets = [
  keyText,
  accessKey,
  issuedToken,
  teamsToken,
  entraToken,
  "HMAC-SHA256 SignedHeaders",
  `Bearer ${entraToken}`
]

const user = { communicationUserId: "8:acs:r_u" }
const tokenBody = { token: issuedToken, expiresOn: "2030-01-01T00:00:00.0000000+00:00" }
const appId = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
const oid = "32c0a5db-05ec-78ea-51ab-3f06b329397e"
const failures: ReadonlyArray<Reply> = [
  { status: 400, body: { error: { code: "ValidationError", message: "bad", target: "Scopes" } } },
  { status: 401, body: { error: { code: "InvalidAccessToken", message: "Provided access token is not valid." } } },
  { status: 403, body: { error: { code: "Forbidden", message: "no" } } },
  { status: 404, body: { error: { code: "IdentityNotFound", message: "gone" } } },
  { status: 429, body: { error: { code: "TooManyRequests", message: "slow" } }, headers: { "retry-after": "1" } },
  { status: 500, body: "<html>oops</html>", headers: { "content-type": "text/html" } },
  { status: 200, body: { token: 42, expiresOn: issuedToken } },
  { status: 200, body: `{"token":"${issuedToken}",` },
  { fail: "network" }
]

/** The whole lifecycle plus every failure path, logging results and errors the way an app would. */
const lifecycle = (t: ScriptedTransport["Type"], client: CommunicationIdentityClient["Type"]) =>
  Effect.gen(function*() {
    const scopes: ReadonlyArray<TokenScope> = ["chat", "voip"]
    t.reply(
      { status: 201, body: { identity: { id: user.communicationUserId } } },
      { status: 201, body: { identity: { id: user.communicationUserId }, accessToken: tokenBody } },
      { status: 200, body: tokenBody },
      { status: 200, body: tokenBody },
      { status: 204 },
      { status: 204 }
    )
    const results = [
      yield* client.createUser(),
      yield* client.createUserAndToken(scopes, { expiresInMinutes: 60 }),
      yield* client.getToken(user, scopes),
      yield* client.getTokenForTeamsUser({ teamsUserAadToken: teamsToken, clientId: appId, userObjectId: oid }),
      yield* client.revokeTokens(user),
      yield* client.deleteUser(user)
    ]
    for (const result of results) yield* Effect.log("result", result)
    const errors: Array<unknown> = []
    for (const reply of failures) {
      t.reply(reply)
      errors.push(yield* Effect.flip(client.getToken(user, scopes)))
      t.reply(reply)
      errors.push(
        yield* Effect.flip(
          client.getTokenForTeamsUser({
            teamsUserAadToken: Redacted.make(teamsToken),
            clientId: appId,
            userObjectId: oid
          })
        )
      )
    }
    errors.push(
      yield* Effect.flip(
        client.getTokenForTeamsUser({ teamsUserAadToken: teamsToken, clientId: "bad", userObjectId: oid })
      )
    )
    errors.push(yield* Effect.flip(parseConnectionString(`endpoint=${accessKey};accesskey=${accessKey}`)))
    errors.push(yield* Effect.flip(parseConnectionString(`accesskey=${accessKey}`)))
    for (const error of errors) yield* Effect.logError("failed", error)
    return [...results, ...errors]
  }).pipe(withRequestPolicy({ maxRetries: 0 }))

const search = (recording: Recording, values: ReadonlyArray<unknown>) => {
  const haystack = [...recording.lines, ...values.map(renderAll)].join("\n")
  return secrets.filter((secret) => haystack.includes(secret))
}

/** Runs the lifecycle on a client layer while recording spans and logs; returns the recording and every value. */
const recordLifecycle = <E>(client: Layer.Layer<CommunicationIdentityClient, E, HttpClient.HttpClient>) =>
  Effect.gen(function*() {
    const recording: Recording = { lines: [] }
    const values = yield* Effect.gen(function*() {
      return yield* lifecycle(yield* ScriptedTransport, yield* CommunicationIdentityClient)
    }).pipe(
      Effect.provide(client.pipe(Layer.provideMerge(ScriptedTransport.layer))),
      Effect.provide(recorderLayer(recording))
    )
    assert.isAbove(recording.lines.length, 40)
    return { recording, values }
  })

describe("secret hygiene", () => {
  it.effect("HMAC client: no key, token or Authorization header in spans, logs, errors or printed results", () =>
    Effect.gen(function*() {
      const { recording, values } = yield* recordLifecycle(
        CommunicationIdentityClient.fromConnectionString(
          Redacted.make(`endpoint=https://contoso.communication.azure.com/;accesskey=${accessKey}`)
        )
      )
      assert.isTrue(recording.lines.some((line) => line.includes("CommunicationIdentityClient.getToken")))
      assert.isTrue(recording.lines.some((line) => line.includes("http.request.header.authorization")))
      assert.deepStrictEqual(search(recording, values), [])
    }))

  it.effect("Entra client: the bearer token never shows either", () =>
    Effect.gen(function*() {
      const { recording, values } = yield* recordLifecycle(
        CommunicationIdentityClient.layer({ endpoint: "https://contoso.communication.azure.com" }).pipe(
          Layer.provide(EntraCredential.layer(Effect.succeed(Redacted.make(entraToken))))
        )
      )
      assert.deepStrictEqual(search(recording, values), [])
    }))

  it("the search would find a leak: a raw token logged on purpose is caught", () => {
    const recording: Recording = { lines: [`log ${issuedToken}`] }
    assert.deepStrictEqual(search(recording, []), [issuedToken])
  })
})
