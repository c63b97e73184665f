/**
 * The ACS HMAC-SHA256 request signature, on Web Crypto so it runs on Node, browsers, Deno, Bun and
 * Workers. Shared by the signer layer and by the stateful mock that verifies signatures.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"

/** Base64 SHA-256 of the empty body. */
export const emptyContentHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

const encoder = new TextEncoder()

const subtle = <A>(f: (subtle: SubtleCrypto) => Promise<A>) =>
  Effect.tryPromise({ try: () => f(globalThis.crypto.subtle), catch: (cause) => cause })

/** Base64 SHA-256 of a request body: the `x-ms-content-sha256` header. */
export const contentHash = (body: Uint8Array): Effect.Effect<string, unknown> =>
  body.length === 0
    ? Effect.succeed(emptyContentHash)
    : Effect.map(subtle((s) => s.digest("SHA-256", new Uint8Array(body))), (d) =>
      Encoding.encodeBase64(new Uint8Array(d)))

/** Decodes a base64 access key to its raw bytes, or `undefined` when it is not base64 or empty. */
export const decodeAccessKey = (accessKey: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(accessKey) || accessKey.length % 4 !== 0) return undefined
  return Either.getOrUndefined(Encoding.decodeBase64(accessKey))
}

/** Imports raw key bytes as an HMAC-SHA256 signing key. */
export const importHmacKey = (key: Uint8Array): Effect.Effect<CryptoKey, unknown> =>
  subtle((s) => s.importKey("raw", new Uint8Array(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]))

/** The string the service signs: `VERB\npath?query\ndate;host;contentHash`. */
export const stringToSign = (method: string, url: URL, date: string, hash: string): string =>
  `${method.toUpperCase()}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`

/** Base64 HMAC-SHA256 of a message. */
export const hmacSignature = (key: CryptoKey, message: string): Effect.Effect<string, unknown> =>
  Effect.map(
    subtle((s) => s.sign("HMAC", key, encoder.encode(message))),
    (sig) => Encoding.encodeBase64(new Uint8Array(sig))
  )

/** The `Authorization` header value for a signature. */
export const authorizationHeader = (signature: string): string =>
  `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`
