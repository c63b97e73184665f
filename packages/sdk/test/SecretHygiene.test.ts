import { NodeTransport } from "@acs-identity/transport-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, Redacted, Runtime } from "effect"
import { inspect } from "node:util"
import * as FetchTransport from "../src/FetchTransport.js"
import * as HttpClientTransport from "../src/HttpClientTransport.js"
import type { Transport } from "../src/index.js"
import {
  CommunicationIdentityClient,
  EntraCredential,
  parseConnectionString,
  type TokenScope,
  withRequestPolicy
} from "../src/index.js"
import { serveHttp } from "./utils/LoopbackHttp.js"
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
const recordLifecycle = <E>(client: Layer.Layer<CommunicationIdentityClient, E, Transport.Transport>) =>
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
      assert.isTrue(recording.lines.some((line) => line.includes("az.client_request_id")))
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

/** Every way an application might print a failure, outside and inside a fiber. */
const printings = (exit: Exit.Exit<unknown, unknown>, rejection: unknown): ReadonlyArray<string> => {
  const cause = Exit.isFailure(exit) ? exit.cause : Cause.empty
  const error = Cause.squash(cause)
  return [
    JSON.stringify(error),
    JSON.stringify(exit),
    JSON.stringify(cause),
    inspect(error, { depth: Infinity }),
    inspect(error, { depth: Infinity, showHidden: true }),
    inspect(exit, { depth: Infinity }),
    inspect(rejection, { depth: Infinity, showHidden: true }),
    String(error),
    String(rejection),
    (error as Error).stack ?? "",
    Cause.pretty(cause),
    Cause.pretty(cause, { renderErrorCause: true }),
    renderAll(error)
  ]
}

/** A service that sends the response head and part of the body, then resets the connection. */
const brokenAfterHeaders = (seen: Array<string>) =>
  serveHttp((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      seen.push(String(request.headers.authorization ?? ""), Buffer.concat(chunks).toString("utf8"))
      response.writeHead(200, { "content-type": "application/json", "content-length": 500_000 })
      response.write(`{"token":"${"x".repeat(100_000)}`, () => response.socket?.destroy())
    })
  }).pipe(Effect.map(({ origin }) => ({ url: origin.origin })))

describe("secret hygiene when a body read fails after the headers", () => {
  const transports = [
    ["NodeTransport", NodeTransport.layer],
    ["HttpClientTransport.layerFetch", HttpClientTransport.layerFetch],
    ["FetchTransport.layer", FetchTransport.layer]
  ] as const
  for (const [name, transport] of transports) {
    it.scopedLive(`${name}: errors, causes, exits, rejections, spans and logs carry no credential or Teams token`, () =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const { url } = yield* brokenAfterHeaders(seen)
        const clients = [
          CommunicationIdentityClient.fromConnectionString(Redacted.make(`endpoint=${url}/;accesskey=${accessKey}`)),
          CommunicationIdentityClient.layer({ endpoint: url }).pipe(
            Layer.provide(EntraCredential.layer(Effect.succeed(Redacted.make(entraToken))))
          )
        ]
        const recording: Recording = { lines: [] }
        const logged: Array<string> = []
        const loggers = Layer.mergeAll(
          recorderLayer(recording),
          Logger.replace(
            Logger.defaultLogger,
            Logger.zip(Logger.zip(Logger.jsonLogger, Logger.logfmtLogger), Logger.structuredLogger).pipe(
              Logger.map((lines) => void logged.push(inspect(lines, { depth: Infinity })))
            )
          ),
          Logger.minimumLogLevel(LogLevel.All)
        )
        const printed: Array<string> = []
        for (const client of clients) {
          const runtime = yield* Layer.toRuntime(Layer.provideMerge(client, transport))
          for (
            const call of [
              (c: CommunicationIdentityClient["Type"]) => c.getToken(user, ["chat"]),
              (c: CommunicationIdentityClient["Type"]) =>
                c.getTokenForTeamsUser({ teamsUserAadToken: teamsToken, clientId: appId, userObjectId: oid })
            ]
          ) {
            const program = Effect.flatMap(CommunicationIdentityClient, call).pipe(
              withRequestPolicy({ maxRetries: 1, baseDelay: "1 millis" }),
              Effect.tapErrorCause((cause) => Effect.logError("the call failed", cause)),
              Effect.provide(loggers)
            )
            const exit = yield* Effect.promise(() => Runtime.runPromiseExit(runtime)(program))
            const rejection = yield* Effect.promise(() =>
              Runtime.runPromise(runtime)(program).then(() => undefined, (e: unknown) => e)
            )
            assert.isTrue(Exit.isFailure(exit))
            const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
            assert.strictEqual((error as { _tag?: string })._tag, "TransportError")
            assert.isDefined((error as { cause?: unknown }).cause, "the sanitized cause is kept")
            printed.push(...printings(exit, rejection))
          }
        }
        const sent = seen.filter((value) => value.length > 0)
        assert.isTrue(sent.some((value) => value.includes(teamsToken)), "the Teams token was really sent")
        assert.isTrue(sent.some((value) => value.includes(entraToken)), "the Entra token was really sent")
        const haystack = [...printed, ...logged, ...recording.lines].join("\n")
        const leaked = [...secrets, ...sent.filter((value) => value.startsWith("HMAC") || value.startsWith("Bearer"))]
          .filter((secret) => haystack.includes(secret))
        assert.deepStrictEqual(leaked, [])
        assert.match(haystack, /the (response body|request) could not be (read|completed)/)
      }))
  }
})
