/** No token shows in a log line, a span, an error or a rendering of what the credential hands out. */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, TestClock, Tracer } from "effect"
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
const render = (value: unknown) => `${inspect(value, { depth: 8 })}\n${JSON.stringify(value)}\n${String(value)}`

/** Records every log line and every span (name, attributes, failure) as text. */
const recorder = (lines: Array<string>): Layer.Layer<never> => {
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      return {
        _tag: "Span",
        name,
        spanId: `span-${lines.length}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          lines.push(`span ${name} ${render(Object.fromEntries(attributes))}`)
          if (Exit.isFailure(exit)) lines.push(`span ${name} failed ${Cause.pretty(exit.cause)}`)
        },
        attribute: (key, value) => void attributes.set(key, value),
        event: (eventName, _time, attrs) => void lines.push(`event ${eventName} ${render(attrs)}`),
        addLinks: () => undefined
      }
    },
    context: (f) => f()
  })
  const logger = Logger.make(({ cause, message }) => {
    lines.push(`log ${render(message)}`)
    if (!Cause.isEmpty(cause)) lines.push(`log cause ${Cause.pretty(cause)}`)
  })
  return Layer.merge(Layer.setTracer(tracer), Logger.replace(Logger.defaultLogger, logger))
}

const token = Effect.flatMap(CommunicationTokenCredential, (c) => c.token)

/** An exchange endpoint answering with the secret token, or with 401. */
const exchangeHttp = (status: number) =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
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
    )
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
