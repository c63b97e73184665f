/** Child processes of a bench run: the stub server and the client workers. */
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import * as Readline from "node:readline"
import { outDir } from "./build.js"
import type { Command, MemoryResult, Reply, RunResult } from "./protocol.js"

/** The first stdout line of a child, parsed as JSON. */
const firstLine = (child: ChildProcess.ChildProcess): Promise<string> =>
  new Promise((resolve, reject) => {
    const lines = Readline.createInterface({ input: child.stdout! })
    lines.once("line", (line) => {
      lines.close()
      resolve(line)
    })
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before printing`)))
  })

/** A running stub server. */
export interface Stub {
  readonly endpoint: string
  readonly stop: () => void
}

/** Starts the stub server in its own process. */
export const startStub = async (): Promise<Stub> => {
  const child = ChildProcess.fork(Path.join(outDir, "stub-server.mjs"), [], {
    stdio: ["ignore", "pipe", "inherit", "ipc"]
  })
  const { port } = JSON.parse(await firstLine(child)) as { readonly port: number }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") }
}

/** A client worker process. */
export interface Worker {
  readonly run: (ops: number, concurrency: number) => Promise<RunResult>
  readonly memory: (ops: number, concurrency: number) => Promise<MemoryResult>
  readonly exit: () => Promise<void>
}

/** Starts a worker for the compiled client module `module`. */
export const startWorker = (module: string, endpoint: string): Promise<Worker> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.fork(Path.join(outDir, "worker.mjs"), [module, endpoint], {
      execArgv: ["--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let pending: ((reply: Reply) => void) | undefined
    child.on("message", (reply: Reply) => {
      if (reply._tag === "Failed") {
        reject(new Error(`${Path.basename(module)}: ${reply.message}`))
        pending = undefined
        return
      }
      pending?.(reply)
    })
    const ask = <R extends Reply>(command: Command, tag: R["_tag"]): Promise<R> =>
      new Promise((done, fail) => {
        pending = (reply) => reply._tag === tag ? done(reply as R) : fail(new Error(`unexpected ${reply._tag}`))
        child.send(command)
      })
    pending = (reply) => {
      if (reply._tag !== "Ready") return reject(new Error(`unexpected ${reply._tag}`))
      resolve({
        run: (ops, concurrency) => ask<RunResult>({ _tag: "Run", ops, concurrency }, "RunResult"),
        memory: (ops, concurrency) => ask<MemoryResult>({ _tag: "Memory", ops, concurrency }, "MemoryResult"),
        exit: () =>
          new Promise((done) => {
            child.once("exit", () => done())
            child.send({ _tag: "Exit" } satisfies Command)
          })
      })
    }
    child.once("exit", (code) => code !== 0 && reject(new Error(`${Path.basename(module)} exited with ${code}`)))
  })

/** Where one cold start's time went, in milliseconds, as the cold-start program measured it. */
export interface ColdPhases {
  /** Node's start and the cold-start program's own load, before the client module's import. */
  readonly bootMs: number
  /** Importing the client module: loading, compiling and evaluating its module graph. */
  readonly importMs: number
  /** Building the client (for the SDK: the runtime and its layers). */
  readonly buildMs: number
  /** The first getToken, from the call to its response. */
  readonly firstCallMs: number
}

/** One cold start: wall milliseconds from spawn to the first response, and the program's split of them. */
export interface ColdStart {
  readonly ms: number
  readonly phases: ColdPhases
}

/** Runs the cold-start program once. */
export const coldStart = async (module: string, endpoint: string): Promise<ColdStart> => {
  const start = process.hrtime.bigint()
  const child = ChildProcess.spawn(process.execPath, [Path.join(outDir, "cold.mjs"), module, endpoint], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  const phases = JSON.parse(await firstLine(child)) as ColdPhases
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  await new Promise((done) => child.exitCode !== null ? done(undefined) : child.once("exit", done))
  return { ms, phases }
}
