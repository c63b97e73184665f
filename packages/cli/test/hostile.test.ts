/**
 * The executable against hostile loopback servers: control characters in everything the service
 * sends (ESC, BEL, OSC, C1, DEL) reach neither stdout nor stderr raw, in any format; `entra list`
 * prints as pages arrive, `--max-items` bounds an endless chain of `nextLink`s and a reader that
 * stops reading ends it quietly; and
 * Ctrl-C after the request has left exits 130 saying it may have taken effect.
 */
import { DevelopmentCredentials } from "@acs-identity/mock-server"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { acsIdentity, start, waitFor } from "./utils/Binary.js"

/** A raw control byte a terminal would act on (tab and line feed excluded: they separate columns and lines). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

/** A loopback server answering every request with `handler`, closed with the scope. */
const serve = (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Server; readonly url: string; readonly requests: () => number }>((resume) => {
      let count = 0
      const server = createServer((request, response) => {
        count++
        handler(request, response)
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}`, requests: () => count }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

const env = (url: string) => ({
  AZURE_COMMUNICATION_CONNECTION_STRING: DevelopmentCredentials.connectionStringFor(url)
})

const guid = "11111111-2222-3333-4444-555555555555"

const hostile = "\u001b]52;c;SGVsbG8=\u0007\u001b[2J\u001b]0;pwned\u0007\u001b[1A\u001b[2K\u009b31m\u007f"

describe("acs-identity against hostile servers", () => {
  it.scopedLive("control characters in code, message, target and id are escaped in every format and on stderr", () =>
    Effect.gen(function*() {
      const rejecting = yield* serve((_, response) =>
        json(response, 400, { error: { code: `Bad${hostile}`, message: `no${hostile}`, target: `t${hostile}` } })
      )
      const rejected = yield* acsIdentity(["user", "create", "--retries", "0"], env(rejecting.url))
      assert.strictEqual(rejected.code, 6, rejected.stderr)
      assert.notMatch(rejected.stderr, raw)
      assert.include(rejected.stderr, "\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J")
      assert.include(rejected.stderr, "(target t\\x1b]52;")

      const creating = yield* serve((_, response) => json(response, 201, { identity: { id: `8:acs:r_u${hostile}` } }))
      for (const output of ["json", "table", "tsv"]) {
        const created = yield* acsIdentity(["user", "create", "--retries", "0", "-o", output], env(creating.url))
        assert.notMatch(created.stdout, raw, output)
        assert.notMatch(created.stderr, raw, output)
        assert.oneOf(created.code, [0, 10], created.stderr)
        if (created.code === 0) {
          if (output === "json") assert.strictEqual(JSON.parse(created.stdout).id, `8:acs:r_u${hostile}`)
          else assert.include(created.stdout, "8:acs:r_u\\x1b]52;c;SGVsbG8=\\x07", output)
        }
      }
    }))

  it.scopedLive("entra list prints as pages arrive, and --max-items ends an endless chain of nextLinks quickly", () =>
    Effect.gen(function*() {
      let page = 0
      const endless = yield* serve((request, response) => {
        page++
        const item = (i: number) => ({
          objectId: `aaaaaaaa-0000-4000-8000-${String(page * 10 + i).padStart(12, "0")}`,
          tenantId: "bbbbbbbb-0000-4000-8000-000000000001",
          principalType: "user",
          clientIds: ["cccccccc-0000-4000-8000-000000000003"]
        })
        // Every page links to a new one (a link seen before is a cycle, which the SDK ends itself).
        json(response, 200, {
          value: [item(1), item(2)],
          nextLink: `http://${request.headers.host}/access/entra/assignments?skip=${page}`
        })
      })
      for (const output of ["tsv", "json", "table"]) {
        const started = Date.now()
        page = 0
        const bounded = yield* acsIdentity(["entra", "list", "--max-items", "5", "-o", output], env(endless.url))
        assert.strictEqual(bounded.code, 0, bounded.stderr)
        assert.isBelow(Date.now() - started, 15_000)
        assert.isAtMost(page, 3, "no more pages than five items need")
        if (output === "tsv") assert.strictEqual(bounded.stdout.trimEnd().split("\n").length, 5)
        if (output === "json") assert.strictEqual((JSON.parse(bounded.stdout) as ReadonlyArray<unknown>).length, 5)
        if (output === "table") assert.strictEqual(bounded.stdout.trimEnd().split("\n").length, 7)
      }
      // Without a bound, rows are printed while the listing goes on (or until the SDK's own bound ends it).
      for (const output of ["tsv", "json"]) {
        const running = yield* start(["entra", "list", "-o", output], env(endless.url))
        const printed = yield* waitFor(running, ({ stdout }) => stdout.split("aaaaaaaa-").length > 4)
        assert.isTrue(printed, `${output}: rows printed before the listing ended`)
        running.signal("SIGKILL")
        yield* running.exited
      }
    }))

  it.scopedLive("a 404 exits 5 ('not found') on every command, whether or not the SDK expects one there", () =>
    Effect.gen(function*() {
      const missing = yield* serve((_, response) =>
        json(response, 404, { error: { code: "NotFound", message: "no such resource" } })
      )
      const commands = [
        ["user", "create"],
        ["token", "issue", "--scope", "chat"],
        ["entra", "list"],
        ["user", "show", "8:acs:x"],
        ["teams-extension", "show", "--tenant", guid, "--object", guid]
      ]
      for (const command of commands) {
        const run = yield* acsIdentity([...command, "--retries", "0"], env(missing.url))
        assert.deepStrictEqual({ code: run.code, stdout: run.stdout }, { code: 5, stdout: "" }, command.join(" "))
        assert.match(
          run.stderr,
          /^acs-identity: not found \(404 NotFound\): no such resource \[request id [0-9a-f-]+\]\n$/
        )
      }
    }))

  it.scopedLive("a reader that stops reading (| head -1) ends entra list quietly: exit 0, no stack trace", () =>
    Effect.gen(function*() {
      let pages = 0
      // Every page links to a new one, so the listing outlives any reader.
      const endless = yield* serve((request, response) => {
        pages++
        json(response, 200, {
          value: Array.from({ length: 50 }, (_, i) => ({
            objectId: `aaaaaaaa-0000-4000-8000-${String(pages * 100 + i).padStart(12, "0")}`,
            tenantId: "bbbbbbbb-0000-4000-8000-000000000001",
            principalType: "user",
            clientIds: ["cccccccc-0000-4000-8000-000000000003"]
          })),
          nextLink: `http://${request.headers.host}/access/entra/assignments?skip=${pages}`
        })
      })
      for (const output of ["tsv", "json", "table"]) {
        const running = yield* start(["entra", "list", "-o", output], env(endless.url))
        assert.isTrue(yield* waitFor(running, ({ stdout }) => stdout.includes("\n")), output)
        running.closeStdout()
        const result = yield* running.exited
        assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: "" }, output)
      }
    }))

  it.scopedLive("Ctrl-C after the request was sent exits 130 and says it may have taken effect", () =>
    Effect.gen(function*() {
      let arrived = 0
      const stalling = yield* serve(() => {
        arrived++
      })
      const running = yield* start(["user", "create", "--retries", "0"], env(stalling.url))
      const sent = yield* Effect.promise(async () => {
        const deadline = Date.now() + 20_000
        while (arrived === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
        return arrived > 0
      })
      assert.isTrue(sent, "the request reached the server")
      running.signal("SIGINT")
      const result = yield* running.exited
      assert.strictEqual(result.code, 130)
      assert.strictEqual(result.stdout, "")
      assert.strictEqual(result.stderr, "acs-identity: interrupted: the request was sent and may have taken effect\n")
    }))
})
