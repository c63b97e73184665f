/**
 * The cold-start program: imports one client module (argv[2]), builds it against the stub
 * (argv[3]), issues one token, and prints the milliseconds since the process started.
 */
import { performance } from "node:perf_hooks"
import type { MakeClient } from "./clients/types.js"

const [modulePath, endpoint] = process.argv.slice(2)
const module = await import(modulePath!) as { readonly make: MakeClient }
const client = await module.make(endpoint!)
await client.getToken()
process.stdout.write(`${JSON.stringify({ sinceStartMs: performance.now() })}\n`)
await client.close()
process.exit(0)
