import { makePrism, MockServer, PrismServer, startMockServer } from "@acs-identity/mock-server"
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as net from "node:net"
import { AccessToken, AccessTokenResult, send } from "./prism/Http.js"

/** Counts the TCP handles (listening and connected) of this thread. */
const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith("TCP")).length

/** Waits (briefly) until the TCP handle count is back to `baseline`; returns the last count. */
const settleTo = (baseline: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 50 && tcpHandles() > baseline; i++) yield* Effect.sleep("20 millis")
    return tcpHandles()
  })

/** Binds `port` on 127.0.0.1 and releases it again: proves nobody holds it. */
const canBind = (port: number) =>
  Effect.async<boolean>((resume) => {
    const probe = net.createServer()
    probe.once("error", () => resume(Effect.succeed(false)))
    probe.listen(port, "127.0.0.1", () => probe.close(() => resume(Effect.succeed(true))))
  })

/** What dynamic mode may generate: the spec's properties only (any values the spec allows). */
const DynamicAccessToken = Schema.Struct({ token: Schema.String, expiresOn: Schema.Date })
const DynamicCreateResult = Schema.Struct({
  identity: Schema.Struct({
    id: Schema.String,
    customId: Schema.optional(Schema.String),
    lastTokenIssuedAt: Schema.optional(Schema.Date)
  }),
  accessToken: Schema.optional(DynamicAccessToken)
})

const portOf = (url: string) => Number(new URL(url).port)

describe("Prism mock lifecycle", () => {
  it.live("the scoped layer frees its port and leaves no handles when the scope closes", () =>
    Effect.gen(function*() {
      const baselineTcp = tcpHandles()
      const baselineAll = process.getActiveResourcesInfo().length
      const scope = yield* Scope.make()
      const server = Context.get(yield* Layer.buildWithScope(MockServer.layerPrism(), scope), MockServer)
      const port = portOf(server.url)
      assert.isFalse(yield* canBind(port), "the mock holds its port while running")
      const reply = yield* send(server.url, { method: "POST", path: "/identities" })
      assert.strictEqual(reply.status, 201)
      assert.isAbove(tcpHandles(), baselineTcp)

      yield* Scope.close(scope, Exit.void)
      assert.isTrue(yield* canBind(port), "the port is free right after the scope closed")
      assert.isAtMost(yield* settleTo(baselineTcp), baselineTcp)
      assert.isAtMost(process.getActiveResourcesInfo().length, baselineAll)
    }))

  it.live("binds the requested port, and fails with PrismStartError when it is taken, alone or behind its proxy", () =>
    Effect.gen(function*() {
      const first = yield* Effect.acquireRelease(
        Effect.promise(() => startMockServer()),
        (s) => Effect.promise(() => s.close())
      )
      const port = portOf(first.url)
      for (const start of [Effect.asVoid(PrismServer.start({ port })), Effect.asVoid(makePrism({ port }))]) {
        const error = yield* Effect.scoped(start).pipe(Effect.flip)
        assert.strictEqual(error._tag, "PrismStartError")
        assert.strictEqual((error as PrismServer.PrismStartError).reason, "Listen")
        assert.include(error.message, "EADDRINUSE")
      }
    }).pipe(Effect.scoped))

  it.live("startMockServer resolves with url and connection string, and close() frees the port (twice is fine)", () =>
    Effect.gen(function*() {
      const baselineTcp = tcpHandles()
      const server = yield* Effect.promise(() => startMockServer({ port: 0 }))
      assert.strictEqual(server.mode, "prism")
      assert.strictEqual(
        server.connectionString,
        `endpoint=${server.url}/;accesskey=YWNzLWlkZW50aXR5LW1vY2stZGV2ZWxvcG1lbnQta2V5`
      )
      const reply = yield* send(server.url, { method: "DELETE", path: "/identities/8%3Aacs%3Aabc_def" })
      assert.strictEqual(reply.status, 204)
      yield* Effect.promise(() => server.close())
      yield* Effect.promise(() => server.close())
      assert.isTrue(yield* canBind(portOf(server.url)))
      assert.isAtMost(yield* settleTo(baselineTcp), baselineTcp)
    }))

  /**
   * Prism's faker (`x-faker: date.future`) gives a day within the next year at 00:00 UTC, so a date
   * drawn for later today is already past: "future" holds at day granularity only.
   */
  const startOfToday = () => {
    const now = new Date()
    return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  }

  it.live("dynamic mode generates schema-valid bodies without extra properties and with future expiries", () =>
    Effect.gen(function*() {
      const server = yield* PrismServer.start({ dynamic: true })
      for (let i = 0; i < 20; i++) {
        const created = yield* send(server.url, { method: "POST", path: "/identities", body: {} })
        assert.strictEqual(created.status, 201)
        assert.deepStrictEqual(created.violations, [])
        const body = Schema.decodeUnknownSync(DynamicCreateResult, { onExcessProperty: "error" })(created.json)
        assert.isNotEmpty(body.identity.id)
        if (body.accessToken !== undefined) assert.isTrue(body.accessToken.expiresOn.getTime() >= startOfToday())
        const issued = yield* send(server.url, {
          method: "POST",
          path: "/identities/x/:issueAccessToken",
          body: { scopes: ["voip"] }
        })
        assert.strictEqual(issued.status, 200)
        assert.deepStrictEqual(issued.violations, [])
        const token = Schema.decodeUnknownSync(DynamicAccessToken, { onExcessProperty: "error" })(issued.json)
        assert.isTrue(token.expiresOn.getTime() >= startOfToday(), `expiresOn ${token.expiresOn.toISOString()}`)
      }
    }).pipe(Effect.scoped))

  it.live("static mode bodies match the stricter test schemas", () =>
    Effect.gen(function*() {
      const server = yield* PrismServer.start()
      const created = yield* send(server.url, { method: "POST", path: "/identities", body: {} })
      Schema.decodeUnknownSync(AccessTokenResult, { onExcessProperty: "error" })(created.json)
      const issued = yield* send(server.url, {
        method: "POST",
        path: "/identities/x/:issueAccessToken",
        body: { scopes: ["chat"] }
      })
      Schema.decodeUnknownSync(AccessToken, { onExcessProperty: "error" })(issued.json)
    }).pipe(Effect.scoped))
})
