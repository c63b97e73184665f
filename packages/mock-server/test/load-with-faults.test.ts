/**
 * Load with faults: 10,000 SDK operations at concurrency 256 against the stateful mock over real
 * HTTP, with about 10% transient faults injected (429, 503, 500, connection resets before and after
 * the server commits). Every operation must end in a value or a typed error, no create may make a
 * second user, no created user may be lost, and memory must stay flat.
 */
import { CommunicationIdentityClient, type CommunicationUserIdentifier } from "@acs-identity/sdk"
import * as HttpClientTransport from "@acs-identity/sdk/HttpClientTransport"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import type { FaultRule } from "../src/shared/Faults.js"
import { StatefulMockServer } from "../src/stateful/StatefulServer.js"

const operations = 10_000
const concurrency = 256
const batches = 4

const faults: ReadonlyArray<FaultRule> = [
  { fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 }, probability: 0.025 },
  { fault: { _tag: "Status", status: 429, retryAfterSeconds: 0 }, probability: 0.025 },
  { fault: { _tag: "Status", status: 500 }, probability: 0.02 },
  { fault: { _tag: "ResetBeforeCommit" }, probability: 0.015 },
  { fault: { _tag: "ResetAfterCommit" }, probability: 0.015 }
]

const Server = StatefulMockServer.layer({ seed: "load-with-faults", faults })
const Client = Layer.unwrapEffect(
  Effect.map(StatefulMockServer, (server) =>
    CommunicationIdentityClient.fromConnectionString(server.connectionString, {
      policy: { maxRetries: 6, baseDelay: "5 millis", maxDelay: "100 millis", attemptTimeout: "20 seconds" }
    }))
).pipe(Layer.provide(HttpClientTransport.layer), Layer.provide(NodeHttpClient.layerUndici))

type Outcome = { readonly kind: "create"; readonly id: string } | { readonly kind: "other" }

/** A full collection, available without starting node with --expose-gc. */
const collect: () => void = (() => {
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc")
})()

const heapMb = () => {
  collect()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

describe("load with faults", () => {
  layer(Client.pipe(Layer.provideMerge(Server)), { excludeTestServices: true, timeout: "5 minutes" })(
    "stateful",
    (it) => {
      it.effect(
        "10,000 operations at concurrency 256: none lost, none duplicated, all typed, memory flat",
        () =>
          Effect.gen(function*() {
            const client = yield* CommunicationIdentityClient
            const server = yield* StatefulMockServer
            yield* server.faults.clear
            const pool: ReadonlyArray<CommunicationUserIdentifier> = yield* Effect.forEach(
              Array.from({ length: 32 }),
              () => client.createUser(),
              { concurrency: 8 }
            )
            yield* server.faults.add(faults)
            const before = yield* server.store.snapshot

            const operation = (i: number): Effect.Effect<Outcome, unknown> => {
              const user = pool[i % pool.length]!
              switch (i % 10) {
                case 0:
                case 1:
                case 2:
                  return Effect.map(client.createUser(), (u) => ({ kind: "create", id: u.communicationUserId }))
                case 3:
                case 4:
                  return Effect.map(
                    client.createUserAndToken(["chat"]),
                    (r) => ({ kind: "create", id: r.user.communicationUserId })
                  )
                case 9:
                  return Effect.as(client.revokeTokens(user), { kind: "other" })
                default:
                  return Effect.as(client.getToken(user, ["chat", "voip"], { expiresInMinutes: 60 }), { kind: "other" })
              }
            }

            const started = Date.now()
            const exits: Array<Exit.Exit<Outcome, unknown>> = []
            const heap: Array<number> = [heapMb()]
            const perBatch = operations / batches
            for (let b = 0; b < batches; b++) {
              const batch = Array.from({ length: perBatch }, (_, i) => b * perBatch + i)
              exits.push(...(yield* Effect.forEach(batch, (i) => Effect.exit(operation(i)), { concurrency })))
              heap.push(heapMb())
            }
            const seconds = (Date.now() - started) / 1000
            const after = yield* server.store.snapshot
            const injected = (yield* server.faults.injected).length

            const defects = exits.filter((e) => Exit.isFailure(e) && !Cause.isFailType(e.cause))
            const failures = exits.flatMap((e) => Exit.isFailure(e) ? [Cause.squash(e.cause)] : [])
            const untyped = failures.filter((f) => typeof (f as { _tag?: unknown })._tag !== "string")
            const created = exits.flatMap((e) => Exit.isSuccess(e) && e.value.kind === "create" ? [e.value.id] : [])
            const createCalls = exits.filter((_, i) => i % 10 < 5).length
            const failedCreates = createCalls - created.length
            const newUsers = after.users.slice(before.users.length).map((u) => u.id)
            const stored = new Set(newUsers)
            const lost = created.filter((id) => !stored.has(id)).length
            const duplicates = newUsers.length - created.length - failedCreates
            const summary = {
              operations: exits.length,
              seconds: Number(seconds.toFixed(1)),
              faultsInjected: injected,
              requests: after.requestCount - before.requestCount,
              succeeded: exits.length - failures.length,
              typedFailures: failures.length,
              defects: defects.length,
              lost,
              duplicates: Math.max(0, duplicates),
              heapMb: heap.map((h) => Math.round(h))
            }
            console.log(`load with faults: ${JSON.stringify(summary)}`)

            assert.strictEqual(exits.length, operations)
            assert.strictEqual(defects.length, 0)
            assert.strictEqual(untyped.length, 0)
            assert.isAbove(injected, operations * 0.08, "about 10% of requests were faulted")
            assert.strictEqual(new Set(created).size, created.length, "no two creates returned the same user")
            assert.strictEqual(lost, 0)
            assert.isAtMost(duplicates, 0, "no create made a second user")
            assert.isAbove(summary.succeeded, operations * 0.99)
            assert.isBelow(
              heap[batches]! - heap[1]!,
              32,
              "heap after a full GC grows only with the mock's stored users and tokens"
            )
          }),
        300_000
      )
    }
  )
})
