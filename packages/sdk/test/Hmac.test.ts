import { assert, beforeAll, describe, it, vi } from "@effect/vitest"
import { Effect, Redacted, TestClock } from "effect"
import * as fc from "fast-check"
import { createHash, createHmac } from "node:crypto"
import { HmacCredential, RequestSigner } from "../src/index.js"
import * as Hmac from "../src/internal/hmac.js"

/** An independent implementation on node:crypto, to cross-check the Web Crypto one. */
const reference = (key: string, method: string, url: URL, date: string, body: string) => {
  const hash = createHash("sha256").update(body, "utf8").digest("base64")
  const message = `${method}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`
  return { hash, signature: createHmac("sha256", Buffer.from(key, "base64")).update(message, "utf8").digest("base64") }
}

type Engine = "node:crypto" | "webcrypto"

/**
 * The module as a runtime without `node:crypto` (a browser, a Worker) loads it: a fresh copy
 * imported while `process.getBuiltinModule` is absent, so it signs with Web Crypto.
 */
let webcrypto: typeof Hmac
beforeAll(async () => {
  vi.resetModules()
  vi.stubGlobal("process", { ...process, getBuiltinModule: undefined })
  try {
    webcrypto = await import("../src/internal/hmac.js")
  } finally {
    vi.unstubAllGlobals()
  }
})

const sign = (key: string, method: string, url: string, date: string, body: string, engine?: Engine) =>
  Effect.gen(function*() {
    const module = engine === "webcrypto" ? webcrypto : Hmac
    const hash = yield* module.contentHash(new TextEncoder().encode(body))
    const cryptoKey = yield* module.importHmacKey(Hmac.decodeAccessKey(key)!)
    const signature = yield* module.hmacSignature(
      cryptoKey,
      Hmac.requestStringToSign({ method, url: new URL(url), body: new Uint8Array() }, date, hash)
    )
    return { hash, signature }
  })

const acsKey = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="

describe("HMAC-SHA256 signing", () => {
  it.effect("signs with node:crypto on Node, and with Web Crypto where the runtime has no node:crypto", () =>
    Effect.gen(function*() {
      const key = Hmac.decodeAccessKey(acsKey)!
      assert.isUndefined((yield* Hmac.importHmacKey(key)).webKey)
      assert.isDefined((yield* webcrypto.importHmacKey(key)).webKey)
    }))

  it.effect("matches the official SDK's public vectors, on both engines", () =>
    Effect.forEach(["node:crypto", "webcrypto"] as const, (engine) =>
      Effect.gen(function*() {
        const date = "Wed, 13 Apr 2022 18:09:12 GMT"
        const withQuery = yield* sign("pw==", "GET", "https://example.com/testPath?testQuery=test", date, "", engine)
        assert.strictEqual(withQuery.signature, "DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=")
        const noQuery = yield* sign("pw==", "GET", "https://example.com/testPath", date, "", engine)
        assert.strictEqual(noQuery.signature, "+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=")
        const post = yield* sign(
          acsKey,
          "POST",
          "https://contoso.communication.azure.com/identities?api-version=2023-10-01",
          "Mon, 01 Jan 2024 00:00:00 GMT",
          "{\"createTokenWithScopes\":[\"chat\"]}",
          engine
        )
        assert.strictEqual(post.signature, "OPQDi2EsRMTXV8xbmmUgngFMO3zjWdchh+xwH2hp7m0=")
      })))

  it.effect("matches the POST and encoded-id DELETE vectors of api-facts", () =>
    Effect.gen(function*() {
      const date = "Mon, 01 Jan 2024 00:00:00 GMT"
      const post = yield* sign(
        acsKey,
        "POST",
        "https://contoso.communication.azure.com/identities?api-version=2023-10-01",
        date,
        "{\"createTokenWithScopes\":[\"chat\"]}"
      )
      assert.strictEqual(post.hash, "WTRvgEjjVd+bvyKw3WgXgDkU81aV8FWq+4/BE+he0+A=")
      assert.strictEqual(post.signature, "OPQDi2EsRMTXV8xbmmUgngFMO3zjWdchh+xwH2hp7m0=")
      const del = yield* sign(
        acsKey,
        "DELETE",
        "https://contoso.communication.azure.com/identities/8%3Aacs%3A2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081?api-version=2023-10-01",
        date,
        ""
      )
      assert.strictEqual(del.hash, Hmac.emptyContentHash)
      assert.strictEqual(del.signature, "dxjZhe2ggbR0iX2VGRBHXhcQtRkQEMUFdXFv9aNEBVY=")
    }))

  it.effect("signs a non-default port as host:port, once (not the official JS host:port:port bug)", () =>
    Effect.gen(function*() {
      const url = "http://127.0.0.1:4010/identities/8%3Aacs%3Ar_u/:issueAccessToken?api-version=2025-06-30"
      const body = "{\"scopes\":[\"chat\",\"voip\"],\"expiresInMinutes\":60}"
      const date = "Tue, 02 Jan 2024 03:04:05 GMT"
      const ours = yield* sign(acsKey, "POST", url, date, body)
      assert.deepStrictEqual(ours, reference(acsKey, "POST", new URL(url), date, body))
      assert.strictEqual(
        Hmac.requestStringToSign({ method: "POST", url: new URL(url), body: new Uint8Array() }, date, ours.hash).split(
          "\n"
        )[2],
        `${date};127.0.0.1:4010;${ours.hash}`
      )
    }))

  it.effect("Web Crypto agrees with node:crypto for any body, path and key", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          fc.string(),
          fc.webPath(),
          async (keyBytes, body, path) => {
            const key = Buffer.from(keyBytes).toString("base64")
            const url = `https://r.communication.azure.com${
              path.startsWith("/") ? path : `/${path}`
            }?api-version=2025-06-30`
            const date = "Mon, 01 Jan 2024 00:00:00 GMT"
            const ours = await Effect.runPromise(sign(key, "POST", url, date, body, "webcrypto"))
            assert.deepStrictEqual(ours, reference(key, "POST", new URL(url), date, body))
          }
        ),
        { numRuns: 100 }
      )
    ))

  it.effect("the signer layer stamps x-ms-date from the Clock and signs each request", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2024, 0, 1))
      const signer = yield* RequestSigner
      const url = new URL("https://contoso.communication.azure.com/identities?api-version=2023-10-01")
      const headers = yield* signer.sign({
        method: "POST",
        url,
        body: new TextEncoder().encode("{\"createTokenWithScopes\":[\"chat\"]}")
      })
      assert.deepStrictEqual(headers, {
        "x-ms-date": "Mon, 01 Jan 2024 00:00:00 GMT",
        "x-ms-content-sha256": "WTRvgEjjVd+bvyKw3WgXgDkU81aV8FWq+4/BE+he0+A=",
        authorization:
          "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=OPQDi2EsRMTXV8xbmmUgngFMO3zjWdchh+xwH2hp7m0="
      })
      yield* TestClock.adjust("1 second")
      const later = yield* signer.sign({ method: "POST", url, body: new Uint8Array() })
      assert.strictEqual(later["x-ms-date"], "Mon, 01 Jan 2024 00:00:01 GMT")
    }).pipe(Effect.provide(HmacCredential.layer(Redacted.make(acsKey)))))

  it.effect("rejects a key that is not base64 without echoing it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(HmacCredential.make(Redacted.make("not base64 !!secret-part")))
      assert.strictEqual(error._tag, "InvalidArgumentError")
      assert.notInclude(error.message, "secret-part")
    }))
})
