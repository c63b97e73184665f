import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Layer, Redacted, Ref, TestClock, TestServices } from "effect"
import { CommunicationIdentityClient, EntraCredential } from "../src/index.js"
import { ScriptedTransport } from "./utils/ScriptedTransport.js"

const user = { communicationUserId: "8:acs:r_u" }

const clientWith = <E>(
  token: Effect.Effect<Redacted.Redacted<string> | string | EntraCredential.EntraAccessToken | null, E>
) =>
  CommunicationIdentityClient.layer({ endpoint: "https://contoso.communication.azure.com", policy: { maxRetries: 0 } })
    .pipe(Layer.provide(EntraCredential.layer(token)), Layer.provideMerge(ScriptedTransport.layer))

describe("Entra ID bearer credential", () => {
  it.effect("sends Authorization: Bearer from the token effect, run for each request, and no HMAC headers", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const token = Ref.updateAndGet(calls, (n) => n + 1).pipe(Effect.map((n) => Redacted.make(`entra-${n}`)))
      yield* Effect.gen(function*() {
        const t = yield* ScriptedTransport
        const client = yield* CommunicationIdentityClient
        t.reply({ status: 204 }, { status: 204 })
        yield* client.revokeTokens(user)
        yield* client.deleteUser(user)
        assert.deepStrictEqual(t.sent.map((s) => s.headers["authorization"]), ["Bearer entra-1", "Bearer entra-2"])
        assert.isUndefined(t.sent[0]!.headers["x-ms-content-sha256"])
        assert.isUndefined(t.sent[0]!.headers["x-ms-date"])
      }).pipe(Effect.provide(clientWith(token)))
    }))

  it.effect("a failing or empty token source is a CredentialError, and nothing is sent", () =>
    Effect.gen(function*() {
      for (const source of [Effect.fail("msal exploded"), Effect.succeed("")]) {
        yield* Effect.gen(function*() {
          const t = yield* ScriptedTransport
          const client = yield* CommunicationIdentityClient
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          assert.strictEqual(error._tag, "CredentialError")
          assert.strictEqual(t.sent.length, 0)
        }).pipe(Effect.provide(clientWith(source)))
      }
    }))

  it("asks for the documented scope", () => {
    assert.strictEqual(EntraCredential.scope, "https://communication.azure.com//.default")
  })
})

describe("Entra tokens cached by expiry (TestClock)", () => {
  const minutes = (n: number) => n * 60_000
  const tokenResponse = {
    status: 200,
    body: { token: "eyJ0eXAiOiJKV1QifQ.e30.c2ln", expiresOn: "2030-01-01T00:00:00Z" }
  }

  /** A token source that counts its calls and hands out tokens living `lifetime` from now. */
  const counting = (lifetime: number, refreshAfter?: number) =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const source = Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(calls, (k) => k + 1)
        const now = yield* Clock.currentTimeMillis
        return {
          token: `entra-${n}`,
          expiresOnTimestamp: now + lifetime,
          ...(refreshAfter === undefined ? {} : { refreshAfterTimestamp: now + refreshAfter })
        }
      })
      return { calls, source }
    })

  const withClient = <A, E, E2>(
    source: Effect.Effect<EntraCredential.EntraAccessToken | string | null, E2>,
    f: (client: CommunicationIdentityClient["Type"], t: ScriptedTransport["Type"]) => Effect.Effect<A, E>
  ) =>
    Effect.gen(function*() {
      return yield* f(yield* CommunicationIdentityClient, yield* ScriptedTransport)
    }).pipe(Effect.provide(clientWith(source as Effect.Effect<string, E2>)))

  it.effect("a token is reused until 2 minutes before it expires, then refreshed once", () =>
    Effect.gen(function*() {
      const { calls, source } = yield* counting(minutes(60))
      yield* withClient(source, (client, t) =>
        Effect.gen(function*() {
          for (let i = 0; i < 4; i++) t.reply({ status: 204 })
          yield* client.revokeTokens(user)
          yield* TestClock.adjust(minutes(57))
          yield* client.revokeTokens(user)
          assert.strictEqual(yield* Ref.get(calls), 1)
          yield* TestClock.adjust(minutes(1.5))
          yield* client.revokeTokens(user)
          yield* client.revokeTokens(user)
          assert.strictEqual(yield* Ref.get(calls), 2)
          assert.deepStrictEqual(t.sent.map((s) => s.headers["authorization"]), [
            "Bearer entra-1",
            "Bearer entra-1",
            "Bearer entra-2",
            "Bearer entra-2"
          ])
        }))
    }))

  it.effect("a held token signs in place (signNow) until it is due; none held, due, or uncached needs sign", () =>
    Effect.gen(function*() {
      const { calls, source } = yield* counting(minutes(60))
      const signer = yield* EntraCredential.make(source)
      const request = {
        method: "GET",
        url: new URL("https://contoso.communication.azure.com/x"),
        body: new Uint8Array()
      }
      const now = yield* Clock.currentTimeMillis
      assert.isUndefined(signer.signNow?.(request, now), "nothing held yet")
      assert.deepStrictEqual(yield* signer.sign(request), { authorization: "Bearer entra-1" })
      assert.deepStrictEqual(signer.signNow?.(request, now + minutes(57)), { authorization: "Bearer entra-1" })
      assert.isUndefined(signer.signNow?.(request, now + minutes(58.5)), "due for a refresh")
      yield* signer.invalidate!
      assert.isUndefined(signer.signNow?.(request, now), "dropped after a 401")
      assert.strictEqual(yield* Ref.get(calls), 1)
      const uncached = yield* EntraCredential.make(source, { cache: false })
      yield* uncached.sign(request)
      assert.isUndefined(uncached.signNow?.(request, now))
    }))

  it.effect("refreshAfterTimestamp is honoured, and concurrent calls share one refresh", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const slow = Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(calls, (k) => k + 1)
        yield* Effect.sleep("1 second")
        const now = yield* Clock.currentTimeMillis
        return { token: `entra-${n}`, expiresOnTimestamp: now + minutes(60), refreshAfterTimestamp: now + minutes(10) }
      })
      yield* withClient(slow, (client, t) =>
        Effect.gen(function*() {
          for (let i = 0; i < 20; i++) t.reply({ status: 204 })
          const fiber = yield* Effect.fork(Effect.all(Array.from({ length: 10 }, () => client.revokeTokens(user)), {
            concurrency: "unbounded"
          }))
          yield* TestClock.adjust("1 second")
          yield* fiber.await
          assert.strictEqual(yield* Ref.get(calls), 1)
          yield* TestClock.adjust(minutes(11))
          const again = yield* Effect.fork(Effect.all(Array.from({ length: 10 }, () => client.revokeTokens(user)), {
            concurrency: "unbounded"
          }))
          yield* TestClock.adjust("1 second")
          yield* again.await
          assert.strictEqual(yield* Ref.get(calls), 2)
          assert.strictEqual(t.sent.length, 20)
        }))
    }))

  it.effect("a failed refresh keeps serving a valid token; after expiry it fails and sends nothing", () =>
    Effect.gen(function*() {
      const healthy = yield* Ref.make(true)
      const calls = yield* Ref.make(0)
      const source = Effect.gen(function*() {
        yield* Ref.update(calls, (n) => n + 1)
        if (!(yield* Ref.get(healthy))) return yield* Effect.fail("the identity endpoint is down")
        return { token: "entra-ok", expiresOnTimestamp: (yield* Clock.currentTimeMillis) + minutes(60) }
      })
      yield* withClient(source, (client, t) =>
        Effect.gen(function*() {
          for (let i = 0; i < 3; i++) t.reply({ status: 204 })
          yield* client.revokeTokens(user)
          yield* Ref.set(healthy, false)
          yield* TestClock.adjust(minutes(59))
          yield* client.revokeTokens(user)
          assert.strictEqual(yield* Ref.get(calls), 2, "the refresh was tried")
          assert.strictEqual(t.sent[1]!.headers["authorization"], "Bearer entra-ok")
          yield* TestClock.adjust(minutes(2))
          const error = yield* Effect.flip(client.revokeTokens(user))
          assert.strictEqual(error._tag, "CredentialError")
          assert.strictEqual(t.sent.length, 2, "an expired token is never sent")
        }))
    }))

  it.effect("null, empty, expired or header-breaking tokens are CredentialErrors before sending", () =>
    Effect.gen(function*() {
      const bad: ReadonlyArray<EntraCredential.EntraAccessToken | string | null> = [
        null,
        "",
        { token: "", expiresOnTimestamp: minutes(60) },
        { token: "entra-old", expiresOnTimestamp: -1 },
        { token: "a\r\nb", expiresOnTimestamp: minutes(60) }
      ]
      for (const value of bad) {
        yield* withClient(Effect.succeed(value), (client, t) =>
          Effect.gen(function*() {
            const error = yield* Effect.flip(client.revokeTokens(user))
            assert.strictEqual(error._tag, "CredentialError")
            assert.strictEqual(t.sent.length, 0)
          }))
      }
    }))

  it.effect("a 401 drops the cached token and retries once with a fresh one, never more", () =>
    Effect.gen(function*() {
      const { calls, source } = yield* counting(minutes(60))
      yield* withClient(source, (client, t) =>
        Effect.gen(function*() {
          t.reply(
            { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "revoked" } } },
            tokenResponse
          )
          const token = yield* client.getToken(user, ["chat"])
          assert.instanceOf(token.expiresOn, Date)
          assert.deepStrictEqual(t.sent.map((s) => s.headers["authorization"]), ["Bearer entra-1", "Bearer entra-2"])
          t.reply(
            { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "no" } } },
            { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "still no" } } },
            tokenResponse
          )
          const error = yield* Effect.flip(client.getToken(user, ["chat"]))
          assert.strictEqual(error._tag, "AuthenticationError")
          assert.strictEqual(t.sent.length, 4, "one retry after the 401, not more")
          assert.strictEqual(yield* Ref.get(calls), 3, "one fresh token per 401, once per call")
        }))
    }))

  it.effect("a 401 is not sent again when the source has no other token than the one refused", () =>
    Effect.gen(function*() {
      const calls = yield* Ref.make(0)
      const source = Effect.as(Ref.update(calls, (k) => k + 1), {
        token: "entra-only",
        expiresOnTimestamp: minutes(60)
      })
      yield* withClient(source, (client, t) =>
        Effect.gen(function*() {
          t.reply({ status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "revoked" } } })
          const error = yield* Effect.flip(client.revokeTokens(user))
          assert.strictEqual(error._tag, "AuthenticationError")
          assert.strictEqual(t.sent.length, 1, "the same token is not sent twice")
          assert.strictEqual(yield* Ref.get(calls), 2, "the source was asked again after the 401")
        }))
    }))

  it.effect("an Azure TokenCredential is asked for the scope, cached, and aborted when the call is interrupted", () =>
    Effect.gen(function*() {
      const asked: Array<ReadonlyArray<string> | string> = []
      let aborted = 0
      let hang = false
      const credential: EntraCredential.TokenCredential = {
        getToken: (scopes, options) => {
          asked.push(scopes)
          if (hang) {
            return new Promise(() => {
              options?.abortSignal?.addEventListener("abort", () => aborted++)
            })
          }
          return Promise.resolve({ token: "azure-identity-token", expiresOnTimestamp: Date.now() + minutes(60) })
        }
      }
      yield* Effect.gen(function*() {
        const t = yield* ScriptedTransport
        const client = yield* CommunicationIdentityClient
        t.reply({ status: 204 }, { status: 204 })
        yield* client.revokeTokens(user)
        yield* client.revokeTokens(user)
        assert.strictEqual(asked.length, 1)
        assert.deepStrictEqual(asked[0], [EntraCredential.scope])
        assert.strictEqual(t.sent[1]!.headers["authorization"], "Bearer azure-identity-token")
      }).pipe(
        Effect.provide(
          CommunicationIdentityClient.layerEntra({
            endpoint: "https://contoso.communication.azure.com",
            credential
          }).pipe(Layer.provideMerge(ScriptedTransport.layer))
        )
      )
      hang = true
      yield* Effect.gen(function*() {
        const client = yield* CommunicationIdentityClient
        const fiber = yield* Effect.fork(client.revokeTokens(user))
        yield* Effect.sleep("10 millis")
        yield* Fiber.interrupt(fiber)
        assert.strictEqual(aborted, 1)
      }).pipe(
        Effect.provide(
          CommunicationIdentityClient.layerEntra({ endpoint: "https://contoso.communication.azure.com", credential })
            .pipe(Layer.provideMerge(ScriptedTransport.layer))
        ),
        TestServices.provideLive
      )
    }))
})
