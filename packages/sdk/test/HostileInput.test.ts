import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
import * as fc from "fast-check"
import {
  CommunicationIdentityClient,
  createIdentifierFromRawId,
  getIdentifierRawId,
  type TokenScope
} from "../src/index.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="
const layer = (apiVersion: "2025-06-30" | "2025-03-02-preview" = "2025-06-30") =>
  CommunicationIdentityClient.fromConnectionString(
    Redacted.make(`endpoint=https://contoso.communication.azure.com/;accesskey=${key}`),
    { apiVersion, policy: { maxRetries: 0 } }
  ).pipe(Layer.provideMerge(ScriptedTransport.layer))

const token = { token: "a.b.c", expiresOn: "2030-01-01T00:00:00Z" }
const validScopes = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]

/** Runs an effect against a fresh scripted client and returns its exit, never throwing. */
const exitOf = <A, E>(
  f: (client: CommunicationIdentityClient["Type"], t: ScriptedTransport["Type"]) => Effect.Effect<A, E>,
  apiVersion?: "2025-06-30" | "2025-03-02-preview"
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
