import { MockServer, startMockServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import * as EntraAssignments from "@acs-identity/sdk/EntraAssignments"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { Conformance } from "@acs-identity/sdk/testing"
import { assert, describe, it, layer } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Redacted, Stream } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { control, send } from "./utils/signing.js"

const clientOn = (apiVersion: "2025-06-30" | "2025-03-02-preview") =>
  Layer.unwrapEffect(
    Effect.map(MockServer, (server) =>
      CommunicationIdentityClient.fromConnectionString(server.connectionString, { apiVersion }))
  ).pipe(Layer.provide(HttpClientTransport.layerFetch))

const create = { method: "POST", path: "/identities?api-version=2025-06-30", body: "{}" } as const
const exampleApp = Conformance.exampleTeamsUser.appId
const exampleUser = Conformance.exampleTeamsUser.userId

describe("conformance of the SDK's HTTP client against Prism (stateless checks)", () => {
  for (const apiVersion of ["2025-06-30", "2025-03-02-preview"] as const) {
    layer(clientOn(apiVersion).pipe(Layer.provideMerge(MockServer.layerPrism())), { excludeTestServices: true })(
      apiVersion,
      (it) => Conformance.register(it, { stateful: false, apiVersion })
    )
  }
})

describe("faults in Prism mode (fault proxy in front of Prism)", () => {
  layer(
    MockServer.layerPrism({
      faults: [{ operation: "createIdentity", fault: { _tag: "Status", status: 503 }, times: 1 }]
    }),
    {
      excludeTestServices: true
    }
  )("prism + faults", (it) => {
    it.effect("options and /__control/faults inject faults; other requests reach Prism", () =>
      Effect.gen(function*() {
        const { url } = yield* MockServer
        const throttled = yield* send(url, create)
        assert.strictEqual(throttled.status, 503)
        assert.strictEqual(throttled.headers.get("retry-after-ms"), "1000")
        const passed = yield* send(url, create)
        assert.strictEqual(passed.status, 201)
        assert.strictEqual(JSON.parse(passed.text).identity.id.slice(0, 6), "8:acs:")
        const rules = [
          { operation: "createIdentity", fault: { _tag: "GatewayHtml" }, times: 1 },
          { operation: "createIdentity", fault: { _tag: "ResetBeforeCommit" }, times: 1 },
          { operation: "createIdentity", fault: { _tag: "Latency", millis: 200 }, times: 1 },
          { operation: "createIdentity", fault: { _tag: "TruncatedJson" }, times: 1 }
        ]
        assert.strictEqual((yield* control(url, "POST", "/__control/faults", { rules })).status, 204)
        const gateway = yield* send(url, create)
        assert.strictEqual(gateway.status, 502)
        assert.match(gateway.headers.get("content-type") ?? "", /^text\/html/)
        assert.isTrue(Either.isLeft(yield* Effect.either(send(url, create))))
        const started = Date.now()
        assert.strictEqual((yield* send(url, create)).status, 201)
        assert.isAtLeast(Date.now() - started, 190)
        const truncated = yield* send(url, create)
        assert.throws(() => JSON.parse(truncated.text))
        assert.strictEqual((yield* control(url, "DELETE", "/__control/faults")).status, 204)
      }))
  })
})

describe("the stateful mock through the three faces", () => {
  layer(MockServer.layerStateful(), { excludeTestServices: true })("MockServer.layerStateful", (it) => {
    it.effect("verifies signatures and keeps state", () =>
      Effect.gen(function*() {
        const server = yield* MockServer
        assert.strictEqual(server.mode, "stateful")
        assert.strictEqual((yield* send(server.url, create)).status, 201)
        assert.strictEqual((yield* send(server.url, { ...create, key: "d3Jvbmc=" })).status, 401)
        const state = JSON.parse((yield* control(server.url, "GET", "/__control/state")).text)
        assert.strictEqual(state.users.length, 1)
      }))
  })

  layer(clientOn("2025-06-30").pipe(Layer.provideMerge(MockServer.layerStateful())), { excludeTestServices: true })(
    "MockServer.layerStateful() runs the conformance suite with its defaults",
    (it) => Conformance.register(it)
  )

  layer(
    clientOn("2025-03-02-preview").pipe(
      Layer.provideMerge(
        MockServer.layerStateful({
          pageSize: 2,
          teamsTokens: [{ token: "custom-teams-token", appId: exampleApp, userId: exampleUser }],
          signature: "verify",
          seed: 7
        })
      )
    ),
    { excludeTestServices: true }
  )("MockServer.layerStateful takes StatefulMockServer's options", (it) => {
    it.effect("pageSize pages the list; teamsTokens replaces the accepted Teams tokens", () =>
      Effect.gen(function*() {
        const client = yield* CommunicationIdentityClient
        const tenantId = globalThis.crypto.randomUUID()
        const ids = Array.from({ length: 5 }, () => globalThis.crypto.randomUUID())
        for (const objectId of ids) {
          yield* client.upsertEntraAssignment({ objectId, tenantId, principalType: "user", clientIds: [] })
        }
        const server = yield* MockServer
        const page = yield* send(server.url, {
          method: "GET",
          path: "/access/entra/assignments?api-version=2025-03-02-preview"
        })
        const body = JSON.parse(page.text)
        assert.strictEqual(body.value.length, 2)
        assert.match(body.nextLink, /^\/access\/entra\/assignments\?api-version=2025-03-02-preview&skipToken=/)
        const all = yield* Stream.runCollect(EntraAssignments.stream(client))
        assert.strictEqual(Chunk.size(all), 5)
        const custom = { teamsUserAadToken: "custom-teams-token", clientId: exampleApp, userObjectId: exampleUser }
        yield* client.getTokenForTeamsUser(custom)
        const example = yield* Effect.flip(
          client.getTokenForTeamsUser({ ...custom, teamsUserAadToken: Conformance.exampleTeamsUser.token })
        )
        assert.strictEqual(example._tag, "AuthenticationError")
      }))
  })

  it.live("startMockServer({ stateful: true, faults })", () =>
    Effect.gen(function*() {
      const server = yield* Effect.promise(() =>
        startMockServer({
          stateful: true,
          faults: [{ operation: "createIdentity", fault: { _tag: "Status", status: 429 }, times: 1 }]
        })
      )
      try {
        assert.strictEqual(server.mode, "stateful")
        assert.strictEqual((yield* send(server.url, create)).status, 429)
        assert.strictEqual((yield* send(server.url, create)).status, 201)
      } finally {
        yield* Effect.promise(() => server.close())
      }
    }))

  it.live("acs-identity-mock --stateful", () =>
    Effect.scoped(Effect.gen(function*() {
      const here = path.dirname(fileURLToPath(import.meta.url))
      const child = yield* Effect.acquireRelease(
        Effect.sync(() =>
          spawn(
            process.execPath,
            ["--conditions=source", "--import", "tsx", path.join(here, "../src/bin.ts"), "--stateful", "--port", "0"],
            { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } }
          )
        ),
        // SIGTERM so the command closes its server; SIGKILL only if it hangs.
        (child) =>
          Effect.promise(() =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve()
              const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
              child.once("exit", () => {
                clearTimeout(timer)
                resolve()
              })
              child.kill("SIGTERM")
            })
          )
      )
      const ready = yield* Effect.promise(() =>
        new Promise<string>((resolve, reject) => {
          let out = ""
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString("utf8")
            const line = out.split("\n").find((l) =>
              l.startsWith("COMMUNICATION_CONNECTION_STRING=") && out.includes(`${l}\n`)
            )
            if (line !== undefined) resolve(line)
          })
          child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)))
        })
      )
      const url = /endpoint=(http:\/\/[^/]+)\//.exec(ready)![1]!
      const client = yield* Effect.provide(
        CommunicationIdentityClient,
        CommunicationIdentityClient.fromConnectionString(Redacted.make(ready.slice(ready.indexOf("=") + 1))).pipe(
          Layer.provide(HttpClientTransport.layerFetch)
        )
      )
      const user = yield* client.createUser()
      yield* client.deleteUser(user)
      const error = yield* Effect.flip(client.getToken(user, ["chat"]))
      assert.strictEqual(error._tag, "AuthenticationError")
      assert.strictEqual((yield* send(url, { ...create, key: "d3Jvbmc=" })).status, 401)
    })))
})
