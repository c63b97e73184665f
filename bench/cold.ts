/**
 * The cold-start program: imports one client module (argv[2]), builds it against the stub
 * (argv[3]), issues one token, and prints the milliseconds since the process started, split into
 * phases: Node's own start and this program's load, the client module's import, building the
 * client, and the first call.
 */
import { performance } from "node:perf_hooks"
import type { MakeClient } from "./clients/types.js"

const [modulePath, endpoint] = process.argv.slice(2)
const booted = performance.now()
const module = await import(modulePath!) as { readonly make: MakeClient }
const imported = performance.now()
const client = await module.make(endpoint!)
const built = performance.now()
await client.getToken()
const answered = performance.now()
process.stdout.write(`${
  JSON.stringify({
    sinceStartMs: answered,
    bootMs: booted,
    importMs: imported - booted,
    buildMs: built - imported,
    firstCallMs: answered - built
  })
}\n`)
await client.close()
process.exit(0)
