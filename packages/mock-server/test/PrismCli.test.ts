import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as net from "node:net"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { send } from "./prism/Http.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "../../..")
const binSource = path.join(repoRoot, "packages/mock-server/src/bin.ts")
/**
 * How the command is run: one node process with tsx's loader (`node --import tsx bin.ts`), the
 * same code `npx tsx bin.ts` runs. Not through `npx` (npm's wrapper dies on SIGTERM without
 * forwarding it, orphaning the server) nor the tsx CLI (it relays SIGTERM but SIGKILLs the child,
 * exit 143, when the child does not acknowledge within 30 ms, which happens on a loaded machine).
 */
const nodeArgs = ["--conditions=source", "--import", "tsx", binSource]

/** A port that was free a moment ago. */
const freePort = Effect.async<number>((resume) => {
  const probe = net.createServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(port)))
  })
})

const canBind = (port: number) =>
  Effect.async<boolean>((resume) => {
    const probe = net.createServer()
    probe.once("error", () => resume(Effect.succeed(false)))
    probe.listen(port, "127.0.0.1", () => probe.close(() => resume(Effect.succeed(true))))
  })

interface Cli {
  readonly stdout: () => string
  readonly stderr: () => string
  readonly readyLine: Promise<string>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly kill: (signal: NodeJS.Signals) => void
}

/**
 * Spawns `node --import tsx packages/mock-server/src/bin.ts <args>` (or another command line);
 * stopped when the scope ends if still running.
 */
const runCli = (args: ReadonlyArray<string>, command: ReadonlyArray<string> = [process.execPath, ...nodeArgs]) =>
  Effect.acquireRelease(
    Effect.sync((): Cli => {
      const child = spawn(command[0]!, [...command.slice(1), ...args], {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, FORCE_COLOR: "0" }
      })
      let out = ""
      let err = ""
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal }))
      )
      const readyLine = new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8")
          const line = out.split("\n").find((l) => l.startsWith("COMMUNICATION_CONNECTION_STRING="))
          if (line !== undefined && out.includes(`${line}\n`)) resolve(line)
        })
        void exited.then(({ code }) => reject(new Error(`exited with ${code} before ready: ${out}${err}`)))
      })
      // Commands that exit without serving (--help) never become ready; that is not an error by itself.
      readyLine.catch(() => undefined)
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8")
      })
      return {
        stdout: () => out,
        stderr: () => err,
        readyLine,
        exited,
        kill: (signal) => {
          child.kill(signal)
        }
      }
    }),
    // SIGTERM first, so the program can close Prism; SIGKILL only if it hangs.
    (cli) =>
      Effect.promise(async () => {
        cli.kill("SIGTERM")
        const timer = setTimeout(() => cli.kill("SIGKILL"), 10_000)
        await cli.exited
        clearTimeout(timer)
      })
  )

describe("acs-identity-mock command", () => {
  it.live(
    "prints the URL and the ready line, serves, and exits 0 on SIGTERM, freeing the port",
    () =>
      Effect.gen(function*() {
        const port = yield* freePort
        const cli = yield* runCli(["--port", String(port)])
        const ready = yield* Effect.promise(() => cli.readyLine)
        const url = `http://127.0.0.1:${port}`
        assert.strictEqual(
          ready,
          `COMMUNICATION_CONNECTION_STRING=endpoint=${url}/;accesskey=YWNzLWlkZW50aXR5LW1vY2stZGV2ZWxvcG1lbnQta2V5`
        )
        assert.include(cli.stdout(), `listening on ${url}\n`)

        const reply = yield* send(url, {
          method: "POST",
          path: "/identities",
          body: { createTokenWithScopes: ["chat"] }
        })
        assert.strictEqual(reply.status, 201)
        assert.deepStrictEqual(reply.violations, [])

        cli.kill("SIGTERM")
        const exit = yield* Effect.promise(() => cli.exited)
        assert.deepStrictEqual(exit, { code: 0, signal: null }, cli.stderr())
        assert.isTrue(yield* canBind(port), "the port is free after exit")
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )

  it.live("--port 0 picks a free port and SIGINT also exits 0", () =>
    Effect.gen(function*() {
      const cli = yield* runCli(["--port", "0", "--dynamic"])
      const ready = yield* Effect.promise(() => cli.readyLine)
      const match = /^COMMUNICATION_CONNECTION_STRING=endpoint=(http:\/\/127\.0\.0\.1:(\d+))\/;accesskey=\S+$/.exec(
        ready
      )
      assert.isNotNull(match, ready)
      assert.notStrictEqual(match![2], "0")
      assert.include(cli.stdout(), "(Prism, dynamic)")
      const reply = yield* send(match![1]!, { method: "DELETE", path: "/identities/8%3Aacs%3Aa_b" })
      assert.strictEqual(reply.status, 204)
      cli.kill("SIGINT")
      assert.deepStrictEqual(yield* Effect.promise(() => cli.exited), { code: 0, signal: null }, cli.stderr())
    }).pipe(Effect.scoped), { timeout: 120_000 })

  it.live(
    "`npm run mock`: SIGTERM to the npm process stops the server and frees the port",
    () =>
      Effect.gen(function*() {
        const cli = yield* runCli(["--port", "0", "--stateful"], ["npm", "run", "--silent", "mock", "--"])
        const ready = yield* Effect.promise(() => cli.readyLine)
        const port = Number(/:(\d+)\/;/.exec(ready)?.[1])
        assert.isAbove(port, 0, ready)
        assert.isFalse(yield* canBind(port), "the mock listens")
        cli.kill("SIGTERM")
        const exit = yield* Effect.promise(() => cli.exited)
        assert.strictEqual(exit.code, 0, cli.stderr())
        assert.isTrue(yield* canBind(port), "the port is free once npm has exited")
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )

  it.live(
    "a port already in use: both mocks exit 1 saying they could not listen, and why",
    () =>
      Effect.gen(function*() {
        const holder = yield* Effect.acquireRelease(
          Effect.async<net.Server>((resume) => {
            const server = net.createServer()
            server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
          }),
          (server) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
        )
        const address = holder.address()
        const port = String(typeof address === "object" && address !== null ? address.port : 0)
        for (const mode of [[], ["--stateful"]]) {
          const cli = yield* runCli(["--port", port, ...mode])
          assert.deepStrictEqual(yield* Effect.promise(() => cli.exited), { code: 1, signal: null }, cli.stderr())
          assert.match(cli.stderr(), /^acs-identity-mock: .*could not listen: .*EADDRINUSE/m, `${mode}`)
        }
      }).pipe(Effect.scoped),
    { timeout: 120_000 }
  )

  it.live("--help prints usage and exits 0; a bad --port exits 2", () =>
    Effect.gen(function*() {
      const help = yield* runCli(["--help"])
      assert.deepStrictEqual(yield* Effect.promise(() => help.exited), { code: 0, signal: null })
      assert.include(help.stdout(), "Usage: acs-identity-mock")
      assert.include(help.stdout(), "--dynamic")

      const bad = yield* runCli(["--port", "nope"])
      assert.deepStrictEqual(yield* Effect.promise(() => bad.exited), { code: 2, signal: null })
      assert.include(bad.stderr(), "--port must be an integer")
    }).pipe(Effect.scoped), { timeout: 120_000 })
})
