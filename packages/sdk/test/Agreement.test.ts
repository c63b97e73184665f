/**
 * The clients agree: the same random calls (arguments valid and not, every api-version) through the
 * HTTP client against the stateful mock and through the in-memory layer end the same way: success,
 * or the same error tag and the same argument, status, code and target, with or without a per-call
 * policy override (valid or not). A user a step refers to is
 * one created earlier in the same run (ids differ between the two stores) or a made-up id.
 *
 * The Prism mock answers from the spec's examples and keeps no state, so it is held to what a
 * stateless server can agree on: a call the others refuse before sending is refused the same way,
 * and every call they send ends in success or one of the service's own errors, never in an answer
 * the client cannot read (`UnexpectedResponseError`) or a transport failure.
 */
import { MockServer } from "@acs-identity/mock-server"
import { NodeTransport } from "@acs-identity/transport-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import * as fc from "fast-check"
import * as EntraAssignments from "../src/EntraAssignments.js"
import {
  ApiVersion,
  CommunicationIdentityClient,
  type CommunicationUserIdentifier,
  type RequestPolicy,
  type TokenScope,
  withRequestPolicy
} from "../src/index.js"
import { InMemoryIdentity } from "../src/testing/index.js"

type Client = CommunicationIdentityClient["Type"]

/** A step of a run: what to call, given the users created so far in this run. */
type Step = (client: Client, users: Array<CommunicationUserIdentifier>) => Effect.Effect<unknown, unknown>

const scope = fc.constantFrom<TokenScope | string>(
  "chat",
  "voip",
  "chat.join",
  "chat.join.limited",
  "voip.join",
  "bogus",
  ""
)
const scopes = fc.array(scope, { maxLength: 3 })
const expiry = fc.option(fc.constantFrom(59, 60, 61, 720, 1440, 1441, 0, -5, 60.5, Number.NaN), { nil: undefined })
const guid = fc.oneof(
  fc.uuid({ version: 4 }),
  fc.constantFrom("", "not-a-guid", "00000000-0000-0000-0000-00000000000g")
)
const customId = fc.option(fc.constantFrom("alice@contoso.com", "bob", "", "x".repeat(257), " spaced "), {
  nil: undefined
})

/** A user: one of this run's (by index), or a made-up id (valid shape, or not). */
const userRef = fc.oneof(
  fc.nat(4).map((i) => (users: Array<CommunicationUserIdentifier>) =>
    users.length === 0 ? { communicationUserId: "8:acs:none" } : users[i % users.length]!
  ),
  fc.constantFrom("8:acs:00000000-0000-0000-0000-000000000000_unknown", "", ".", "..", "\uD800").map((id) => () => ({
    communicationUserId: id
  }))
)

/** A named step. */
const named = (name: string, call: Step): readonly [string, Step] => [name, call]

const entraToken = fc.constantFrom("", "not a token", "eyJ0eXAiOiJKV1QifQ.e30.c2ln")
const clientIds = fc.array(guid, { maxLength: 2 })
/** A page's continuation token: none, the shape the client makes (naming any object), or one it never makes. */
const continuationToken = fc.oneof(
  fc.constant(undefined),
  guid.map((objectId) => new URLSearchParams({ skipToken: objectId }).toString()),
  fc.constantFrom("", "skipToken=a b", "skipToken=a#b", "api-version=2023-10-01", "skipToken=x&api-version=2023-10-01")
)
const entraAssignment = fc.record({
  tenantId: guid,
  principalType: fc.constantFrom("user", "group", "tenant", "bogus"),
  clientIds
})

/**
 * The random calls of every method of the client: a method without its step here does not
 * compile, so a new operation is driven through the three backends as soon as it exists.
 */
const steps: { readonly [M in Exclude<keyof Client, "apiVersion">]: fc.Arbitrary<readonly [string, Step]> } = {
  createUser: customId.map((id) =>
    named(
      `createUser(${id})`,
      (c, users) =>
        Effect.tap(
          c.createUser(id === undefined ? {} : { customId: id }),
          (user) => Effect.sync(() => users.push(user))
        )
    )
  ),
  createUserAndToken: fc.tuple(scopes, expiry).map(([s, e]) =>
    named(`createUserAndToken(${s}, ${e})`, (c, users) =>
      Effect.tap(
        c.createUserAndToken(s as Array<TokenScope>, e === undefined ? {} : { expiresInMinutes: e }),
        (result) => Effect.sync(() => users.push(result.user))
      ))
  ),
  getToken: fc.tuple(userRef, scopes, expiry).map(([u, s, e]) =>
    named(
      `getToken(${s}, ${e})`,
      (c, users) => c.getToken(u(users), s as Array<TokenScope>, e === undefined ? {} : { expiresInMinutes: e })
    )
  ),
  revokeTokens: userRef.map((u) => named("revokeTokens", (c, users) => c.revokeTokens(u(users)))),
  deleteUser: userRef.map((u) => named("deleteUser", (c, users) => c.deleteUser(u(users)))),
  getUser: userRef.map((u) => named("getUser", (c, users) => c.getUser(u(users)))),
  getTokenForTeamsUser: fc.tuple(guid, guid, fc.constantFrom("", "eyJ0eXAiOiJKV1QifQ.e30.c2ln")).map((
    [clientId, userObjectId, token]
  ) =>
    named(
      `getTokenForTeamsUser(${clientId}, ${userObjectId})`,
      (c) => c.getTokenForTeamsUser({ teamsUserAadToken: Redacted.make(token), clientId, userObjectId })
    )
  ),
  getTokenForTeamsExtensionUser: entraToken.map((token) =>
    named(`getTokenForTeamsExtensionUser(${token})`, (c) => c.getTokenForTeamsExtensionUser(token))
  ),
  getTeamsExtensionAssignment: fc.tuple(guid, guid).map(([tenantId, objectId]) =>
    named(
      `getTeamsExtensionAssignment(${tenantId}, ${objectId})`,
      (c) => c.getTeamsExtensionAssignment({ tenantId, objectId })
    )
  ),
  upsertTeamsExtensionAssignment: fc.tuple(
    guid,
    guid,
    fc.constantFrom("user", "resourceAccount", "bogus"),
    fc.option(clientIds, { nil: undefined })
  ).map(([tenantId, objectId, principalType, ids]) =>
    named(
      `upsertTeamsExtensionAssignment(${tenantId}, ${objectId}, ${principalType}, ${ids})`,
      (c) =>
        c.upsertTeamsExtensionAssignment({
          tenantId,
          objectId,
          principalType: principalType as "user",
          ...(ids === undefined ? {} : { clientIds: ids })
        })
    )
  ),
  deleteTeamsExtensionAssignment: fc.tuple(guid, guid).map(([tenantId, objectId]) =>
    named(
      `deleteTeamsExtensionAssignment(${tenantId}, ${objectId})`,
      (c) => c.deleteTeamsExtensionAssignment({ tenantId, objectId })
    )
  ),
  getTokenForEntraUser: entraToken.map((token) =>
    named(`getTokenForEntraUser(${token})`, (c) => c.getTokenForEntraUser(token))
  ),
  listEntraAssignmentsPage: fc.oneof(
    fc.constant(named("EntraAssignments.stream", (c) => Stream.runDrain(EntraAssignments.stream(c)))),
    continuationToken.map((token) =>
      named(`listEntraAssignmentsPage(${JSON.stringify(token)})`, (c) => c.listEntraAssignmentsPage(token))
    )
  ),
  getEntraAssignment: guid.map((objectId) =>
    named(`getEntraAssignment(${objectId})`, (c) => c.getEntraAssignment(objectId))
  ),
  upsertEntraAssignment: fc.tuple(guid, entraAssignment).map(([objectId, assignment]) =>
    named(
      `upsertEntraAssignment(${objectId}, ${JSON.stringify(assignment)})`,
      (c) => c.upsertEntraAssignment({ objectId, ...assignment, principalType: assignment.principalType as "user" })
    )
  ),
  deleteEntraAssignment: guid.map((objectId) =>
    named(`deleteEntraAssignment(${objectId})`, (c) => c.deleteEntraAssignment(objectId))
  ),
  updateEntraAssignments: fc.dictionary(guid, fc.option(entraAssignment, { nil: null }), { maxKeys: 2 }).map((
    changes
  ) =>
    named(
      `updateEntraAssignments(${JSON.stringify(changes)})`,
      (c) => c.updateEntraAssignments(changes as Parameters<Client["updateEntraAssignments"]>[0])
    )
  )
}

/**
 * A per-call policy override, or none: valid ones (without retries, which only the HTTP client would
 * make) and invalid ones, which every client refuses the same way before the call.
 */
const policy = fc.option(
  fc.constantFrom<Partial<Record<keyof RequestPolicy, unknown>>>(
    { maxRetries: 0 },
    { timeout: "10 seconds", maxRetries: 0 },
    { timeout: undefined },
    { timeout: 0 },
    { attemptTimeout: -1 },
    { maxRetries: 1.5 },
    { baseDelay: "bogus" },
    { maxDelay: Number.NaN }
  ),
  { nil: undefined }
)

const step = fc.tuple(fc.oneof(...Object.values(steps)), policy).map(([[name, call], overrides]) =>
  overrides === undefined
    ? named(name, call)
    : named(
      `${name} with ${JSON.stringify(overrides)}`,
      (c, users) => withRequestPolicy(call(c, users), overrides as Partial<RequestPolicy>)
    )
)

/** How a call ended, without what differs between two stores (ids, tokens, times). */
const outcome = (effect: Effect.Effect<unknown, unknown>): Effect.Effect<string> =>
  Effect.match(effect, {
    onSuccess: () => "ok",
    onFailure: (error) => {
      const e = error as Record<string, unknown>
      const parts = [e._tag, e.argument, e.status, e.code, e.target].filter((part) => part !== undefined)
      return parts.join(" ")
    }
  })

const run = (client: Client, steps: ReadonlyArray<readonly [string, Step]>) =>
  Effect.gen(function*() {
    const users: Array<CommunicationUserIdentifier> = []
    const outcomes: Array<string> = []
    for (const [name, call] of steps) outcomes.push(`${name}: ${yield* outcome(call(client, users))}`)
    return outcomes
  })

/** The HTTP client on `transport-node`, without retries, for a mock's connection string. */
const overHttp = (connectionString: Redacted.Redacted<string>, apiVersion: ApiVersion.ApiVersion) =>
  ManagedRuntime.make(
    CommunicationIdentityClient.fromConnectionString(connectionString, { apiVersion, policy: { maxRetries: 0 } }).pipe(
      Layer.provide(NodeTransport.layer)
    )
  )

/** The Prism outcome of a step whose in-memory outcome is `expected`, or why the two disagree. */
const prismDisagreement = (expected: string, prism: string): string | undefined => {
  const [name] = expected.split(": ")
  const want = expected.slice(name!.length + 2)
  const got = prism.slice(name!.length + 2)
  if (want.startsWith("InvalidArgumentError")) return got === want ? undefined : `${name}: ${got} (not ${want})`
  return /^(UnexpectedResponseError|TransportError|InvalidArgumentError)/.test(got) ? `${name}: ${got}` : undefined
}

describe("the HTTP client (stateful mock), the in-memory layer and the Prism mock agree", () => {
  const mock = ManagedRuntime.make(MockServer.layerStateful())
  const prism = ManagedRuntime.make(MockServer.layerPrism())
  beforeAll(() => Promise.all([mock.runPromise(MockServer), prism.runPromise(MockServer)]), 60_000)
  afterAll(() => Promise.all([mock.dispose(), prism.dispose()]))

  for (const apiVersion of ApiVersion.ApiVersion.literals) {
    it(`on random calls under ${apiVersion}`, { timeout: 120_000 }, async () => {
      const server = await mock.runPromise(MockServer)
      const http = overHttp(server.connectionString, apiVersion)
      const memory = ManagedRuntime.make(InMemoryIdentity.layer({ apiVersion }))
      const prismServer = await prism.runPromise(MockServer)
      const overPrism = overHttp(prismServer.connectionString, apiVersion)
      try {
        const httpClient = await http.runPromise(CommunicationIdentityClient)
        const memoryClient = await memory.runPromise(CommunicationIdentityClient)
        const prismClient = await overPrism.runPromise(CommunicationIdentityClient)
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
            const fromHttp = await http.runPromise(run(httpClient, steps))
            const inMemory = await memory.runPromise(run(memoryClient, steps))
            assert.deepStrictEqual(fromHttp, inMemory)
            const fromPrism = await overPrism.runPromise(run(prismClient, steps))
            const disagreements = inMemory.flatMap((expected, i) => prismDisagreement(expected, fromPrism[i]!) ?? [])
            assert.deepStrictEqual(disagreements, [])
          }),
          { numRuns: 100 }
        )
      } finally {
        await http.dispose()
        await memory.dispose()
        await overPrism.dispose()
      }
    })
  }
})
