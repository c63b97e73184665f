/**
 * `tsx bench/micro.ts` (or compiled): per-step costs of the SDK's `getToken` path, in-process with an
 * in-memory transport, so the lead can see which step costs what. Each figure is microseconds per
 * call, median of 5 batches, measured in the same run.
 */
import { CommunicationIdentityClient, HmacCredential, Transport } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import { accessKey, tokenBody, userId } from "./config.js"
import { inMemoryTransport } from "./memory-transport.js"

const n = Number(process.argv[2] ?? 20000)
const endpoint = "http://127.0.0.1:1"

const tokenBytes = new TextEncoder().encode(tokenBody)
const response = (request: HttpClientRequest.HttpClientRequest) =>
  HttpClientResponse.fromWeb(
    request,
    new Response(tokenBytes, {
      status: 200,
      headers: { "content-type": "application/json", "content-length": String(tokenBytes.length) }
    })
  )

/** A transport that answers at once, with no socket. */
const fakeTransport = HttpClient.make((request) => Effect.sync(() => response(request)))

const median = (values: Array<number>) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const measure = async (label: string, step: Effect.Effect<unknown, unknown>) => {
  const batches: Array<number> = []
  const repeat = (times: number) =>
    Effect.gen(function*() {
      for (let i = 0; i < times; i++) yield* step
    })
  const loop = repeat(n)
  await Effect.runPromise(repeat(2000))
  for (let i = 0; i < 5; i++) {
    const start = performance.now()
    await Effect.runPromise(loop)
    batches.push(((performance.now() - start) * 1000) / n)
  }
  console.log(`${median(batches).toFixed(1).padStart(8)} µs  ${label}`)
}

const main = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient
  const fastClient = yield* CommunicationIdentityClient.pipe(
    Effect.provide(
      CommunicationIdentityClient.fromConnectionString(`endpoint=${endpoint}/;accesskey=${accessKey}`).pipe(
        Layer.provide(Layer.succeed(Transport.Transport, inMemoryTransport))
      )
    )
  )
  const signer = yield* HmacCredential.make(Redacted.make(accessKey))
  const url = new URL(`${endpoint}/identities/${encodeURIComponent(userId)}/:issueAccessToken?api-version=2025-06-30`)
  const body = new TextEncoder().encode(JSON.stringify({ scopes: ["chat"], expiresInMinutes: 60 }))
  const user = { communicationUserId: userId }
  const key = Buffer.from(accessKey, "base64")
  const request = HttpClientRequest.post(url)
  const decode = Schema.decodeUnknownSync(
    Schema.Struct({ token: Schema.Redacted(Schema.String), expiresOn: Schema.Date })
  )
  return [
    [
      "client.getToken, platform HttpClient answering at once, through HttpClientTransport.fromHttpClient",
      client.getToken(user, ["chat"], { expiresInMinutes: 60 })
    ],
    [
      "client.getToken, in-memory Transport answering after setImmediate",
      fastClient.getToken(user, ["chat"], { expiresInMinutes: 60 })
    ],
    ["HmacCredential sign (Web Crypto digest + HMAC)", signer.sign({ method: "POST", url, body })],
    [
      "node:crypto sha256 + HMAC, synchronous (for comparison)",
      Effect.sync(() => {
        const hash = Crypto.createHash("sha256").update(body).digest("base64")
        return Crypto.createHmac("sha256", key).update(`POST\n${url.pathname}${url.search}\n${hash}`).digest("base64")
      })
    ],
    ["HttpClient.make execute, in-memory transport (platform overhead)", fakeTransport.execute(request)],
    ["  same, tracer disabled", Effect.withTracerEnabled(fakeTransport.execute(request), false)],
    [
      "fromWeb response: read body as Stream (runCollect)",
      Effect.suspend(() => Stream.runCollect(response(request).stream))
    ],
    ["fromWeb response: read body as text", Effect.suspend(() => response(request).text)],
    ["Schema decode AccessToken (Redacted + Date) from object", Effect.sync(() => decode(JSON.parse(tokenBody)))],
    [
      "Effect.timeoutFail around Effect.void",
      Effect.void.pipe(Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => "timeout" }))
    ],
    [
      "Effect.retry (exponential+jitter, recurs 3) around Effect.void",
      Effect.void.pipe(
        Effect.retry(
          Schedule.exponential(Duration.seconds(1)).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(3)))
        )
      )
    ],
    ["Effect.fn span (Effect.withSpan) around Effect.void", Effect.void.pipe(Effect.withSpan("span"))],
    ["crypto.randomUUID + new URL", Effect.sync(() => [globalThis.crypto.randomUUID(), new URL(url.href)])]
  ] as const
})

const steps = await Effect.runPromise(main.pipe(
  Effect.provide(CommunicationIdentityClient.fromConnectionString(`endpoint=${endpoint}/;accesskey=${accessKey}`)),
  Effect.provide(Layer.succeed(Transport.Transport, HttpClientTransport.fromHttpClient(fakeTransport)))
))
console.log(`per-call cost, ${n} calls per batch, median of 5 batches`)
for (const [label, step] of steps) await measure(label, step)
