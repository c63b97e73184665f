/**
 * What both raw floors send and read: the SDK's exact request (HMAC-SHA256 over
 * `POST\n<path>?api-version\n<date>;<host>;<hash>`, computed with `node:crypto`) and the
 * answers' JSON, with no abstraction. The floors differ only in how the bytes travel.
 */
import * as Crypto from "node:crypto"
import { accessKey, apiVersion, expiresInMinutes, userId } from "../config.js"
import type { BenchClient } from "./types.js"

const key = Buffer.from(accessKey, "base64")

/** The query every request carries. */
export const query = `?api-version=${apiVersion}`

/** The signed headers for a POST of `payload` to `path` on `host`. */
export const signedHeaders = (host: string, path: string, payload: string): Record<string, string> => {
  const date = new Date().toUTCString()
  const hash = Crypto.createHash("sha256").update(payload).digest("base64")
  const signature = Crypto.createHmac("sha256", key).update(`POST\n${path}${query}\n${date};${host};${hash}`)
    .digest("base64")
  return {
    accept: "application/json",
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    "x-ms-date": date,
    "x-ms-content-sha256": hash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`
  }
}

/** Sends a signed POST and resolves with the answer's status and text. */
export type Post = (path: string, payload: string) => Promise<{ readonly status: number; readonly body: string }>

const token = (json: { readonly token: string; readonly expiresOn: string }) => ({
  token: json.token,
  expiresOn: new Date(json.expiresOn)
})

/** The floor's two calls over `post`. */
export const floorClient = (post: Post, close: () => Promise<void>): BenchClient => ({
  getToken: async () => {
    const { body, status } = await post(
      `/identities/${encodeURIComponent(userId)}/:issueAccessToken`,
      JSON.stringify({ scopes: ["chat"], expiresInMinutes })
    )
    if (status !== 200) throw new Error(`getToken answered ${status}`)
    return token(JSON.parse(body))
  },
  createUserAndToken: async () => {
    const { body, status } = await post("/identities", JSON.stringify({ createTokenWithScopes: ["chat"] }))
    if (status !== 201) throw new Error(`create answered ${status}`)
    const json = JSON.parse(body)
    return { user: { communicationUserId: json.identity.id as string }, ...token(json.accessToken) }
  },
  close
})
