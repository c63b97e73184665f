import { ChatClient } from "@azure/communication-chat"
import type { CommunicationTokenCredential as OfficialInterface } from "@azure/communication-common"
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Layer, Ref } from "effect"
import * as Fs from "node:fs"
import * as Https from "node:https"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import {
  CommunicationTokenCredential,
  CredentialError,
  layerRefreshing,
  layerStatic,
  OfficialCredential,
  type TokenInput
} from "../src/index.js"
import { jwt } from "./utils/tokens.js"

/** An https stub of the chat service that answers 204 and records each request's Authorization header. */
const chatStub = Effect.gen(function*() {
  const fixture = (name: string) => Fs.readFileSync(Path.join(import.meta.dirname, "../../../test/fixtures", name))
  const cert = fixture("loopback-cert.pem")
  const key = fixture("loopback-key.pem")
  const authorizations: Array<string | undefined> = []
  const server = yield* Effect.acquireRelease(
    Effect.async<Https.Server>((resume) => {
      const server = Https.createServer({ cert, key }, (request, response) => {
        authorizations.push(request.headers.authorization)
        request.resume()
        response.writeHead(204).end()
      })
      server.listen(0, "127.0.0.1", () => {
        resume(Effect.succeed(server))
      })
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { authorizations, cert, endpoint }
})

/** An `AbortSignalLike` of the `@azure/abort-controller` v1 kind: no `reason`. */
class ReasonlessSignal implements OfficialCredential.AbortSignalLike {
  aborted = false
  private readonly listeners = new Set<() => void>()
  addEventListener(_type: "abort", listener: () => void) {
    this.listeners.add(listener)
  }
  removeEventListener(_type: "abort", listener: () => void) {
    this.listeners.delete(listener)
  }
  abort() {
    this.aborted = true
    for (const listener of this.listeners) listener()
  }
}

/** What a `getToken` promise settles to: the token, or the rejection reason. */
const settled = (promise: Promise<OfficialCredential.OfficialAccessToken>) =>
  Effect.promise(() => promise.then((token) => ({ token }), (error: unknown) => ({ error })))

/** A settled outcome, for assertion messages. */
const show = (outcome: { readonly error: unknown } | { readonly token: unknown }) =>
  "error" in outcome ? `rejected with ${String(outcome.error)}` : "resolved"

const isAbortError = (value: unknown) => value instanceof Error && value.name === "AbortError"

const official = (credential: OfficialCredential.OfficialTokenCredential) =>
  Effect.acquireRelease(Effect.succeed(credential), (c) => Effect.sync(() => c.dispose()))

describe("official-interface adapter", () => {
  it.scopedLive("the official chat client sends our token as bearer, and a refreshed one after a refresh", () =>
    Effect.gen(function*() {
      const stub = yield* chatStub
      const issued = yield* Ref.make<Array<string>>([])
      // Tokens live 2 s: the chat client's own cycler asks the credential again within 1 s of expiry,
      // and ours is due after half the lifetime, so the second call carries a refreshed token.
      const refresh = Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const token = `opaque-${now}`
        yield* Ref.update(issued, (all) => [...all, token])
        return { token, expiresOn: new Date(now + 2_000) }
      })
      const credential: OfficialInterface = yield* official(OfficialCredential.fromLayer(layerRefreshing({ refresh })))
      const chat = new ChatClient(stub.endpoint, credential, {
        tlsOptions: { ca: stub.cert },
        retryOptions: { maxRetries: 0 }
      })
      yield* Effect.promise(() => chat.deleteChatThread("19:thread-1@thread.v2"))
      yield* Effect.sleep("1500 millis")
      yield* Effect.promise(() => chat.deleteChatThread("19:thread-1@thread.v2"))
      const tokens = yield* Ref.get(issued)
      assert.strictEqual(tokens.length, 2)
      assert.deepStrictEqual(stub.authorizations, tokens.map((t) => `Bearer ${t}`))
    }))

  it.scoped("getToken gives the raw token and epoch expiry; dispose makes later calls reject with Disposed", () =>
    Effect.gen(function*() {
      const token = jwt(4_000_000_000)
      const credential = OfficialCredential.fromLayer(layerStatic(token))
      const got = yield* Effect.promise(() => credential.getToken())
      assert.deepStrictEqual(got, { token, expiresOnTimestamp: 4_000_000_000_000 })
      credential.dispose()
      const error = yield* Effect.promise(() => credential.getToken().then(() => undefined, (e: unknown) => e))
      assert.instanceOf(error, CredentialError)
      assert.strictEqual((error as CredentialError).reason, "Disposed")
    }))

  it.scoped("failures reject with the CredentialError itself, aborts with the signal's reason", () =>
    Effect.gen(function*() {
      const failing = yield* official(OfficialCredential.fromLayer(layerRefreshing({ refresh: Effect.fail("down") })))
      const error = yield* Effect.promise(() => failing.getToken().then(() => undefined, (e: unknown) => e))
      assert.instanceOf(error, CredentialError)
      assert.strictEqual((error as CredentialError).reason, "RefreshFailed")

      const badBuild = yield* official(OfficialCredential.fromLayer(layerStatic("")))
      const buildError = yield* Effect.promise(() => badBuild.getToken().then(() => undefined, (e: unknown) => e))
      assert.strictEqual((buildError as CredentialError).reason, "InvalidToken")

      const hanging = yield* official(OfficialCredential.fromLayer(layerRefreshing({ refresh: Effect.never })))
      const controller = new AbortController()
      const pending = hanging.getToken({ abortSignal: controller.signal }).then(() => undefined, (e: unknown) => e)
      controller.abort()
      const aborted = yield* Effect.promise(() => pending)
      assert.strictEqual(aborted, controller.signal.reason)
      assert.strictEqual((aborted as DOMException).name, "AbortError")
    }))

  it.scoped("a refresher returning null rejects with the CredentialError, not a TypeError", () =>
    Effect.gen(function*() {
      const credential = yield* official(
        OfficialCredential.fromLayer(layerRefreshing({ refresh: Effect.succeed(null as unknown as TokenInput) }))
      )
      const outcome = yield* settled(credential.getToken())
      assert.isTrue("error" in outcome && outcome.error instanceof CredentialError, show(outcome))
      assert.strictEqual((outcome as { error: CredentialError }).error.reason, "InvalidToken")
    }))

  it.scopedLive("a signal without reason, aborted before or during a refresh, rejects with an AbortError", () =>
    Effect.gen(function*() {
      const hanging = yield* official(OfficialCredential.fromLayer(layerRefreshing({ refresh: Effect.never })))
      const before = new ReasonlessSignal()
      before.abort()
      const early = yield* settled(hanging.getToken({ abortSignal: before }))
      assert.isTrue("error" in early && isAbortError(early.error), show(early))

      const during = new ReasonlessSignal()
      const pending = hanging.getToken({ abortSignal: during })
      yield* Effect.sleep("50 millis")
      during.abort()
      const late = yield* settled(pending)
      assert.isTrue("error" in late && isAbortError(late.error), show(late))
    }))

  it.scopedLive("dispose during a build that never finishes rejects callers before and after it with Disposed", () =>
    Effect.gen(function*() {
      const neverBuilt = Layer.effect(CommunicationTokenCredential, Effect.never)
      const credential = OfficialCredential.fromLayer(neverBuilt)
      const waiting = credential.getToken()
      yield* Effect.sleep("50 millis")
      credential.dispose()
      const after = credential.getToken()
      const outcomes = yield* Effect.all([settled(waiting), settled(after)]).pipe(Effect.timeout("1 second"))
      for (const outcome of outcomes) {
        assert.isTrue("error" in outcome && outcome.error instanceof CredentialError, show(outcome))
        assert.strictEqual((outcome as { error: CredentialError }).error.reason, "Disposed")
      }
    }))
})
