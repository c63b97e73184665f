/**
 * The raw floor: `node:http` with a keep-alive agent and `node:crypto` HMAC, the same request the
 * SDK sends, no abstraction.
 */
import * as Http from "node:http"
import { floorClient, query, signedHeaders } from "./rawRequest.js"
import type { MakeClient } from "./types.js"

/** The floor client. */
export const make: MakeClient = (endpoint) => {
  const url = new URL(endpoint)
  const agent = new Http.Agent({ keepAlive: true })
  const post = (path: string, payload: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const request = Http.request({
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: `${path}${query}`,
        headers: signedHeaders(url.host, path, payload)
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
  return Promise.resolve(floorClient(post, async () => agent.destroy()))
}
