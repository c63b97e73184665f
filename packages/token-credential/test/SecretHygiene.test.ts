/** No token shows in a log line, a span, an error or a rendering of what the credential hands out. */
import { Transport } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { TelemetryRecorder } from "@acs-identity/sdk/testing"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, TestClock } from "effect"
import { inspect } from "node:util"
import {
  type AccessToken,
  CommunicationTokenCredential,
  EntraExchange,
  layerRefreshing,
  layerStatic
} from "../src/index.js"
import { jwt } from "./utils/tokens.js"

const marker = "very-secret-token"
const entraSecret = "ENTRA-SECRET-3c1d"
const render = (value: unknown) => `${inspect(value, { depth: 8 })}\n${TelemetryRecorder.renderings(value)}`

/** Records every log line and every span (name, attributes, failure) as text. */
const recorder = (lines: Array<string>): Layer.Layer<never> => TelemetryRecorder.layer(lines, render)

const token = Effect.flatMap(CommunicationTokenCredential, (c) => c.token)

/** An exchange endpoint answering with the secret token, or with 401. */
const exchangeHttp = (status: number) =>
  Layer.succeed(
    Transport.Transport,
    HttpClientTransport.fromHttpClient(HttpClient.make((request) =>
      Effect.succeed(HttpClientResponse.fromWeb(
        request,
        new Response(
          JSON.stringify({
            identity: { id: "8:acs:r_u" },
            accessToken: { token: jwt(4_000_000_000, marker), expiresOn: "2096-01-01T00:00:00Z" }
          }),
          { status, headers: { "content-type": "application/json" } }
        )
      ))
    ))
  )

describe("secret hygiene", () => {
  it.effect("no token in what is handed out, logged, traced or failed with", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* TestClock.adjust("1 hour")
      const values: Array<Exit.Exit<AccessToken, unknown>> = []
      const attempt = <E>(layer: Layer.Layer<CommunicationTokenCredential, E>) =>
        token.pipe(
          Effect.provide(layer),
          Effect.exit,
          Effect.tap((exit) => Effect.log(exit)),
          Effect.tap((exit) => Effect.sync(() => values.push(exit))),
          Effect.withSpan("app")
        )
      const entra = (status: number) =>
        EntraExchange.layer({
          resourceEndpoint: "https://contoso.communication.azure.com",
          entraToken: Effect.succeed(entraSecret),
          policy: { maxRetries: 0 }
        })
          .pipe(Layer.provide(exchangeHttp(status)))
      yield* Effect.all([
        attempt(layerRefreshing({ refresh: Effect.succeed(jwt(4_000_000_000, marker)) })),
        attempt(layerStatic(jwt(1, marker))),
        attempt(layerRefreshing({ refresh: Effect.succeed(jwt(1, marker)) })),
        attempt(entra(200)),
        attempt(entra(401))
      ]).pipe(Effect.provide(recorder(lines)))
      assert.isTrue(lines.some((line) => line.startsWith("span CommunicationTokenCredential.refresh")))
      assert.strictEqual(values.filter(Exit.isSuccess).length, 2)
      const haystack = [...lines, ...values.map(render)].join("\n")
      assert.notInclude(haystack, marker)
      assert.notInclude(haystack, entraSecret)
    }))
})
