/**
 * `acs-identity mock start`: one mock kept across commands. The real executable starts the mock and
 * prints its connection string; separate runs of the executable, pointed at it by the connection
 * string, share its users and tokens; Ctrl-C stops it (exit 130) and frees the port.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { connect } from "node:net"
import { json } from "./utils/Assertions.js"
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
})
