/** Raw HTTP helpers for the stateful mock's tests: HMAC signing done independently with node:crypto. */
import { DevelopmentCredentials } from "@acs-identity/mock-server"
import { Effect } from "effect"
import { createHash, createHmac } from "node:crypto"

/** Options of one raw request. */
export interface RawRequest {
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: string
  readonly body?: string
  readonly key?: string
  readonly date?: Date
  readonly headers?: Record<string, string>
  /** Sign a different body than the one sent. */
  readonly signedBody?: string
  /** Sign a different path than the one sent. */
  readonly signedPath?: string
}

/** The headers of an ACS HMAC signature, computed with node:crypto (not the SDK). */
export const signHeaders = (url: URL, request: RawRequest): Record<string, string> => {
  const date = (request.date ?? new Date()).toUTCString()
  const hash = createHash("sha256").update(request.signedBody ?? request.body ?? "").digest("base64")
  const path = request.signedPath ?? `${url.pathname}${url.search}`
  const key = Buffer.from(request.key ?? DevelopmentCredentials.accessKey, "base64")
  const signature = createHmac("sha256", key).update(`${request.method}\n${path}\n${date};${url.host};${hash}`).digest(
    "base64"
  )
  return {
    "x-ms-date": date,
    "x-ms-content-sha256": hash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`
  }
}

/** What a raw request got back. */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

/** Sends a signed request with fetch; a dropped connection fails the effect. */
export const send = (base: string, request: RawRequest): Effect.Effect<RawResponse, Error> =>
  Effect.tryPromise({
    try: async () => {
      const url = new URL(`${base}${request.path}`)
      const response = await fetch(url, {
        method: request.method,
        headers: {
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...signHeaders(url, request),
          ...request.headers
        },
        ...(request.body === undefined ? {} : { body: request.body })
      })
      return { status: response.status, headers: response.headers, text: await response.text() }
    },
    catch: (cause) => cause instanceof Error ? cause : new Error(String(cause))
  })

/** Sends an unsigned request (control endpoints). */
export const control = (
  base: string,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown
): Effect.Effect<RawResponse, Error> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
      })
      return { status: response.status, headers: response.headers, text: await response.text() }
    },
    catch: (cause) => cause instanceof Error ? cause : new Error(String(cause))
  })
