/**
 * The ACS HMAC-SHA256 request signature. Where the runtime offers `node:crypto` through
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno) it hashes and signs synchronously with it;
 * everywhere else (browsers, Workers) it uses Web Crypto. Nothing imports `node:crypto`, so browser
 * bundles stay clean. Shared by the signer layer and by the stateful mock that verifies signatures.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import type { SignableRequest } from "../RequestSigner.js"

/** Base64 SHA-256 of the empty body. */
export const emptyContentHash = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

const encoder = new TextEncoder()

/** The few `node:crypto` functions used, when the runtime has them. */
interface NodeCrypto {
  readonly createHash: (algorithm: "sha256") => { update(data: Uint8Array): { digest(encoding: "base64"): string } }
  readonly createHmac: (
    algorithm: "sha256",
    key: unknown
  ) => { update(data: string, encoding: "utf8"): { digest(encoding: "base64"): string } }
  /** Makes a `KeyObject`, so the key is not re-imported for every signature. */
  readonly createSecretKey: (key: Uint8Array) => unknown
  /** One-shot digest (Node 20.12 and later), several times cheaper than `createHash` for small bodies. */
  readonly hash?: (algorithm: "sha256", data: Uint8Array, encoding: "base64") => string
}

/** `node:crypto` where the runtime offers it; `undefined` where only Web Crypto signs. */
const nodeCrypto: NodeCrypto | undefined = (() => {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  const module = runtime?.getBuiltinModule?.("node:crypto") as Partial<NodeCrypto> | undefined
  return typeof module?.createHash === "function" && typeof module.createHmac === "function" &&
      typeof module.createSecretKey === "function"
    ? module as NodeCrypto
    : undefined
})()

/** Base64 SHA-256 with `node:crypto`. */
const nodeDigest = (crypto: NodeCrypto, body: Uint8Array): string =>
  crypto.hash !== undefined
    ? crypto.hash("sha256", body, "base64")
    : crypto.createHash("sha256").update(body).digest("base64")

/** Base64 HMAC-SHA256 with `node:crypto`, with the key's `KeyObject` when it has one. */
const nodeHmac = (crypto: NodeCrypto, key: HmacKey, message: string): string =>
  crypto.createHmac("sha256", key.nodeKey ?? key.raw).update(message, "utf8").digest("base64")

const subtle = <A>(f: (subtle: SubtleCrypto) => Promise<A>) =>
  Effect.tryPromise({ try: () => f(globalThis.crypto.subtle), catch: (cause) => cause })

/**
 * A key ready for signing: its raw bytes, plus the Web Crypto key when Web Crypto signs, or the
 * `node:crypto` `KeyObject` when `node:crypto` does.
 */
export interface HmacKey {
  readonly raw: Uint8Array
  readonly webKey: CryptoKey | undefined
  readonly nodeKey?: unknown
}

/** Base64 SHA-256 of a request body: the `x-ms-content-sha256` header. */
export const contentHash = (body: Uint8Array): Effect.Effect<string, unknown> => {
  if (body.length === 0) return Effect.succeed(emptyContentHash)
  if (nodeCrypto !== undefined) {
    return Effect.sync(() => nodeDigest(nodeCrypto, body))
  }
  return Effect.map(
    subtle((s) => s.digest("SHA-256", new Uint8Array(body))),
    (digest) => Encoding.encodeBase64(new Uint8Array(digest))
  )
}

/** Decodes a base64 access key to its raw bytes, or `undefined` when it is not base64 or empty. */
export const decodeAccessKey = (accessKey: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(accessKey) || accessKey.length % 4 !== 0) return undefined
  return Either.getOrUndefined(Encoding.decodeBase64(accessKey))
}

/** Prepares raw key bytes for HMAC-SHA256 signing. */
export const importHmacKey = (key: Uint8Array): Effect.Effect<HmacKey, unknown> => {
  const raw = new Uint8Array(key)
  return nodeCrypto !== undefined
    ? Effect.sync(() => ({ raw, webKey: undefined, nodeKey: nodeCrypto.createSecretKey(raw) }))
    : Effect.map(
      subtle((s) => s.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])),
      (webKey) => ({ raw, webKey })
    )
}

/**
 * The string the service signs, `VERB\npath?query\ndate;host;contentHash`: made here only, for the
 * signer and for the verifier that checks signatures (`testing/SignatureVerifier`).
 */
export const stringToSign = (method: string, pathAndQuery: string, date: string, host: string, hash: string): string =>
  `${method.toUpperCase()}\n${pathAndQuery}\n${date};${host};${hash}`

/** The string to sign for a request about to be sent. */
export const requestStringToSign = (request: SignableRequest, date: string, hash: string): string =>
  stringToSign(
    request.method,
    request.target ?? `${request.url.pathname}${request.url.search}`,
    date,
    request.host ?? request.url.host,
    hash
  )

/** Base64 HMAC-SHA256 of a message, with the crypto the key was prepared for. */
export const hmacSignature = (key: HmacKey, message: string): Effect.Effect<string, unknown> => {
  const webKey = key.webKey
  if (webKey === undefined && nodeCrypto !== undefined) {
    return Effect.sync(() => nodeHmac(nodeCrypto, key, message))
  }
  return Effect.map(
    subtle((s) => s.sign("HMAC", webKey!, encoder.encode(message))),
    (signature) => Encoding.encodeBase64(new Uint8Array(signature))
  )
}

/** The `Authorization` header value for a signature. */
export const authorizationHeader = (signature: string): string =>
  `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`

/**
 * The HMAC headers computed synchronously with `node:crypto` (hash, string-to-sign, signature), or
 * `undefined` where only Web Crypto is available (or the key was imported for it), when the caller
 * takes the asynchronous path. Saves the effects and fibers of the general path on every request.
 */
export const signSync = (
  key: HmacKey,
  request: SignableRequest,
  date: string
): Readonly<Record<string, string>> | undefined => {
  const body = request.body
  if (key.webKey !== undefined || nodeCrypto === undefined) return undefined
  const hash = body.length === 0 ? emptyContentHash : nodeDigest(nodeCrypto, body)
  const signature = nodeHmac(nodeCrypto, key, requestStringToSign(request, date, hash))
  return { "x-ms-date": date, "x-ms-content-sha256": hash, authorization: authorizationHeader(signature) }
}
