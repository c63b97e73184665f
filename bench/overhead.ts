/**
 * `tsx --conditions=source bench/overhead.ts [calls] [rounds]`: the SDK's own cost per `getToken`,
 * without sockets. The same in-memory `Transport` (answering after a `setImmediate`) under these
 * callers, interleaved: the bare runtime (`runPromise` of one `Effect.async`), the SDK with its HMAC
 * key and with an Entra credential holding its token, both the bare runtime and the SDK again under
 * an OpenTelemetry tracer (the bare one in one span; spans made and batched to an exporter that
 * discards them), and a plain promise doing the floor's work (HMAC, JSON). Prints µs per call,
 * medians of the rounds: the SDK under OpenTelemetry minus the bare span is what tracing the SDK
 * adds beyond what any traced Effect call costs.
 */
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import * as Crypto from "node:crypto"
import { accessKey, tokenBody, userId } from "./config.js"
import { inMemoryEntraRuntime, inMemoryRuntime } from "./memory-transport.js"
import { openTelemetry } from "./tracing.js"

const calls = Number(process.argv[2] ?? 20000)
const rounds = Number(process.argv[3] ?? 7)
const runtime = inMemoryRuntime()
const client = await runtime.runPromise(CommunicationIdentityClient)
const traced = inMemoryRuntime(openTelemetry)
const tracedClient = await traced.runPromise(CommunicationIdentityClient)
const entra = inMemoryEntraRuntime()
const entraClient = await entra.runPromise(CommunicationIdentityClient)
const user = { communicationUserId: userId }
const key = Buffer.from(accessKey, "base64")

const bare = Effect.async<number>((resume) => {
  setImmediate(() => resume(Effect.succeed(1)))
})
const callers: Record<string, () => Promise<unknown>> = {
  "plain promise + HMAC + JSON": () =>
    new Promise((resolve) => {
      const body = JSON.stringify({ scopes: ["chat"], expiresInMinutes: 60 })
      const hash = Crypto.createHash("sha256").update(body).digest("base64")
      Crypto.createHmac("sha256", key).update(`POST\n/x\n${new Date().toUTCString()};h;${hash}`).digest("base64")
      setImmediate(() => {
        const json = JSON.parse(tokenBody)
        resolve({ token: json.token, expiresOn: new Date(json.expiresOn) })
      })
    }),
  "runPromise(Effect.async)": () => runtime.runPromise(bare),
  "SDK getToken": () => runtime.runPromise(client.getToken(user, ["chat"], { expiresInMinutes: 60 })),
  "SDK getToken, Entra credential (token held)": () =>
    entra.runPromise(entraClient.getToken(user, ["chat"], { expiresInMinutes: 60 })),
  "runPromise(Effect.async) in a span, under OpenTelemetry": () => traced.runPromise(Effect.withSpan(bare, "bare")),
  "SDK getToken under OpenTelemetry": () =>
    traced.runPromise(tracedClient.getToken(user, ["chat"], { expiresInMinutes: 60 }))
}
const results = new Map<string, Array<number>>()
for (let round = -1; round < rounds; round++) {
  for (const [name, call] of Object.entries(callers)) {
    const start = performance.now()
    for (let i = 0; i < calls; i++) await call()
    const micros = ((performance.now() - start) * 1000) / calls
    if (round >= 0) results.set(name, [...(results.get(name) ?? []), micros])
  }
}
const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
for (const [name, values] of results) console.log(`${median(values).toFixed(1).padStart(8)} µs  ${name}`)
await runtime.dispose()
await traced.dispose()
await entra.dispose()
