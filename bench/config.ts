/**
 * Constants every benchmark process shares: the fake resource key, the user, the request and the
 * canned responses the stub server returns.
 */

/** A syntactically valid base64 access key (the stub checks nothing). */
export const accessKey = Buffer.from("bench-access-key-0123456789abcdef").toString("base64")

/** The connection string for an endpoint such as `http://127.0.0.1:PORT`. */
export const connectionString = (endpoint: string): string => `endpoint=${endpoint}/;accesskey=${accessKey}`

/** The user every `getToken` is issued for. */
export const userId = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000018-0000-0000-0000-000000000000"

/** The api-version the raw floor sends (the SDK's default). */
export const apiVersion = "2025-06-30"

/** The token lifetime every client asks for. */
export const expiresInMinutes = 60

/** The body of a canned `:issueAccessToken` answer. */
export const tokenBody = JSON.stringify({
  token: "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEwNiIsIng1dCI6Im9QMWFxQnlfR3hZU3pSaXhuQ25zdE5PU2p2cyIsInR5cCI6IkpXVCJ9." +
    "eyJza3lwZWlkIjoiYWNzOjFiNTIyNGQ4LWNiMWYtNDFhZC1hNjE0LTlhN2VmZDQ1YjNmMl8wMDAwMDAxOC0wMDAwLTAwMDAiLCJzY3AiOjE3OTJ9." +
    "c2lnbmF0dXJl",
  expiresOn: "2030-01-01T00:00:00.000Z"
})

/** The body of a canned `POST /identities` answer. */
export const createBody = JSON.stringify({
  identity: { id: userId },
  accessToken: JSON.parse(tokenBody) as unknown
})
