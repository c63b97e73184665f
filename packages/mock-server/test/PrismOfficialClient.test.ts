import { MockServer } from "@acs-identity/mock-server"
import type { CommunicationIdentityClientOptions } from "@azure/communication-identity"
import { CommunicationIdentityClient } from "@azure/communication-identity"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { claimsOf } from "./prism/Http.js"

/** The pipeline policy type, taken from the client's own options (no extra dependency). */
type PipelinePolicy = NonNullable<CommunicationIdentityClientOptions["additionalPolicies"]>[number]["policy"]

interface Seen {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly violations: string | undefined
}

/** A pipeline policy that records every response the official client receives. */
const recorder = () => {
  const seen: Array<Seen> = []
  const policy: PipelinePolicy = {
    name: "record-responses",
    sendRequest: async (request, next) => {
      const response = await next(request)
      seen.push({
        method: request.method,
        url: request.url,
        status: response.status,
        violations: response.headers.get("sl-violations")
      })
      return response
    }
  }
  return { seen, policy }
}

layer(MockServer.layerPrism(), { excludeTestServices: true })("official @azure/communication-identity 1.3.1", (it) => {
  it.effect("completes all six operations against the Prism mock without a single spec violation", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const { policy, seen } = recorder()
      const client = new CommunicationIdentityClient(Redacted.value(server.connectionString), {
        allowInsecureConnection: true,
        additionalPolicies: [{ position: "perRetry", policy }]
      })

      const user = yield* Effect.promise(() => client.createUser())
      assert.match(user.communicationUserId, /^8:acs:/)

      const withToken = yield* Effect.promise(() =>
        client.createUserAndToken(["chat", "voip"], { tokenExpiresInMinutes: 60 })
      )
      assert.match(withToken.user.communicationUserId, /^8:acs:/)
      assert.strictEqual(withToken.token.split(".").length, 3)
      assert.strictEqual(claimsOf(withToken.token).exp, Math.floor(withToken.expiresOn.getTime() / 1000))

      const token = yield* Effect.promise(() =>
        client.getToken(user, ["chat.join", "voip.join"], { tokenExpiresInMinutes: 1440 })
      )
      assert.strictEqual(token.token.split(".").length, 3)
      assert.instanceOf(token.expiresOn, Date)

      yield* Effect.promise(() => client.revokeTokens(user))
      yield* Effect.promise(() => client.deleteUser(user))

      const teams = yield* Effect.promise(() =>
        client.getTokenForTeamsUser({
          teamsUserAadToken: "entra-access-token-of-a-teams-user",
          clientId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
          userObjectId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
        })
      )
      assert.strictEqual(teams.token.split(".").length, 3)

      assert.deepStrictEqual(seen.map((s) => `${s.method} ${s.status}`), [
        "POST 201",
        "POST 201",
        "POST 200",
        "POST 204",
        "DELETE 204",
        "POST 200"
      ])
      for (const s of seen) {
        assert.isUndefined(s.violations, `${s.method} ${s.url}: ${s.violations}`)
        assert.include(s.url, "api-version=")
      }
      assert.include(seen[2]!.url, "/identities/8%3Aacs%3A")
      assert.include(seen[2]!.url, "/:issueAccessToken")
    }))

  it.effect("surfaces the mock's documented errors as RestErrors with the service code", () =>
    Effect.gen(function*() {
      const server = yield* MockServer
      const client = new CommunicationIdentityClient(Redacted.value(server.connectionString), {
        allowInsecureConnection: true,
        additionalPolicies: [{
          position: "perCall",
          policy: {
            name: "prefer-404",
            sendRequest: (request, next) => {
              request.headers.set("Prefer", "code=404")
              return next(request)
            }
          }
        }]
      })
      const error = yield* Effect.promise(() =>
        client.deleteUser({ communicationUserId: "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_x" }).then(
          () => undefined,
          (e: unknown) => e
        )
      )
      assert.isDefined(error)
      const restError = error as { readonly statusCode?: number; readonly code?: string }
      assert.strictEqual(restError.statusCode, 404)
      assert.strictEqual(restError.code, "IdentityNotFound")
    }))
})
