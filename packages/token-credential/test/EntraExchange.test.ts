import { Transport } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted, TestClock } from "effect"
import { CommunicationTokenCredential, EntraExchange } from "../src/index.js"
import { jwt } from "./utils/tokens.js"

interface Sent {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** A transport (over a platform `HttpClient`) that records requests and answers each with `answer`. */
const recording = (answer: (sent: Sent) => Response) => {
  const sent: Array<Sent> = []
  const layer = Layer.succeed(
    Transport.Transport,
    HttpClientTransport.fromHttpClient(HttpClient.make((request, url) =>
      Effect.sync(() => {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        const entry = { method: request.method, url: url.toString(), headers: request.headers, body }
        sent.push(entry)
        return HttpClientResponse.fromWeb(request, answer(entry))
      })
    ))
  )
  return { layer, sent }
}

const ok = (token: string, expiresOn: string) =>
  new Response(JSON.stringify({ identity: { id: "8:acs:r_u" }, accessToken: { token, expiresOn } }), {
    status: 200,
    headers: { "content-type": "application/json" }
  })

const token = Effect.flatMap(CommunicationTokenCredential, (c) => c.token)
const endpoint = "https://contoso.communication.azure.com"

describe("EntraExchange", () => {
  it.effect("routes by scope family as the official credential does", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* EntraExchange.route(EntraExchange.defaultScopes), "entra")
      const teams = ["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls"]
      assert.strictEqual(yield* EntraExchange.route(teams), "teamsExtension")
      assert.strictEqual(
        yield* EntraExchange.route(["https://auth.msft.communication.azure.us/VoIP"]),
        "teamsExtension"
      )
      for (const scopes of [[], ["https://graph.microsoft.com/.default"], [...EntraExchange.defaultScopes, ...teams]]) {
        assert.strictEqual((yield* Effect.flip(EntraExchange.route(scopes))).reason, "InvalidArgument")
      }
    }))

  it.effect("POSTs {} with the user's Entra token as bearer, and hands out the exchanged token", () =>
    Effect.gen(function*() {
      const acs = jwt(3600, "acs")
      const http = recording(() => ok(acs, "1970-01-01T01:00:00Z"))
      const credential = EntraExchange.layer({
        resourceEndpoint: `${endpoint}/`,
        entraToken: Effect.succeed("entra-1")
      })
      const [first, second] = yield* Effect.all([token, token]).pipe(
        Effect.provide(credential.pipe(Layer.provide(http.layer)))
      )
      assert.strictEqual(Redacted.value(first.token), acs)
      assert.strictEqual(first.expiresOn.getTime(), 3_600_000)
      assert.strictEqual(second, first)
      assert.strictEqual(http.sent.length, 1)
      const [request] = http.sent
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url, `${endpoint}/access/entra/:exchangeAccessToken?api-version=2025-03-02-preview`)
      assert.strictEqual(request!.headers["authorization"], "Bearer entra-1")
      assert.strictEqual(request!.headers["accept"], "application/json")
      assert.strictEqual(request!.body, "{}")
    }))

  it.effect("Teams scopes go to the Teams extension exchange; the token is exchanged again when due", () =>
    Effect.gen(function*() {
      const http = recording(() => ok("opaque-acs", "1970-01-01T00:30:00Z"))
      const credential = EntraExchange.layer({
        resourceEndpoint: endpoint,
        entraToken: Effect.succeed(Redacted.make("entra")),
        scopes: ["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls"]
      })
      yield* Effect.gen(function*() {
        yield* token
        yield* TestClock.adjust("20 minutes")
        yield* token
      }).pipe(Effect.provide(credential.pipe(Layer.provide(http.layer))))
      assert.deepStrictEqual(http.sent.map((s) => s.url), [
        `${endpoint}/access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30`,
        `${endpoint}/access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30`
      ])
    }))

  it.effect("an error status, an unexpected body or a failing Entra source is RefreshFailed, without the token", () =>
    Effect.gen(function*() {
      const cases = [
        { answer: () => new Response("{\"error\":{}}", { status: 401 }), message: "AuthenticationError" },
        {
          answer: () => new Response("<html>", { status: 200, headers: { "content-type": "text/html" } }),
          message: "UnexpectedResponseError"
        }
      ]
      for (const { answer, message } of cases) {
        const http = recording(answer)
        const error = yield* Effect.flip(token).pipe(
          Effect.provide(
            EntraExchange.layer({ resourceEndpoint: endpoint, entraToken: Effect.succeed("secret-entra") }).pipe(
              Layer.provide(http.layer)
            )
          )
        )
        assert.strictEqual(error.reason, "RefreshFailed")
        assert.include(error.message, message)
        assert.notInclude(String(error), "secret-entra")
      }
      const http = recording(() => ok("x", "2030-01-01T00:00:00Z"))
      const failing = yield* Effect.flip(token).pipe(
        Effect.provide(
          EntraExchange.layer({ resourceEndpoint: endpoint, entraToken: Effect.fail("msal says no") }).pipe(
            Layer.provide(http.layer)
          )
        )
      )
      assert.strictEqual(failing.reason, "RefreshFailed")
      assert.strictEqual(failing.cause, "msal says no")
      assert.strictEqual(http.sent.length, 0)
    }))

  it.effect("bad scopes or endpoint fail the layer with InvalidArgument, before any request", () =>
    Effect.gen(function*() {
      const http = recording(() => ok("x", "2030-01-01T00:00:00Z"))
      for (
        const options of [
          { resourceEndpoint: endpoint, scopes: ["https://example.com/x"] as const },
          { resourceEndpoint: "not a url" }
        ]
      ) {
        const error = yield* Effect.flip(token.pipe(
          Effect.provide(
            EntraExchange.layer({ ...options, entraToken: Effect.succeed("entra") }).pipe(Layer.provide(http.layer))
          )
        ))
        assert.strictEqual(error.reason, "InvalidArgument")
      }
      assert.strictEqual(http.sent.length, 0)
    }))
})
