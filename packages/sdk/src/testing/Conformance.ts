/**
 * A conformance suite for any `CommunicationIdentityClient` layer: every operation of the service,
 * the identity lifecycle, assignments and token exchanges, and their error cases, as plain Effects.
 * It runs against the in-memory layer, the HTTP client on the stateful mock and (without the
 * stateful checks) the HTTP client on the Prism mock, so a test suite can swap layers and keep its
 * promises. No test framework is imported: `register` takes `it` from `@effect/vitest` structurally.
 *
 * Each check names the operations it uses; only checks whose operations all exist in the
 * api-version given (`apiVersion`, default `2025-06-30`) are registered, and a check fails when the
 * client sends another version, so nothing passes without checking.
 *
 * The exchange checks make unsigned JWT-shaped Entra tokens (`IdentityStore.entraTokenFor`), which
 * the in-memory layer and the stateful mock read; pass `entraToken` to use real ones.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { type ApiVersion, defaultApiVersion, previewApiVersion, supportsExpiresInMinutes } from "../ApiVersion.js"
import { CommunicationIdentityClient } from "../CommunicationIdentityClient.js"
import * as EntraAssignments from "../EntraAssignments.js"
import type { CommunicationIdentityError } from "../Errors.js"
import type { CommunicationUserIdentifier } from "../Identifier.js"
import type { EntraToken, GetTokenForTeamsUserOptions } from "../Models.js"
import { isAvailable, type OperationId } from "../Operations.js"
import { type EntraClaims, entraTokenFor, exampleTeamsUser as storeExampleTeamsUser } from "./IdentityStore.js"

/**
 * A check did not hold. The message names what was expected; it never contains a token.
 *
 * @since 0.1.0
 * @category services
 */
export class ConformanceFailure extends Schema.TaggedError<ConformanceFailure>()("ConformanceFailure", {
  check: Schema.String,
  message: Schema.String
}) {}

/**
 * One named check; `R` is whatever `Options.requestCount` needs (e.g. the in-memory state).
 *
 * @since 0.1.0
 * @category models
 */
export interface Check<R = never> {
  readonly name: string
  /** Needs a backend that remembers users and tokens (not Prism). */
  readonly stateful: boolean
  /** The operations it calls: it is registered only for api-versions that have them all. */
  readonly operations: ReadonlyArray<OperationId>
  readonly run: Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R>
}

/**
 * How to run the suite.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R = never> {
  /** Include the checks that need state (default `true`); `false` for a stateless mock such as Prism. */
  readonly stateful?: boolean | undefined
  /** A Teams user the backend accepts; defaults to {@link exampleTeamsUser}. */
  readonly teamsUser?: GetTokenForTeamsUserOptions | undefined
  /** How many requests the backend has received, to prove invalid arguments are rejected before sending. */
  readonly requestCount?: Effect.Effect<number, never, R> | undefined
  /** The api-version the client under test sends (default `2025-06-30`): selects the checks that apply. */
  readonly apiVersion?: ApiVersion | undefined
  /** Makes the user's Entra token for an exchange; defaults to `IdentityStore.entraTokenFor`. */
  readonly entraToken?: ((claims: EntraClaims) => EntraToken) | undefined
}

/**
 * The spec's example Teams user, which the in-memory layer and the stateful mock accept by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const exampleTeamsUser = storeExampleTeamsUser

/**
 * A user of another resource: the service answers 401 for it.
 *
 * @since 0.1.0
 * @category constants
 */
export const foreignUser: CommunicationUserIdentifier = {
  communicationUserId: "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000"
}

type Probe = Effect.Effect<unknown, CommunicationIdentityError, CommunicationIdentityClient>

const client = CommunicationIdentityClient

const makeCheck = <R>(
  apiVersion: ApiVersion,
  name: string,
  stateful: boolean,
  operations: ReadonlyArray<OperationId>,
  body: (fail: (message: string) => ConformanceFailure) => Effect.Effect<void, unknown, CommunicationIdentityClient | R>
): Check<R> => {
  const fail = (message: string) => new ConformanceFailure({ check: name, message })
  const sameVersion = Effect.flatMap(client, (identity) =>
    ensure(
      identity.apiVersion === apiVersion,
      () => fail(`registered for api-version ${apiVersion}, but the client sends ${identity.apiVersion}`)
    ))
  return {
    name,
    stateful,
    operations,
    run: Effect.mapError(
      Effect.zipRight(sameVersion, body(fail)),
      (error) =>
        error instanceof ConformanceFailure
          ? error
          : fail(`unexpected failure: ${describe(error)}`)
    )
  }
}

const describe = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const { _tag, message } = error as { _tag: unknown; message?: unknown }
    return `${String(_tag)}${typeof message === "string" ? ` (${message})` : ""}`
  }
  return String(error)
}

const ensure = (ok: boolean, failure: () => ConformanceFailure): Effect.Effect<void, ConformanceFailure> =>
  ok ? Effect.void : Effect.fail(failure())

const expectError = (
  fail: (message: string) => ConformanceFailure,
  label: string,
  probe: Probe,
  tag: CommunicationIdentityError["_tag"],
  detail?: (error: CommunicationIdentityError) => boolean
) =>
  Effect.flatMap(Effect.either(probe), (result) =>
    Either.isRight(result)
      ? Effect.fail(fail(`${label}: expected ${tag}, but it succeeded`))
      : ensure(
        result.left._tag === tag && (detail === undefined || detail(result.left)),
        () => fail(`${label}: expected ${tag}, got ${describe(result.left)}`)
      ))

const jwtShaped = (token: Redacted.Redacted<string>): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(Redacted.value(token))

/** Tolerance for comparing a token's expiry with the local clock (the HTTP mocks run on real time). */
const expirySlackMillis = 2 * 60_000

const lifetimeIs = (expiresOn: Date, minutes: number) =>
  Effect.map(
    Clock.currentTimeMillis,
    (now) => Math.abs(expiresOn.getTime() - (now + minutes * 60_000)) <= expirySlackMillis
  )

const statusIs = (status: number) => (error: CommunicationIdentityError) => "status" in error && error.status === status

/** A fresh GUID, so checks sharing one backend never touch each other's assignments. */
const guid: Effect.Effect<string> = Effect.sync(() => globalThis.crypto.randomUUID())

/**
 * The checks, in lifecycle order.
 *
 * @since 0.1.0
 * @category utils
 */
export const checks = <R = never>(options: Options<R> = {}): ReadonlyArray<Check<R>> => {
  const teamsUser = options.teamsUser ?? {
    teamsUserAadToken: exampleTeamsUser.token,
    clientId: exampleTeamsUser.appId,
    userObjectId: exampleTeamsUser.userId
  }
  const apiVersion = options.apiVersion ?? defaultApiVersion
  const makeToken = options.entraToken ?? entraTokenFor
  const check = (
    name: string,
    stateful: boolean,
    operations: ReadonlyArray<OperationId>,
    body: (
      fail: (message: string) => ConformanceFailure
    ) => Effect.Effect<void, unknown, CommunicationIdentityClient | R>
  ) => makeCheck<R>(apiVersion, name, stateful, operations, body)
  const all: Array<Check<R>> = [
    check("createUser returns an ACS user id", false, ["createIdentity"], (fail) =>
      Effect.gen(function*() {
        const user = yield* (yield* client).createUser()
        yield* ensure(/^8:acs:.+_.+$/.test(user.communicationUserId), () => fail("the id is not 8:acs:<resource>_<id>"))
      })),
    check(
      "createUserAndToken returns a user and a JWT-shaped token that has not expired",
      false,
      ["createIdentity"],
      (fail) =>
        Effect.gen(function*() {
          const result = yield* (yield* client).createUserAndToken(["chat", "voip"])
          yield* ensure(result.user.communicationUserId.startsWith("8:acs:"), () => fail("the user id is not 8:acs:…"))
          yield* ensure(jwtShaped(result.token), () => fail("the token is not header.payload.signature"))
          const now = yield* Clock.currentTimeMillis
          yield* ensure(result.expiresOn.getTime() > now, () => fail("the token has already expired"))
        })
    ),
    // Token lifetimes exist from 2022-10-01; older versions issue 24-hour tokens only.
    ...(supportsExpiresInMinutes(apiVersion) ?
      [
        check(
          "getToken issues tokens for 60 and 1440 minutes",
          false,
          ["createIdentity", "issueAccessToken"],
          (fail) =>
            Effect.gen(function*() {
              const identity = yield* client
              const user = yield* identity.createUser()
              const short = yield* identity.getToken(user, ["chat"], { expiresInMinutes: 60 })
              const long = yield* identity.getToken(user, ["chat", "voip"], { expiresInMinutes: 1440 })
              yield* ensure(jwtShaped(short.token) && jwtShaped(long.token), () => fail("a token is not JWT-shaped"))
            })
        ),
        check("token lifetimes follow expiresInMinutes (60, 1440, default 1440)", true, [
          "createIdentity",
          "issueAccessToken"
        ], (fail) =>
          Effect.gen(function*() {
            const identity = yield* client
            const user = yield* identity.createUser()
            for (const [minutes, requested] of [[60, 60], [1440, 1440], [1440, undefined]] as const) {
              const token = yield* identity.getToken(
                user,
                ["voip"],
                requested === undefined ? {} : { expiresInMinutes: requested }
              )
              yield* ensure(
                yield* lifetimeIs(token.expiresOn, minutes),
                () => fail(`the token does not live ${minutes} minutes`)
              )
            }
            const created = yield* identity.createUserAndToken(["chat"], { expiresInMinutes: 60 })
            yield* ensure(
              yield* lifetimeIs(created.expiresOn, 60),
              () => fail("createUserAndToken ignored expiresInMinutes")
            )
          }))
      ] :
      []),
    check("revokeTokens succeeds and the user can still get new tokens", false, [
      "createIdentity",
      "issueAccessToken",
      "revokeAccessTokens"
    ], () =>
      Effect.gen(function*() {
        const identity = yield* client
        const user = yield* identity.createUser()
        yield* identity.getToken(user, ["chat"])
        yield* identity.revokeTokens(user)
        yield* identity.getToken(user, ["chat"])
      })),
    check("deleteUser succeeds", false, ["createIdentity", "deleteIdentity"], () =>
      Effect.gen(function*() {
        const identity = yield* client
        yield* identity.deleteUser(yield* identity.createUser())
      })),
    check("calls for a deleted user fail with AuthenticationError (401)", true, [
      "createIdentity",
      "deleteIdentity",
      "issueAccessToken",
      "revokeAccessTokens"
    ], (fail) =>
      Effect.gen(function*() {
        const identity = yield* client
        const user = yield* identity.createUser()
        yield* identity.deleteUser(user)
        const is401 = statusIs(401)
        yield* expectError(fail, "getToken", identity.getToken(user, ["chat"]), "AuthenticationError", is401)
        yield* expectError(fail, "revokeTokens", identity.revokeTokens(user), "AuthenticationError", is401)
        yield* expectError(fail, "deleteUser", identity.deleteUser(user), "AuthenticationError", is401)
        if (identity.apiVersion === previewApiVersion) {
          yield* expectError(fail, "getUser", identity.getUser(user), "AuthenticationError", is401)
        }
      })),
    check(
      "calls for a user of another resource fail with AuthenticationError (401)",
      true,
      ["issueAccessToken", "revokeAccessTokens", "deleteIdentity"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const is401 = statusIs(401)
          yield* expectError(fail, "getToken", identity.getToken(foreignUser, ["chat"]), "AuthenticationError", is401)
          yield* expectError(fail, "revokeTokens", identity.revokeTokens(foreignUser), "AuthenticationError", is401)
          yield* expectError(fail, "deleteUser", identity.deleteUser(foreignUser), "AuthenticationError", is401)
        })
    ),
    check(
      "invalid arguments fail with InvalidArgumentError before anything is sent",
      false,
      [],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const before = options.requestCount === undefined ? undefined : yield* options.requestCount
          const user: CommunicationUserIdentifier = { communicationUserId: "8:acs:resource_user" }
          const probes: ReadonlyArray<readonly [string, Probe]> = [
            ["getToken with expiresInMinutes 59", identity.getToken(user, ["chat"], { expiresInMinutes: 59 })],
            ["getToken with expiresInMinutes 1441", identity.getToken(user, ["chat"], { expiresInMinutes: 1441 })],
            ["getToken with expiresInMinutes 60.5", identity.getToken(user, ["chat"], { expiresInMinutes: 60.5 })],
            ["getToken with no scopes", identity.getToken(user, [])],
            ["getToken with an empty user id", identity.getToken({ communicationUserId: "" }, ["chat"])],
            ["createUserAndToken with no scopes", identity.createUserAndToken([])],
            [
              "createUserAndToken with expiresInMinutes 1441",
              identity.createUserAndToken(["chat"], { expiresInMinutes: 1441 })
            ],
            ["revokeTokens with an empty user id", identity.revokeTokens({ communicationUserId: "" })],
            ["deleteUser with an empty user id", identity.deleteUser({ communicationUserId: "" })],
            [
              "getTokenForTeamsUser with an empty token",
              identity.getTokenForTeamsUser({ ...teamsUser, teamsUserAadToken: "" })
            ],
            [
              "getTokenForTeamsUser with a clientId that is not a GUID",
              identity.getTokenForTeamsUser({ ...teamsUser, clientId: "app" })
            ],
            [
              "getTokenForTeamsUser with a userObjectId that is not a GUID",
              identity.getTokenForTeamsUser({ ...teamsUser, userObjectId: "user" })
            ]
          ]
          const previewOnly: ReadonlyArray<readonly [string, Probe]> = identity.apiVersion === previewApiVersion
            ? [["createUser with an empty customId", identity.createUser({ customId: "" })]]
            : [
              ["createUser with a customId on a GA api-version", identity.createUser({ customId: "alice" })],
              ["getUser on a GA api-version", identity.getUser(user)]
            ]
          const key = {
            tenantId: "c70d068c-2f32-484d-9455-73070cd5aadd",
            objectId: "b27b64b9-39d2-44a3-869d-67700b74e805"
          }
          const has = (operation: OperationId) => isAvailable(operation, identity.apiVersion)
          const teamsExtension: ReadonlyArray<readonly [string, Probe]> = has("getTeamsExtensionAssignment")
            ? [
              [
                "getTeamsExtensionAssignment with a tenantId that is not a GUID",
                identity.getTeamsExtensionAssignment({ ...key, tenantId: "contoso" })
              ],
              [
                "upsertTeamsExtensionAssignment with a clientId that is not a GUID",
                identity.upsertTeamsExtensionAssignment({ ...key, principalType: "user", clientIds: ["app"] })
              ],
              [
                "deleteTeamsExtensionAssignment with an empty objectId",
                identity.deleteTeamsExtensionAssignment({ ...key, objectId: "" })
              ],
              ["getTokenForTeamsExtensionUser with an empty token", identity.getTokenForTeamsExtensionUser("")],
              [
                "getTokenForTeamsExtensionUser with a token holding CR/LF",
                identity.getTokenForTeamsExtensionUser(Redacted.make("a.b.c\r\nx-injected: 1"))
              ]
            ]
            : [
              ["getTeamsExtensionAssignment on an api-version without it", identity.getTeamsExtensionAssignment(key)],
              [
                "getTokenForTeamsExtensionUser on an api-version without it",
                identity.getTokenForTeamsExtensionUser("a.b.c")
              ]
            ]
          const entra: ReadonlyArray<readonly [string, Probe]> = has("getEntraAssignment")
            ? [
              ["getEntraAssignment with an objectId that is not a GUID", identity.getEntraAssignment("alice")],
              [
                "upsertEntraAssignment with a tenantId that is not a GUID",
                identity.upsertEntraAssignment({ ...key, tenantId: "contoso", principalType: "user", clientIds: [] })
              ],
              [
                "updateEntraAssignments with a key that is not a GUID",
                identity.updateEntraAssignments({ alice: null })
              ],
              ["getTokenForEntraUser with an empty token", identity.getTokenForEntraUser(Redacted.make(""))]
            ]
            : [
              ["getEntraAssignment on an api-version without it", identity.getEntraAssignment(key.objectId)],
              ["listEntraAssignmentsPage on an api-version without it", identity.listEntraAssignmentsPage()],
              ["updateEntraAssignments on an api-version without it", identity.updateEntraAssignments({})],
              ["getTokenForEntraUser on an api-version without it", identity.getTokenForEntraUser("a.b.c")]
            ]
          for (const [label, probe] of [...probes, ...previewOnly, ...teamsExtension, ...entra]) {
            yield* expectError(fail, label, probe, "InvalidArgumentError")
          }
          if (options.requestCount !== undefined) {
            const after = yield* options.requestCount
            yield* ensure(after === before, () => fail(`${after! - before!} request(s) reached the backend`))
          }
        })
    ),
    check(
      "getTokenForTeamsUser exchanges an accepted Teams token",
      false,
      ["exchangeTeamsUserAccessToken"],
      (fail) =>
        Effect.gen(function*() {
          const token = yield* (yield* client).getTokenForTeamsUser(teamsUser)
          yield* ensure(jwtShaped(token.token), () => fail("the token is not JWT-shaped"))
        })
    ),
    check(
      "getTokenForTeamsUser refuses an unknown token (401 InvalidAccessToken) and a wrong appId (400)",
      true,
      ["exchangeTeamsUserAccessToken"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          yield* expectError(
            fail,
            "unknown Teams token",
            identity.getTokenForTeamsUser({ ...teamsUser, teamsUserAadToken: "not-an-accepted-entra-token" }),
            "AuthenticationError",
            (e) => "code" in e && e.code === "InvalidAccessToken"
          )
          yield* expectError(
            fail,
            "wrong appId",
            identity.getTokenForTeamsUser({ ...teamsUser, clientId: "00000000-0000-0000-0000-000000000001" }),
            "BadRequestError",
            (e) => "target" in e && e.target === "appId"
          )
        })
    ),
    check(
      "getUser and customId (preview api-version)",
      false,
      ["createIdentity", "getIdentity"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const user = yield* identity.createUser({ customId: "conformance@example.com" })
          const details = yield* identity.getUser(user)
          yield* ensure(details.id.length > 0, () => fail("getUser returned no id"))
        })
    ),
    check(
      "customId create returns the existing user; getUser reports customId and lastTokenIssuedAt",
      true,
      ["createIdentity", "getIdentity"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const customId = `conformance-${yield* Clock.currentTimeNanos}`
          const first = yield* identity.createUser({ customId })
          const again = yield* identity.createUserAndToken(["chat"], { customId })
          yield* ensure(
            again.user.communicationUserId === first.communicationUserId,
            () => fail("a second create with the same customId made a new user")
          )
          const details = yield* identity.getUser(first)
          yield* ensure(details.id === first.communicationUserId, () => fail("getUser returned another id"))
          yield* ensure(details.customId === customId, () => fail("getUser did not return the customId"))
          yield* ensure(details.lastTokenIssuedAt !== undefined, () => fail("getUser has no lastTokenIssuedAt"))
        })
    ),
    check(
      "Teams Phone extension assignments: upsert, get and delete succeed",
      false,
      ["upsertTeamsExtensionAssignment", "getTeamsExtensionAssignment", "deleteTeamsExtensionAssignment"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const key = { tenantId: yield* guid, objectId: yield* guid }
          const upserted = yield* identity.upsertTeamsExtensionAssignment({ ...key, principalType: "resourceAccount" })
          yield* ensure(
            upserted.assignment.principalType === "resourceAccount",
            () => fail("upsert echoed another type")
          )
          yield* identity.getTeamsExtensionAssignment(key)
          yield* identity.deleteTeamsExtensionAssignment(key)
        })
    ),
    check(
      "Teams Phone extension assignments are created (201), replaced (200), read, and gone after delete (404)",
      true,
      ["upsertTeamsExtensionAssignment", "getTeamsExtensionAssignment", "deleteTeamsExtensionAssignment"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const key = { tenantId: yield* guid, objectId: yield* guid }
          const first = yield* identity.upsertTeamsExtensionAssignment({ ...key, principalType: "resourceAccount" })
          yield* ensure(first.created, () => fail("the first upsert did not report a creation"))
          yield* ensure(
            first.assignment.tenantId === key.tenantId && first.assignment.objectId === key.objectId,
            () => fail("the upsert answered another assignment")
          )
          const second = yield* identity.upsertTeamsExtensionAssignment({
            ...key,
            principalType: "user",
            clientIds: [exampleTeamsUser.appId]
          })
          yield* ensure(!second.created, () => fail("replacing an assignment reported a creation"))
          const read = yield* identity.getTeamsExtensionAssignment(key)
          yield* ensure(
            read.principalType === "user" && read.clientIds?.join() === exampleTeamsUser.appId,
            () => fail("get did not return the replaced assignment")
          )
          yield* identity.deleteTeamsExtensionAssignment(key)
          yield* expectError(fail, "get after delete", identity.getTeamsExtensionAssignment(key), "NotFoundError")
          yield* expectError(fail, "delete after delete", identity.deleteTeamsExtensionAssignment(key), "NotFoundError")
        })
    ),
    check(
      "getTokenForTeamsExtensionUser exchanges an assigned user's Entra token for an ACS identity and token",
      false,
      ["upsertTeamsExtensionAssignment", "exchangeTeamsExtensionAccessToken"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const claims = { tenantId: yield* guid, objectId: yield* guid, clientId: exampleTeamsUser.appId }
          yield* identity.upsertTeamsExtensionAssignment({
            tenantId: claims.tenantId,
            objectId: claims.objectId,
            principalType: "user",
            clientIds: [claims.clientId]
          })
          const exchanged = yield* identity.getTokenForTeamsExtensionUser(makeToken(claims))
          yield* ensure(exchanged.user.communicationUserId.startsWith("8:acs:"), () =>
            fail("the identity is not 8:acs:…"))
          yield* ensure(jwtShaped(exchanged.token), () =>
            fail("the token is not JWT-shaped"))
        })
    ),
    check(
      "getTokenForTeamsExtensionUser: 403 without an assignment or for an unlisted application, 401 for a bad token",
      true,
      ["upsertTeamsExtensionAssignment", "deleteTeamsExtensionAssignment", "exchangeTeamsExtensionAccessToken"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const claims = { tenantId: yield* guid, objectId: yield* guid, clientId: exampleTeamsUser.appId }
          const token = makeToken(claims)
          const is403 = statusIs(403)
          const exchange = identity.getTokenForTeamsExtensionUser(token)
          yield* expectError(fail, "no assignment", exchange, "AuthorizationError", is403)
          const key = { tenantId: claims.tenantId, objectId: claims.objectId }
          yield* identity.upsertTeamsExtensionAssignment({ ...key, principalType: "user", clientIds: [yield* guid] })
          yield* expectError(fail, "unlisted application", exchange, "AuthorizationError", is403)
          yield* identity.upsertTeamsExtensionAssignment({ ...key, principalType: "user" })
          const first = yield* exchange
          const again = yield* exchange
          yield* ensure(
            first.user.communicationUserId === again.user.communicationUserId &&
              first.user.communicationUserId.endsWith(`_${claims.tenantId}_${claims.objectId}`),
            () => fail("the exchanged identity is not stable per tenant and object")
          )
          yield* expectError(
            fail,
            "expired token",
            identity.getTokenForTeamsExtensionUser(makeToken({ ...claims, expiresOn: new Date(0) })),
            "AuthenticationError",
            statusIs(401)
          )
          yield* expectError(
            fail,
            "a token that is not a JWT",
            identity.getTokenForTeamsExtensionUser("not-a-jwt"),
            "AuthenticationError",
            statusIs(401)
          )
          yield* identity.deleteTeamsExtensionAssignment(key)
          yield* expectError(fail, "after the assignment was deleted", exchange, "AuthorizationError", is403)
        })
    ),
    check(
      "Entra ID: every operation succeeds (preview)",
      false,
      [
        "upsertEntraAssignment",
        "getEntraAssignment",
        "listEntraAssignments",
        "updateEntraAssignments",
        "exchangeEntraAccessToken",
        "deleteEntraAssignment"
      ],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const claims = { tenantId: yield* guid, objectId: yield* guid, clientId: exampleTeamsUser.appId }
          const assignment = { tenantId: claims.tenantId, principalType: "user", clientIds: [claims.clientId] } as const
          yield* identity.upsertEntraAssignment({ objectId: claims.objectId, ...assignment })
          yield* identity.getEntraAssignment(claims.objectId)
          yield* Stream.runDrain(EntraAssignments.stream(identity))
          yield* identity.updateEntraAssignments({ [claims.objectId]: assignment })
          const exchanged = yield* identity.getTokenForEntraUser(makeToken(claims))
          yield* ensure(jwtShaped(exchanged.token), () => fail("the token is not JWT-shaped"))
          yield* identity.deleteEntraAssignment(claims.objectId)
        })
    ),
    check(
      "Entra ID assignments: created then replaced, listed across pages, merge-patched and deleted (preview)",
      true,
      [
        "upsertEntraAssignment",
        "getEntraAssignment",
        "listEntraAssignments",
        "updateEntraAssignments",
        "deleteEntraAssignment"
      ],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const tenantId = yield* guid
          const ids = yield* Effect.all(Array.from({ length: 12 }, () => guid))
          const assignment = { tenantId, principalType: "user", clientIds: [exampleTeamsUser.appId] } as const
          for (const objectId of ids) {
            const result = yield* identity.upsertEntraAssignment({ objectId, ...assignment })
            yield* ensure(result.created, () => fail("a new assignment was not reported as created"))
          }
          const replaced = yield* identity.upsertEntraAssignment({
            objectId: ids[0]!,
            ...assignment,
            principalType: "group"
          })
          yield* ensure(!replaced.created, () => fail("replacing an assignment reported a creation"))
          const ours = (all: Chunk.Chunk<{ readonly objectId: string }>) =>
            Chunk.toReadonlyArray(all).map((a) => a.objectId).filter((id) => ids.includes(id))
          const listed = ours(yield* Stream.runCollect(EntraAssignments.stream(identity)))
          yield* ensure(
            listed.length === ids.length && new Set(listed).size === ids.length,
            () => fail(`the list (following nextLink) gave ${listed.length} of ${ids.length} assignments`)
          )
          const written = yield* identity.updateEntraAssignments({
            [ids[0]!]: null,
            [ids[1]!]: null,
            [ids[2]!]: { ...assignment, principalType: "tenant" }
          })
          yield* ensure(
            written.length === 1 && written[0]!.objectId === ids[2] && written[0]!.principalType === "tenant",
            () => fail("the patch did not answer the assignment it replaced")
          )
          const onlyDeleted = yield* identity.updateEntraAssignments({ [ids[3]!]: null })
          yield* ensure(onlyDeleted.length === 0, () => fail("a patch that only deleted answered assignments"))
          yield* expectError(
            fail,
            "get after a patch deleted it",
            identity.getEntraAssignment(ids[0]!),
            "NotFoundError"
          )
          const read = yield* identity.getEntraAssignment(ids[2]!)
          yield* ensure(read.principalType === "tenant", () => fail("get did not return the patched assignment"))
          const remaining = ours(yield* Stream.runCollect(EntraAssignments.stream(identity)))
          yield* ensure(remaining.length === ids.length - 3, () => fail("the list after the patch is wrong"))
          for (const objectId of ids.slice(4)) yield* identity.deleteEntraAssignment(objectId)
          yield* identity.deleteEntraAssignment(ids[2]!)
          yield* expectError(fail, "delete after delete", identity.deleteEntraAssignment(ids[2]!), "NotFoundError")
          const left = ours(yield* Stream.runCollect(EntraAssignments.stream(identity)))
          yield* ensure(left.length === 0, () => fail("deleted assignments are still listed"))
        })
    ),
    check(
      "getTokenForEntraUser needs a user, group or tenant assignment listing the application (preview)",
      true,
      ["upsertEntraAssignment", "deleteEntraAssignment", "exchangeEntraAccessToken"],
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          const clientId = exampleTeamsUser.appId
          const is403 = statusIs(403)
          const user = { tenantId: yield* guid, objectId: yield* guid, clientId }
          yield* expectError(
            fail,
            "no assignment",
            identity.getTokenForEntraUser(makeToken(user)),
            "AuthorizationError",
            is403
          )
          yield* identity.upsertEntraAssignment({
            objectId: user.objectId,
            tenantId: user.tenantId,
            principalType: "user",
            clientIds: [clientId]
          })
          const exchanged = yield* identity.getTokenForEntraUser(makeToken(user))
          yield* ensure(
            exchanged.user.communicationUserId.endsWith(`_${user.tenantId}_${user.objectId}`),
            () => fail("the identity does not name the user's tenant and object")
          )
          yield* expectError(
            fail,
            "an application the assignment does not list",
            identity.getTokenForEntraUser(makeToken({ ...user, clientId: yield* guid })),
            "AuthorizationError",
            is403
          )
          const group = yield* guid
          const member = { tenantId: yield* guid, objectId: yield* guid, clientId, groups: [group] }
          yield* identity.upsertEntraAssignment({
            objectId: group,
            tenantId: member.tenantId,
            principalType: "group",
            clientIds: [clientId]
          })
          yield* identity.getTokenForEntraUser(makeToken(member))
          const tenant = { tenantId: yield* guid, objectId: yield* guid, clientId }
          yield* identity.upsertEntraAssignment({
            objectId: tenant.tenantId,
            tenantId: tenant.tenantId,
            principalType: "tenant",
            clientIds: [clientId]
          })
          yield* identity.getTokenForEntraUser(makeToken(tenant))
          yield* expectError(
            fail,
            "a token that is not a JWT",
            identity.getTokenForEntraUser("not-a-jwt"),
            "AuthenticationError",
            statusIs(401)
          )
          for (const objectId of [user.objectId, group, tenant.tenantId]) {
            yield* identity.deleteEntraAssignment(objectId)
          }
          yield* expectError(
            fail,
            "after the assignment was deleted",
            identity.getTokenForEntraUser(makeToken(user)),
            "AuthorizationError",
            is403
          )
        })
    )
  ]
  return all.filter((c) =>
    (options.stateful !== false || !c.stateful) && c.operations.every((operation) => isAvailable(operation, apiVersion))
  )
}

/**
 * Runs every check in order and stops at the first failure.
 *
 * @since 0.1.0
 * @category utils
 */
export const run = <R = never>(
  options?: Options<R>
): Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R> =>
  Effect.forEach(checks(options), (c) => c.run, { discard: true })

/**
 * The part of `@effect/vitest`'s `it` (from `layer(...)`) that `register` uses.
 *
 * @since 0.1.0
 * @category models
 */
export interface EffectTester<R = never> {
  readonly effect: (
    name: string,
    self: () => Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R>
  ) => void
}

/**
 * Registers one test per check: `layer(MyClientLayer)("conformance", (it) => Conformance.register(it))`.
 *
 * @since 0.1.0
 * @category utils
 */
export const register = <R = never>(it: EffectTester<R>, options?: Options<R>): void => {
  for (const c of checks(options)) it.effect(c.name, () => c.run)
}
