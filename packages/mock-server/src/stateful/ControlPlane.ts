/**
 * The stateful mock's control plane under `/__control/`, for tests and people driving the mock:
 * `GET state` (users, counts, requests, faults injected), `POST`/`DELETE faults`, and
 * `POST teamsTokens` (register a Teams user's token for the exchange). The `ControlGuard` admits a
 * request before it gets here.
 *
 * @since 0.1.0
 */
import type { IdentityStore } from "@acs-identity/sdk/testing"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Faults from "../shared/Faults.js"
import * as Reply from "../shared/Reply.js"
import * as Wire from "../shared/Wire.js"

const TeamsRegistration = Schema.Struct({
  token: Schema.String.pipe(Schema.minLength(1)),
  appId: Schema.String,
  userId: Schema.String,
  expiresOn: Schema.optional(Schema.Date)
})

const notFound = Reply.error(404, "NotFound", "The requested resource was not found.")

/**
 * The control plane over a store and a fault injector: answers a method, path and body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  store: IdentityStore.IdentityStore,
  faults: Faults.FaultInjector
): (method: string, path: string, body: Uint8Array) => Effect.Effect<Reply.Reply> => {
  const state = Effect.map(Effect.zip(store.snapshot, faults.injected), ([state, injected]) =>
    Reply.service(200, {
      resourceId: state.resourceId,
      users: state.users.map((user) => ({
        id: user.id,
        customId: user.customId,
        lastTokenIssuedAt: user.lastTokenIssuedAt,
        createdAt: user.createdAt,
        revokedAt: user.revokedAt,
        deletedAt: user.deletedAt
      })),
      tokensIssued: state.tokens.length,
      revocations: state.revocations.length,
      deletions: state.deletions.length,
      requests: state.requests,
      requestCount: state.requestCount,
      faultsInjected: injected
    }))

  return (method, path, body) => {
    if (path === "/__control/state" && method === "GET") return state
    if (path === "/__control/faults" && method === "DELETE") return Effect.as(faults.clear, Reply.empty(204))
    if (path === "/__control/faults" && method === "POST") {
      return Schema.decodeUnknown(Faults.FaultRules)(Wire.parseObject(body)).pipe(
        Effect.flatMap(({ rules }) => faults.add(rules)),
        Effect.as(Reply.empty(204)),
        Effect.catchAll((e) => Effect.succeed(Reply.error(400, "InvalidFaultRules", e.message)))
      )
    }
    if (path === "/__control/teamsTokens" && method === "POST") {
      return Schema.decodeUnknown(TeamsRegistration)(Wire.parseObject(body)).pipe(
        Effect.flatMap((registration) => store.registerTeamsToken(registration)),
        Effect.as(Reply.empty(204)),
        Effect.catchAll(() =>
          Effect.succeed(Reply.error(400, "InvalidTeamsToken", "expected {token, appId, userId, expiresOn?}"))
        )
      )
    }
    return Effect.succeed(notFound)
  }
}
