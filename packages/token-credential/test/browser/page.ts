/**
 * The page the browser test loads (bundled by esbuild). It uses the credential as a client app
 * would, through the official interface, and leaves what it saw in `window.__results`.
 */
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { EntraExchange, layerRefreshing, OfficialCredential } from "@acs-identity/token-credential"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

/** What the page observed. */
export interface PageResults {
  /** Tokens from 10 concurrent `getToken` calls on a fresh credential. */
  readonly concurrentTokens: ReadonlyArray<string>
  /** Each backend refresh: when it answered and the expiry of the token it gave. */
  readonly refreshes: ReadonlyArray<{ readonly at: number; readonly expiresOn: number }>
  /** Each `getToken` while polling: when, and what it handed out. */
  readonly observations: ReadonlyArray<{ readonly at: number; readonly token: string; readonly expiresOn: number }>
  /** Tokens from 5 concurrent `getToken` calls on the Entra exchange credential. */
  readonly exchangedTokens: ReadonlyArray<string>
  readonly error?: string
}

declare global {
  interface Window {
    __results?: PageResults
  }
}

const TokenResponse = Schema.Struct({ token: Schema.String, expiresOn: Schema.Date })
const refreshes: Array<{ at: number; expiresOn: number }> = []

const refresh = HttpClient.get(`${location.origin}/token`).pipe(
  Effect.flatMap(HttpClientResponse.schemaBodyJson(TokenResponse)),
  Effect.tap((body) => Effect.sync(() => refreshes.push({ at: Date.now(), expiresOn: body.expiresOn.getTime() }))),
  Effect.scoped,
  Effect.provide(FetchHttpClient.layer)
)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const run = async (): Promise<PageResults> => {
  const params = new URLSearchParams(location.search)
  const credential = OfficialCredential.fromLayer(
    layerRefreshing({ refresh, proactive: true, refreshWindow: "2 seconds" })
  )
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => credential.getToken()))
  const observations: Array<{ at: number; token: string; expiresOn: number }> = []
  const until = Date.now() + Number(params.get("pollMs"))
  while (Date.now() < until) {
    const { expiresOnTimestamp, token } = await credential.getToken()
    observations.push({ at: Date.now(), token, expiresOn: expiresOnTimestamp })
    await sleep(100)
  }
  credential.dispose()

  const exchange = OfficialCredential.fromLayer(
    EntraExchange.layer({
      resourceEndpoint: params.get("exchange")!,
      entraToken: HttpClient.get(`${location.origin}/entra-token`).pipe(
        Effect.flatMap((response) => response.text),
        Effect.scoped,
        Effect.provide(FetchHttpClient.layer)
      )
    }).pipe(Layer.provide(HttpClientTransport.layerFetch))
  )
  const exchanged = await Promise.all(Array.from({ length: 5 }, () => exchange.getToken()))
  exchange.dispose()
  return {
    concurrentTokens: concurrent.map((t) => t.token),
    refreshes,
    observations,
    exchangedTokens: exchanged.map((t) => t.token)
  }
}

run().then(
  (results) => {
    window.__results = results
  },
  (error: unknown) => {
    window.__results = { concurrentTokens: [], refreshes, observations: [], exchangedTokens: [], error: String(error) }
  }
)
