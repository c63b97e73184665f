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

const here = path.dirname(fileURLToPath(import.meta.url))
/** The repository root. */
export const repoRoot = path.resolve(here, "../../../..")
const bin = inject("acsIdentityBin")

/** Variables the command reads; removed from the inherited environment so only a test sets them. */
export const credentialVariables = [
  "AZURE_COMMUNICATION_CONNECTION_STRING",
  "COMMUNICATION_CONNECTION_STRING",
  "ACS_IDENTITY_ENTRA_TOKEN"
] as const

const baseEnvironment = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !(credentialVariables as ReadonlyArray<string>).includes(name)) env[name] = value
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

/** Runs `acs-identity <args>` with extra environment variables and waits for it to exit. */
export const acsIdentity = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {}
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...baseEnvironment(), ...env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.once("close", (code) => resume(Effect.succeed({ args, code, stdout, stderr })))
    return Effect.sync(() => {
      child.kill("SIGKILL")
    })
  })
