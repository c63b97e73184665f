/**
 * The raw floor: `node:http` with a keep-alive agent and `node:crypto` HMAC, the same request the
 * SDK sends (string-to-sign `POST\n<path>?api-version\n<date>;<host>;<hash>`), no abstraction.
 */
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import { accessKey, apiVersion, expiresInMinutes, userId } from "../config.js"
import type { BenchClient, MakeClient } from "./types.js"

interface Token {
  readonly token: string
  readonly expiresOn: Date
}

/** The floor client. */
export const make: MakeClient = (endpoint) => {
  const url = new URL(endpoint)
  const key = Buffer.from(accessKey, "base64")
  const agent = new Http.Agent({ keepAlive: true })
  const query = `?api-version=${apiVersion}`

  const post = (path: string, payload: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const date = new Date().toUTCString()
      const hash = Crypto.createHash("sha256").update(payload).digest("base64")
      const signature = Crypto.createHmac("sha256", key).update(`POST\n${path}${query}\n${date};${url.host};${hash}`)
        .digest("base64")
      const request = Http.request({
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: `${path}${query}`,
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          "x-ms-date": date,
          "x-ms-content-sha256": hash,
          authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`
        }
      }, (response) => {
        let body = ""
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => body += chunk)
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }))
        response.on("error", reject)
      })
      request.on("error", reject)
      request.end(payload)
    })

  const token = (json: { readonly token: string; readonly expiresOn: string }): Token => ({
    token: json.token,
    expiresOn: new Date(json.expiresOn)
  })

  const client: BenchClient = {
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
    close: async () => agent.destroy()
  }
  return Promise.resolve(client)
}
