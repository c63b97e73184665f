/**
 * WHAT-IF replacement of packages/sdk/src/internal/hmac.ts for Node (bench only, never shipped):
 * the same exports computed synchronously with `node:crypto`, no Web Crypto promise hops. In the SDK
 * this would sit behind a `"node"` export condition, with Web Crypto as the default.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Crypto from "node:crypto"

/** Base64 SHA-256 of the empty body. */
export const emptyContentHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

/** Base64 SHA-256 of a request body: the `x-ms-content-sha256` header. */
export const contentHash = (body: Uint8Array): Effect.Effect<string, unknown> =>
  body.length === 0
    ? Effect.succeed(emptyContentHash)
    : Effect.sync(() => Crypto.createHash("sha256").update(body).digest("base64"))

/** Decodes a base64 access key to its raw bytes, or `undefined` when it is not base64 or empty. */
export const decodeAccessKey = (accessKey: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(accessKey) || accessKey.length % 4 !== 0) return undefined
  return Either.getOrUndefined(Encoding.decodeBase64(accessKey))
}

/** Imports raw key bytes as an HMAC-SHA256 signing key. */
export const importHmacKey = (key: Uint8Array): Effect.Effect<Crypto.KeyObject, unknown> =>
  Effect.sync(() => Crypto.createSecretKey(key))

/** The string the service signs: `VERB\npath?query\ndate;host;contentHash`. */
export const stringToSign = (method: string, url: URL, date: string, hash: string): string =>
  `${method.toUpperCase()}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`

/** Base64 HMAC-SHA256 of a message. */
export const hmacSignature = (key: Crypto.KeyObject, message: string): Effect.Effect<string, unknown> =>
  Effect.sync(() => Crypto.createHmac("sha256", key).update(message).digest("base64"))

/** The `Authorization` header value for a signature. */
export const authorizationHeader = (signature: string): string =>
  `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`
