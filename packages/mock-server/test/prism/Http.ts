/** Raw HTTP against a running Prism mock, plus effect/Schema decoders for the spec's bodies. */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** A realistic (unchecked) HMAC Authorization header; Prism only checks that one is present. */
export const hmacAuthorization =
  "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=q1Z7n5Yb3cJ0sV8mX2wK4tR6pA9eL1dF0gH3jU5iO7k="

/** The api-version the tests use unless they say otherwise. */
export const apiVersion = "2025-06-30"

/** The identity id used in the spec's examples. */
export const exampleId = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081"

/** The example id as one encoded path segment. */
export const encodedId = encodeURIComponent(exampleId)

/** One request. `query: null` leaves out `api-version`; a `null` header value removes the header. */
export interface Call {
  readonly method: "GET" | "POST" | "DELETE"
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | null
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string | null>>
}

/** What came back. */
export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The parsed JSON body, or `undefined` when the body is empty. */
  readonly json: unknown
  /** The parsed `sl-violations` header (an empty array when absent). */
  readonly violations: ReadonlyArray<typeof Violation.Type>
}

const Violation = Schema.Struct({
  location: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})
const Violations = Schema.parseJson(Schema.Array(Violation))

/** Sends one request with `fetch` (HMAC-style Authorization and JSON content type by default). */
export const send = (baseUrl: string, call: Call): Effect.Effect<Reply> =>
  Effect.promise(async (signal) => {
    const url = new URL(baseUrl + call.path)
    if (call.query !== null) {
      for (const [k, v] of Object.entries(call.query ?? { "api-version": apiVersion })) url.searchParams.set(k, v)
    }
    const headers: Record<string, string> = { authorization: hmacAuthorization, accept: "application/json" }
    if (call.body !== undefined) headers["content-type"] = "application/json"
    for (const [k, v] of Object.entries(call.headers ?? {})) {
      if (v === null) delete headers[k.toLowerCase()]
      else headers[k.toLowerCase()] = v
    }
    const response = await fetch(url, {
      method: call.method,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
      signal
    })
    const text = await response.text()
    const raw = response.headers.get("sl-violations")
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text === "" ? undefined : JSON.parse(text),
      violations: raw === null ? [] : Schema.decodeUnknownSync(Violations)(raw)
    }
  })

/** A JWT: three base64url segments. */
const Jwt = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/))

/** ACS date-times: seven fractional digits and an explicit offset. */
const AcsDateTime = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$/),
  Schema.compose(Schema.Date)
)

/** `{token, expiresOn}`. */
export const AccessToken = Schema.Struct({ token: Jwt, expiresOn: AcsDateTime })

/** `{id, customId?, lastTokenIssuedAt?}`. */
export const Identity = Schema.Struct({
  id: Schema.String.pipe(Schema.pattern(/^8:acs:[0-9a-f-]{36}_[0-9a-f-]{36}$/)),
  customId: Schema.optional(Schema.String),
  lastTokenIssuedAt: Schema.optional(AcsDateTime)
})

/** The create result. */
export const AccessTokenResult = Schema.Struct({ identity: Identity, accessToken: Schema.optional(AccessToken) })

/** The error envelope. */
export const ErrorResponse = Schema.Struct({
  error: Schema.Struct({ code: Schema.String, message: Schema.String, target: Schema.optional(Schema.String) })
})

/** The claims the example tokens carry. */
export const TokenClaims = Schema.Struct({
  skypeid: Schema.String,
  scp: Schema.Number,
  iat: Schema.Number,
  exp: Schema.Number,
  acsScope: Schema.String,
  resourceId: Schema.String
})

/** Decodes the payload segment of a JWT. */
export const claimsOf = (token: string) =>
  Schema.decodeUnknownSync(Schema.parseJson(TokenClaims))(
    Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")
  )
