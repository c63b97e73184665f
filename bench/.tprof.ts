import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import * as Readline from "node:readline"
import { start } from "../packages/transport-node/src/internal/attempt.ts"
import { make as makeRaw } from "./clients/raw.ts"
import { accessKey, apiVersion, expiresInMinutes, tokenBody, userId } from "./config.ts"
const child = ChildProcess.fork("/work/main/bench/build/stub-server.mjs", [], { stdio: ["ignore", "pipe", "inherit", "ipc"] })
const line = await new Promise<string>((r) => Readline.createInterface({ input: child.stdout! }).once("line", r))
const { port } = JSON.parse(line); const endpoint = `http://127.0.0.1:${port}`
const raw = await makeRaw(endpoint)
const agents = { http: new Http.Agent({ keepAlive: true }), https: undefined as never }
const origin = new URL(endpoint); const key = Crypto.createSecretKey(Buffer.from(accessKey, "base64"))
const path = `/identities/${encodeURIComponent(userId)}/:issueAccessToken?api-version=${apiVersion}`
const variant = (opts: { timer: boolean; stringBody: boolean; extraHeaders: boolean }) => () => new Promise((resolve, reject) => {
  const payload = JSON.stringify({ scopes: ["chat"], expiresInMinutes })
  const body = new TextEncoder().encode(payload)
  const date = new Date().toUTCString()
  const hash = Crypto.createHash("sha256").update(body).digest("base64")
  const sig = Crypto.createHmac("sha256", key).update(`POST\n${path}\n${date};${origin.host};${hash}`).digest("base64")
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json", "content-length": String(body.length), "x-ms-date": date, "x-ms-content-sha256": hash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sig}` }
  if (opts.extraHeaders) { headers["user-agent"] = "azsdk-js-acs-identity/0.1.0 (Node.js v20; linux)"; headers["x-ms-client-request-id"] = crypto.randomUUID() }
  start(agents, { idleTimeoutMillis: 0, readAheadBytes: 65536 }, { method: "POST", origin, path, headers, body, timeoutMillis: 30000, maxBodyBytes: 1 << 20 }, (r) => {
    if (r._tag !== "Response") return reject(new Error(r._tag))
    const json = JSON.parse(new TextDecoder().decode(r.response.body)); resolve({ token: json.token, expiresOn: new Date(json.expiresOn) })
  })
})
import { make as makeSdk } from "./clients/sdk-lean.ts"
const sdk = await makeSdk(endpoint)
const cases: Record<string, () => Promise<unknown>> = { sdk: () => sdk.getToken() }; const unused = {
  sdk: () => sdk.getToken(),
  raw: () => raw.getToken(),
  "transport start": variant({ timer: true, stringBody: false, extraHeaders: true }),
  "transport start, fewer headers": variant({ timer: true, stringBody: false, extraHeaders: false }),
}
const n = 4000
for (let r = 0; r < 4; r++) for (const [name, f] of Object.entries(cases)) {
  const cpu = process.cpuUsage(); const t = performance.now()
  for (let i = 0; i < n; i++) await f()
  const u = process.cpuUsage(cpu)
  if (r > 0) console.log(name.padEnd(34), ((performance.now() - t) * 1000 / n).toFixed(1), "µs wall", ((u.user + u.system) / n).toFixed(1), "µs cpu")
}
child.kill(); process.exit(0)
