import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import * as fc from "fast-check"
import type { ApiVersion } from "../src/index.js"
import {
  CommunicationIdentityClient,
  createIdentifierFromRawId,
  getIdentifierRawId,
  RequestSigner,
  type TokenScope,
  withRequestPolicy
} from "../src/index.js"
import { operations } from "../src/Operations.js"
import { InMemoryIdentity } from "../src/testing/index.js"
import * as TokenExchange from "../src/TokenExchange.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="
const layer = (apiVersion: ApiVersion.ApiVersion = "2025-06-30") =>
  CommunicationIdentityClient.fromConnectionString(
    Redacted.make(`endpoint=https://contoso.communication.azure.com/;accesskey=${key}`),
    { apiVersion, policy: { maxRetries: 0 } }
  ).pipe(Layer.provideMerge(ScriptedTransport.layer))

const token = { token: "a.b.c", expiresOn: "2030-01-01T00:00:00Z" }
const validScopes = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]

/** Runs an effect against a fresh scripted client and returns its exit, never throwing. */
const exitOf = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], t: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  apiVersion?: ApiVersion.ApiVersion
) =>
  Effect.runPromiseExit(
    Effect.gen(function*() {
      return yield* f(yield* CommunicationIdentityClient, yield* ScriptedTransport)
    }).pipe(Effect.provide(layer(apiVersion)))
  )

const noDefect = <A, E>(exit: Exit.Exit<A, E>) => {
  if (Exit.isFailure(exit)) {
    assert.isTrue(Cause.isFailType(exit.cause), `expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  }
}

describe("hostile input never becomes a defect", () => {
  it("scopes and expiry: accepted exactly when valid, rejected before sending otherwise", () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...validScopes), fc.string()), { maxLength: 6 }),
        fc.oneof(fc.integer({ min: -10, max: 3000 }), fc.double(), fc.constant(undefined)),
        async (scopes, expiresInMinutes) => {
          let sent = 0
          const exit = await exitOf((client, t) =>
            Effect.gen(function*() {
              t.reply({ status: 200, body: token })
              const options = expiresInMinutes === undefined ? {} : { expiresInMinutes }
              return yield* client.getToken({ communicationUserId: "8:acs:r_u" }, scopes as Array<TokenScope>, options)
            }).pipe(Effect.ensuring(Effect.sync(() => (sent = t.sent.length))))
          )
          noDefect(exit)
          const valid = scopes.length > 0 && scopes.every((s) => validScopes.includes(s)) &&
            (expiresInMinutes === undefined ||
              (Number.isInteger(expiresInMinutes) && expiresInMinutes >= 60 && expiresInMinutes <= 1440))
          assert.strictEqual(Exit.isSuccess(exit), valid)
          assert.strictEqual(sent, valid ? 1 : 0)
          if (!valid && Exit.isFailure(exit)) {
            assert.strictEqual(
              Cause.failureOption(exit.cause).pipe((o) => o._tag === "Some" ? o.value._tag : ""),
              "InvalidArgumentError"
            )
          }
        }
      ),
      { numRuns: 200 }
    ))

  it("custom ids: 1..256 characters accepted on the preview, anything else rejected", () =>
    fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.constant("x".repeat(257))), async (customId) => {
        const exit = await exitOf((client, t) =>
          Effect.gen(function*() {
            t.reply({ status: 201, body: { identity: { id: "8:acs:r_u", customId } } })
            return yield* client.createUser({ customId })
          }), "2025-03-02-preview")
        noDefect(exit)
        assert.strictEqual(Exit.isSuccess(exit), customId.length >= 1 && customId.length <= 256)
      }),
      { numRuns: 150 }
    ))

  it("raw ids: any string parses, and any id is sent as one encoded path segment", () =>
    fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom(".", "..", "%2e", "./..")),
        async (rawId) => {
          assert.strictEqual(getIdentifierRawId(createIdentifierFromRawId(rawId)), rawId)
          let url = ""
          const exit = await exitOf((client, t) =>
            Effect.gen(function*() {
              t.reply({ status: 204 })
              yield* client.deleteUser({ communicationUserId: rawId })
              url = t.sent[0]!.url
            })
          )
          noDefect(exit)
          if (rawId === "." || rawId === "..") {
            assert.isTrue(Exit.isFailure(exit), "a dot segment would address another resource")
            assert.strictEqual(url, "", "nothing was sent")
            return
          }
          assert.isTrue(Exit.isSuccess(exit))
          const path = new URL(url).pathname
          assert.strictEqual(path, `/identities/${encodeURIComponent(rawId)}`)
          assert.strictEqual(decodeURIComponent(path.split("/")[2]!), rawId)
        }
      ),
      { numRuns: 200 }
    ))

  it("any response status and body ends in a value or a typed error", () =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 599 }).filter((s) => s !== 101 && s >= 200),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.constant(JSON.stringify(token)),
          fc.constant("{\"token\":\"a\",\"expiresOn\":"),
          fc.constant("")
        ),
        async (status, body) => {
          const exit = await exitOf((client, t) =>
            Effect.gen(function*() {
              t.reply(status === 204 || status === 205 || status === 304 ? { status } : { status, body })
              return yield* client.getToken({ communicationUserId: "8:acs:r_u" }, ["chat"])
            })
          )
          noDefect(exit)
        }
      ),
      { numRuns: 300 }
    ))

  it.effect("an oversized success body is read with a bound and rejected", () =>
    Effect.gen(function*() {
      const t = yield* ScriptedTransport
      const client = yield* CommunicationIdentityClient
      t.reply({ status: 200, body: { token: "x".repeat(2 * 1024 * 1024), expiresOn: "2030-01-01T00:00:00Z" } })
      const error = yield* Effect.flip(client.getToken({ communicationUserId: "8:acs:r_u" }, ["chat"]))
      assert.strictEqual(error._tag, "UnexpectedResponseError")
      assert.include(error.message, "larger than")
    }).pipe(Effect.provide(layer())))
})

type Client = CommunicationIdentityClient["Type"]

/** An object each of whose fields throws when read. */
const throwingGetters = (): object => {
  const value = {}
  for (
    const name of [
      "communicationUserId",
      "customId",
      "expiresInMinutes",
      "teamsUserAadToken",
      "clientId",
      "userObjectId",
      "tenantId",
      "objectId",
      "principalType",
      "clientIds"
    ]
  ) {
    Object.defineProperty(value, name, {
      enumerable: true,
      get: () => {
        throw new Error("a getter threw")
      }
    })
  }
  return value
}

/** A Proxy every trap of which throws. */
const throwingProxy = (): object => {
  const trap = () => {
    throw new Error("a trap threw")
  }
  return new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap })
}

const user = { communicationUserId: "8:acs:r_u" }

/** Every method, called with `bad` in the place of each argument a caller passes (`never`: any value). */
const callsWith = (
  bad: never
): ReadonlyArray<readonly [keyof typeof operations, (c: Client) => Effect.Effect<unknown, unknown>]> => [
  ["createIdentity", (c) => c.createUser(bad)],
  ["createIdentity", (c) => c.createUserAndToken(bad)],
  ["createIdentity", (c) => c.createUserAndToken(["chat"], bad)],
  ["issueAccessToken", (c) => c.getToken(bad, ["chat"])],
  ["issueAccessToken", (c) => c.getToken(user, bad)],
  ["issueAccessToken", (c) => c.getToken(user, ["chat"], bad)],
  ["revokeAccessTokens", (c) => c.revokeTokens(bad)],
  ["deleteIdentity", (c) => c.deleteUser(bad)],
  ["getIdentity", (c) => c.getUser(bad)],
  ["exchangeTeamsUserAccessToken", (c) => c.getTokenForTeamsUser(bad)],
  ["exchangeTeamsExtensionAccessToken", (c) => c.getTokenForTeamsExtensionUser(bad)],
  ["getTeamsExtensionAssignment", (c) => c.getTeamsExtensionAssignment(bad)],
  ["upsertTeamsExtensionAssignment", (c) => c.upsertTeamsExtensionAssignment(bad)],
  ["deleteTeamsExtensionAssignment", (c) => c.deleteTeamsExtensionAssignment(bad)],
  ["exchangeEntraAccessToken", (c) => c.getTokenForEntraUser(bad)],
  ["listEntraAssignments", (c) => c.listEntraAssignmentsPage(bad)],
  ["getEntraAssignment", (c) => c.getEntraAssignment(bad)],
  ["upsertEntraAssignment", (c) => c.upsertEntraAssignment(bad)],
  ["deleteEntraAssignment", (c) => c.deleteEntraAssignment(bad)],
  ["updateEntraAssignments", (c) => c.updateEntraAssignments(bad)]
]

/** The `InvalidArgumentError`'s argument a call failed with (over HTTP, nothing sent), or what else happened. */
const refusal = async (
  call: (c: Client) => Effect.Effect<unknown, unknown>,
  apiVersion: ApiVersion.ApiVersion
): Promise<string> => {
  let sent = -1
  const exit = await exitOf(
    (client, t) => call(client).pipe(Effect.ensuring(Effect.sync(() => (sent = t.sent.length)))),
    apiVersion
  )
  if (Exit.isSuccess(exit)) return "success"
  if (!Cause.isFailType(exit.cause)) return `a defect: ${Cause.pretty(exit.cause)}`
  const error = exit.cause.error as { readonly _tag: string; readonly argument?: string }
  if (sent !== 0) return `${error._tag} after ${sent} request(s)`
  return error._tag === "InvalidArgumentError" ? `argument ${error.argument}` : error._tag
}

/** The same call's outcome in memory. */
const refusalInMemory = (call: (c: Client) => Effect.Effect<unknown, unknown>, apiVersion: ApiVersion.ApiVersion) =>
  Effect.runPromise(
    Effect.flatMap(CommunicationIdentityClient, call).pipe(
      Effect.match({
        onSuccess: () => "success",
        onFailure: (error) => {
          const e = error as { readonly _tag: string; readonly argument?: string }
          return e._tag === "InvalidArgumentError" ? `argument ${e.argument}` : e._tag
        }
      }),
      Effect.catchAllDefect((defect) => Effect.succeed(`a defect: ${String(defect)}`)),
      Effect.provide(InMemoryIdentity.layer({ apiVersion }))
    )
  )

describe("arguments that cannot be read, or are not what they say", () => {
  for (const [kind, make] of [["throwing getters", throwingGetters], ["a throwing Proxy", throwingProxy]] as const) {
    it(`${kind} in any argument: InvalidArgumentError before sending, over HTTP and in memory alike`, async () => {
      for (const [id, call] of callsWith(make() as never)) {
        // Under an api-version that has the operation, so the refusal is the argument's, not the gate's.
        const apiVersion = operations[id].versions[0]!
        const overHttp = await refusal(call, apiVersion)
        assert.match(overHttp, /^argument /, `${id}: ${overHttp}`)
        assert.notStrictEqual(overHttp, "argument apiVersion", id)
        assert.strictEqual(await refusalInMemory(call, apiVersion), overHttp, id)
      }
    })
  }

  it("options that are not an object are refused, not ignored", async () => {
    for (const bad of [60, "alice", true, null]) {
      for (
        const call of [
          (c: Client) => c.getToken(user, ["chat"], bad as never),
          (c: Client) => c.createUser(bad as never),
          (c: Client) => c.createUserAndToken(["chat"], bad as never)
        ]
      ) {
        assert.strictEqual(await refusal(call, "2025-03-02-preview"), "argument options", String(bad))
        assert.strictEqual(await refusalInMemory(call, "2025-03-02-preview"), "argument options", String(bad))
      }
    }
  })

  it("a user id is at most 1,024 characters; a longer one is refused before sending", async () => {
    const at = (length: number) => ({ communicationUserId: "8:acs:" + "x".repeat(length - 6) })
    for (const call of [(c: Client) => c.deleteUser(at(1025)), (c: Client) => c.getToken(at(1025), ["chat"])]) {
      assert.strictEqual(await refusal(call, "2025-06-30"), "argument user")
      assert.strictEqual(await refusalInMemory(call, "2025-06-30"), "argument user")
    }
    const exit = await exitOf((client, t) =>
      Effect.gen(function*() {
        t.reply({ status: 204 })
        yield* client.deleteUser(at(1024))
        return t.sent.length
      })
    )
    assert.deepStrictEqual(exit, Exit.succeed(1))
  })

  it("client options that are not an object fail the layer with InvalidArgumentError, not a defect", async () => {
    const built = await Effect.runPromiseExit(
      CommunicationIdentityClient.pipe(
        Effect.provide(
          CommunicationIdentityClient.layer(undefined as never).pipe(
            Layer.provide(ScriptedTransport.layer),
            Layer.provide(Layer.succeed(RequestSigner, { sign: () => Effect.succeed({}) }))
          )
        )
      )
    )
    assert.isTrue(Exit.isFailure(built) && Cause.isFailType(built.cause), String(built))
    if (Exit.isFailure(built) && Cause.isFailType(built.cause)) {
      assert.strictEqual(built.cause.error._tag, "InvalidArgumentError")
    }
    const exchange = await Effect.runPromiseExit(
      TokenExchange.make(null as never).pipe(Effect.provide(ScriptedTransport.layer))
    )
    assert.isTrue(Exit.isFailure(exchange) && Cause.isFailType(exchange.cause), String(exchange))
  })

  it("a policy setting given as undefined keeps its default, per client and per call", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.gen(function*() {
        const t = yield* ScriptedTransport
        const client = yield* CommunicationIdentityClient
        t.reply({ status: 204 })
        yield* client.deleteUser(user).pipe(withRequestPolicy({ timeout: undefined, maxRetries: undefined } as never))
        return t.sent.length
      }).pipe(
        Effect.provide(
          CommunicationIdentityClient.fromConnectionString(
            Redacted.make(`endpoint=https://contoso.communication.azure.com/;accesskey=${key}`),
            { policy: { timeout: undefined, attemptTimeout: undefined } as never }
          ).pipe(Layer.provideMerge(ScriptedTransport.layer))
        )
      )
    )
    assert.deepStrictEqual(exit, Exit.succeed(1))
  })
})
