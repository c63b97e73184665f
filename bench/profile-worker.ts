/** The profiled program: one client (argv[2]) against the stub (argv[3]), warm-up then `ops` calls. */
import type { MakeClient } from "./clients/types.js"
import { drive } from "./load.js"

const [modulePath, endpoint, ops = "20000", concurrency = "1"] = process.argv.slice(2)
const module = await import(modulePath!) as { readonly make: MakeClient }
const client = await module.make(endpoint!)
await drive(client.getToken, 1000, Number(concurrency))
const start = performance.now()
await drive(client.getToken, Number(ops), Number(concurrency))
const seconds = (performance.now() - start) / 1000
console.log(`${ops} calls at concurrency ${concurrency}: ${(Number(ops) / seconds).toFixed(0)} ops/s`)
await client.close()
process.exit(0)
