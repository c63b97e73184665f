/**
 * Runs the real `acs-identity` executable as a child process: `node <bundle>`, the bundle the
 * package's bin runs, made from the sources by the global setup. Run by node directly, not through
 * `npx` (see mock-server's PrismCli.test.ts for why).
 */
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { inject } from "vitest"
import { environment } from "../../src/Connection.js"

const here = path.dirname(fileURLToPath(import.meta.url))
/** The repository root. */
export const repoRoot = path.resolve(here, "../../../..")
const bin = inject("acsIdentityBin")

/** Variables the command reads; removed from the inherited environment so only a test sets them. */
const readVariables: ReadonlyArray<string> = [
  ...environment.connectionStrings,
  environment.entraToken,
  ...environment.proxies,
  ...environment.noProxy,
  "NODE_EXTRA_CA_CERTS"
]

const baseEnvironment = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !readVariables.includes(name)) env[name] = value
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0" }
}

/** What one run of the command produced. */
export interface Run {
  readonly args: ReadonlyArray<string>
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Extra environment variables; `undefined` removes one (`NO_COLOR`, `FORCE_COLOR` are set by default). */
export type Environment = Readonly<Record<string, string | undefined>>

const environmentWith = (env: Environment): Record<string, string> => {
  const merged: Record<string, string | undefined> = { ...baseEnvironment(), ...env }
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)
  )
}

/** A running `acs-identity`: its output so far, a way to signal it, to stop reading its stdout, and its end. */
export interface Started {
  readonly output: () => { readonly stdout: string; readonly stderr: string }
  readonly signal: (signal: NodeJS.Signals) => void
  /** Closes the reading end of its stdout, as `| head -1` does once it has its line. */
  readonly closeStdout: () => void
  readonly exited: Effect.Effect<Run>
}

/**
 * Starts `acs-identity <args>`, its stdout a pipe read into {@link Run} or the file descriptor
 * `stdout` (`/dev/full`, say); the scope's end kills it if it is still running.
 */
export const start = (args: ReadonlyArray<string>, env: Environment = {}, stdout?: number) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd: repoRoot,
        stdio: ["ignore", stdout ?? "pipe", "pipe"],
        env: environmentWith(env)
      })
      let out = ""
      let stderr = ""
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8")
      })
      child.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8")
      })
      const closed = new Promise<number | null>((resolve) => child.once("close", resolve))
      const started: Started = {
        output: () => ({ stdout: out, stderr }),
        signal: (signal) => {
          child.kill(signal)
        },
        closeStdout: () => {
          child.stdout?.destroy()
        },
        exited: Effect.map(Effect.promise(() => closed), (code) => ({ args, code, stdout: out, stderr }))
      }
      return { child, started }
    }),
    ({ child }) =>
      Effect.sync(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      })
  ).pipe(Effect.map(({ started }) => started))

/** Runs `acs-identity <args>` with extra environment variables (and stdout, see {@link start}) and waits for it to exit. */
export const acsIdentity = (args: ReadonlyArray<string>, env: Environment = {}, stdout?: number): Effect.Effect<Run> =>
  Effect.scoped(Effect.flatMap(start(args, env, stdout), (started) => started.exited))

/** Waits (polling every 20 ms, at most `timeoutMs`) until `ready` holds for the output so far. */
export const waitFor = (
  started: Started,
  ready: (output: { readonly stdout: string; readonly stderr: string }) => boolean,
  timeoutMs = 20_000
): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (ready(started.output())) return true
      yield* Effect.sleep("20 millis")
    }
    return ready(started.output())
  })
