/**
 * `acs-identity mock start`: one mock kept across commands. The real executable starts the mock and
 * prints its connection string; separate runs of the executable, pointed at it by the connection
 * string, share its users and tokens; Ctrl-C stops it (exit 130) and frees the port; a port in use
 * says so; and the bash recipe of its help, run as printed, stops the mock it started.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawnSync } from "node:child_process"
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { connect, createServer } from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { inject } from "vitest"
import * as MockCommands from "../src/MockCommands.js"
import { assertFailure, json } from "./utils/Assertions.js"
import { acsIdentity, start, waitFor } from "./utils/Binary.js"

/** Whether something listens at `port` on loopback. */
const listening = (port: number) =>
  Effect.async<boolean>((resume) => {
    const socket = connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resume(Effect.succeed(true))
    })
    socket.once("error", () => resume(Effect.succeed(false)))
  })

describe("acs-identity mock start", () => {
  it.scopedLive("one mock across commands: user create, then token issue --user and user show for that user", () =>
    Effect.gen(function*() {
      const mock = yield* start(["mock", "start"])
      const printed = yield* waitFor(mock, ({ stdout }) => stdout.trimEnd().endsWith("}"))
      assert.isTrue(printed, `mock start printed its connection string: ${JSON.stringify(mock.output())}`)
      const started = JSON.parse(mock.output().stdout) as { readonly connectionString: string; endpoint: string }
      assert.deepStrictEqual(Object.keys(started), ["connectionString", "endpoint"])
      assert.match(started.connectionString, /^endpoint=http:\/\/127\.0\.0\.1:\d+\/;accesskey=/)
      assert.isTrue(started.connectionString.startsWith(`endpoint=${started.endpoint};`))
      const port = Number(new URL(started.endpoint).port)

      const env = { AZURE_COMMUNICATION_CONNECTION_STRING: started.connectionString }
      const created = json(yield* acsIdentity(["user", "create"], env))
      const id = String(created.id)
      assert.match(id, /^8:acs:/)
      // A later, separate run knows that user: the mock kept it (each --mock run starts an empty one).
      const issued = json(yield* acsIdentity(["token", "issue", "--scope", "chat", "--user", id], env))
      assert.strictEqual(issued.userId, id)
      assert.match(String(issued.token), /^eyJ/)
      const shown = json(yield* acsIdentity(["user", "show", "--user", id], env))
      assert.strictEqual(shown.id, id)
      assert.isString(shown.lastTokenIssuedAt, "the token issued by the previous run is on record")
      // --connection-string works as well as the environment, and so does --query with tsv.
      const again = yield* acsIdentity([
        "token",
        "issue",
        "--scope",
        "voip",
        "--user",
        id,
        "--connection-string",
        started.connectionString,
        "--query",
        "userId",
        "-o",
        "tsv"
      ])
      assert.deepStrictEqual({ code: again.code, stdout: again.stdout, stderr: again.stderr }, {
        code: 0,
        stdout: `${id}\n`,
        stderr: ""
      })
      const deleted = yield* acsIdentity(["user", "delete", "--user", id], env)
      assert.strictEqual(deleted.code, 0, deleted.stderr)
      const gone = yield* acsIdentity(["token", "issue", "--scope", "chat", "--user", id], env)
      assert.strictEqual(gone.code, 3, "a deleted user is unknown to the same mock")

      // Ctrl-C stops it: exit 130, "acs-identity: mock stopped", and the port is free again.
      assert.isTrue(yield* listening(port))
      mock.signal("SIGINT")
      const stopped = yield* mock.exited
      assert.strictEqual(stopped.code, 130, stopped.stderr)
      assert.strictEqual(stopped.stderr, "acs-identity: mock stopped\n")
      assert.isFalse(yield* listening(port), "the port is freed")
    }))

  it.scopedLive("--port, and the connection string alone with --query connectionString -o tsv", () =>
    Effect.gen(function*() {
      const mock = yield* start(["mock", "start", "--port", "0", "--query", "connectionString", "-o", "tsv"])
      const printed = yield* waitFor(mock, ({ stdout }) => stdout.endsWith("\n"))
      assert.isTrue(printed, JSON.stringify(mock.output()))
      const line = mock.output().stdout
      assert.match(line, /^endpoint=http:\/\/127\.0\.0\.1:\d+\/;accesskey=[A-Za-z0-9+/=]+\n$/)
      const issued = json(
        yield* acsIdentity(["token", "issue", "--scope", "chat"], {
          AZURE_COMMUNICATION_CONNECTION_STRING: line.trimEnd()
        })
      )
      assert.match(String(issued.userId), /^8:acs:/)
      mock.signal("SIGTERM")
      assert.strictEqual((yield* mock.exited).code, 130)
    }))

  it.scopedLive("--verbose (a shared option, also before the command) logs each request served, never a secret", () =>
    Effect.gen(function*() {
      const mock = yield* start(["--verbose", "mock", "start", "--query", "connectionString", "-o", "tsv"])
      assert.isTrue(yield* waitFor(mock, ({ stdout }) => stdout.endsWith("\n")), JSON.stringify(mock.output()))
      const connectionString = mock.output().stdout.trimEnd()
      const env = { AZURE_COMMUNICATION_CONNECTION_STRING: connectionString }
      const id = String(json(yield* acsIdentity(["user", "create"], env)).id)
      assert.strictEqual((yield* acsIdentity(["token", "revoke", "--user", `${id}x`], env)).code, 3)
      const logged = yield* waitFor(mock, ({ stderr }) => stderr.split("\n").length > 2)
      assert.isTrue(logged, JSON.stringify(mock.output()))
      mock.signal("SIGINT")
      const stopped = yield* mock.exited
      assert.strictEqual(stopped.code, 130, stopped.stderr)
      const requestId = "\\[request id [0-9a-f-]{36}\\]"
      const lines = stopped.stderr.trimEnd().split("\n")
      assert.strictEqual(lines.length, 3, stopped.stderr)
      assert.match(
        lines[0]!,
        new RegExp(`^acs-identity: POST /identities\\?api-version=2025-06-30 ${requestId} -> 201$`)
      )
      assert.match(
        lines[1]!,
        new RegExp(
          `^acs-identity: POST /identities/${
            encodeURIComponent(`${id}x`)
          }/:revokeAccessTokens\\?api-version=2025-06-30 ${requestId} -> 401$`
        )
      )
      assert.strictEqual(lines[2], "acs-identity: mock stopped")
      assert.notInclude(stopped.stderr, connectionString.split("accesskey=")[1]!)
    }))

  it.scopedLive("a port in use: exit 1, and the line says so", () =>
    Effect.gen(function*() {
      const server = createServer()
      const port = yield* Effect.acquireRelease(
        Effect.async<number>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as { port: number }).port)))
        }),
        () => Effect.sync(() => server.close())
      )
      assertFailure(
        yield* acsIdentity(["mock", "start", "--port", String(port)]),
        1,
        new RegExp(`^acs-identity: the embedded mock could not start: port ${port} is in use$`)
      )
    }))

  it("the bash recipe of mock start --help, as printed, runs and stops the mock", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "acs-identity-recipe-"))
    try {
      // `acs-identity` on PATH, as an installed bin: a script that execs node, so the process stays the one started.
      const bin = path.join(dir, "acs-identity")
      writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${inject("acsIdentityBin")}' "$@"\n`)
      chmodSync(bin, 0o755)
      const recipe = MockCommands.start.node.examples.map((example) => example.command).join("\n")
      assert.include(recipe, "kill -INT \"$MOCK_PID\"")
      const script =
        `set -e\n${recipe}\necho "user $U"\nstatus=0; wait "$MOCK_PID" || status=$?\necho "mock exited $status"\n`
      const result = spawnSync("bash", ["-c", script], {
        env: { PATH: `${dir}:${process.env["PATH"] ?? ""}`, NO_COLOR: "1" },
        encoding: "utf8",
        timeout: 30_000
      })
      assert.isNull(result.signal, `the recipe hung (the mock did not stop): ${result.stdout} ${result.stderr}`)
      assert.strictEqual(result.status, 0, result.stderr)
      assert.match(result.stdout, /^user 8:acs:\S+\n/m)
      assert.include(result.stdout, "mock exited 130\n")
      assert.include(result.stderr, "acs-identity: mock stopped")
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
