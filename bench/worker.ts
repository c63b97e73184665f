/**
 * A client worker: loads one client module (argv[2]) against the stub (argv[3]) and runs the
 * orchestrator's commands, one at a time, reporting wall time, CPU time and heap figures.
 */
import { performance } from "node:perf_hooks"
import type { MakeClient } from "./clients/types.js"
import { drive } from "./load.js"
import type { Command, Reply } from "./protocol.js"

const [modulePath, endpoint] = process.argv.slice(2)
const reply = (message: Reply) => process.send?.(message)

const collect = (): number => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run the worker with --expose-gc")
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

const main = async () => {
  const module = await import(modulePath!) as { readonly make: MakeClient }
  const client = await module.make(endpoint!)
  const calls = client.drive ?? ((ops: number, concurrency: number) => drive(client.getToken, ops, concurrency))
  await client.getToken()
  reply({ _tag: "Ready" })
  process.on("message", (command: Command) => {
    const run = async (): Promise<Reply | undefined> => {
      switch (command._tag) {
        case "Run": {
          const cpu = process.cpuUsage()
          const start = performance.now()
          await calls(command.ops, command.concurrency)
          const wallMs = performance.now() - start
          const used = process.cpuUsage(cpu)
          return { _tag: "RunResult", ops: command.ops, wallMs, cpuMicros: used.user + used.system }
        }
        case "Memory": {
          const heapBefore = collect()
          await calls(command.ops, command.concurrency)
          const heapAfter = collect()
          return { _tag: "MemoryResult", ops: command.ops, heapBefore, heapAfter }
        }
        case "Exit": {
          await client.close()
          process.disconnect()
          return undefined
        }
      }
    }
    run().then(
      (message) => message && reply(message),
      (error: unknown) => reply({ _tag: "Failed", message: String(error) })
    )
  })
}

main().catch((error: unknown) => {
  reply({ _tag: "Failed", message: String(error) })
  process.exitCode = 1
})
