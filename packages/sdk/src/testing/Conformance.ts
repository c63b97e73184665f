/**
 * A conformance suite for any `CommunicationIdentityClient` layer: the identity lifecycle and its
 * error cases, as plain Effects. It runs against the in-memory layer, the HTTP client on the stateful
 * mock and (without the stateful checks) the HTTP client on the Prism mock, so a test suite can swap
 * layers and keep its promises. No test framework is imported: `register` takes `it` from
 * `@effect/vitest` structurally.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { previewApiVersion } from "../ApiVersion.js"
import { CommunicationIdentityClient } from "../CommunicationIdentityClient.js"
import type { CommunicationIdentityError } from "../Errors.js"
import type { CommunicationUserIdentifier } from "../Identifier.js"
import type { GetTokenForTeamsUserOptions } from "../Models.js"
import type { TeamsTokenRegistration } from "./IdentityStore.js"

/** A check did not hold. The message names what was expected; it never contains a token. */
export class ConformanceFailure extends Schema.TaggedError<ConformanceFailure>()("ConformanceFailure", {
  check: Schema.String,
  message: Schema.String
}) {}

/** One named check; `R` is whatever `Options.requestCount` needs (e.g. the in-memory state). */
export interface Check<R = never> {
  readonly name: string
  /** Needs a backend that remembers users and tokens (not Prism). */
  readonly stateful: boolean
  readonly run: Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R>
}

/** How to run the suite. */
export interface Options<R = never> {
  /** Include the checks that need state (default `true`); `false` for a stateless mock such as Prism. */
  readonly stateful?: boolean | undefined
  /** A Teams user the backend accepts; defaults to {@link exampleTeamsUser}. */
  readonly teamsUser?: GetTokenForTeamsUserOptions | undefined
  /** How many requests the backend has received, to prove invalid arguments are rejected before sending. */
  readonly requestCount?: Effect.Effect<number, never, R> | undefined
}

/** The spec's example Teams user; register it as accepted in a stateful backend (`teamsTokens`). */
export const exampleTeamsUser = {
  token: "AzureActiveDirectoryAccessTokenOfATeamsUser",
  appId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
  userId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
} as const satisfies TeamsTokenRegistration

/** A user of another resource: the service answers 401 for it. */
export const foreignUser: CommunicationUserIdentifier = {
  communicationUserId: "8:acs:00000000-0000-0000-0000-000000000000_00000000-0000-0000-0000-000000000000"
}

type Probe = Effect.Effect<unknown, CommunicationIdentityError, CommunicationIdentityClient>

const client = CommunicationIdentityClient

const makeCheck = <R>(
  name: string,
  stateful: boolean,
  body: (fail: (message: string) => ConformanceFailure) => Effect.Effect<void, unknown, CommunicationIdentityClient | R>
): Check<R> => {
  const fail = (message: string) => new ConformanceFailure({ check: name, message })
  return {
    name,
    stateful,
    run: Effect.mapError(
      body(fail),
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

/** The checks, in lifecycle order. */
export const checks = <R = never>(options: Options<R> = {}): ReadonlyArray<Check<R>> => {
  const teamsUser = options.teamsUser ?? {
    teamsUserAadToken: exampleTeamsUser.token,
    clientId: exampleTeamsUser.appId,
    userObjectId: exampleTeamsUser.userId
  }
  const check = (
    name: string,
    stateful: boolean,
    body: (
      fail: (message: string) => ConformanceFailure
    ) => Effect.Effect<void, unknown, CommunicationIdentityClient | R>
  ) => makeCheck<R>(name, stateful, body)
  const all: Array<Check<R>> = [
    check("createUser returns an ACS user id", false, (fail) =>
      Effect.gen(function*() {
        const user = yield* (yield* client).createUser()
        yield* ensure(/^8:acs:.+_.+$/.test(user.communicationUserId), () => fail("the id is not 8:acs:<resource>_<id>"))
      })),
    check(
      "createUserAndToken returns a user and a JWT-shaped token that has not expired",
      false,
      (fail) =>
        Effect.gen(function*() {
          const result = yield* (yield* client).createUserAndToken(["chat", "voip"])
          yield* ensure(result.user.communicationUserId.startsWith("8:acs:"), () => fail("the user id is not 8:acs:…"))
          yield* ensure(jwtShaped(result.token), () => fail("the token is not header.payload.signature"))
          const now = yield* Clock.currentTimeMillis
          yield* ensure(result.expiresOn.getTime() > now, () => fail("the token has already expired"))
        })
    ),
    check("getToken issues tokens for 60 and 1440 minutes", false, (fail) =>
      Effect.gen(function*() {
        const identity = yield* client
        const user = yield* identity.createUser()
        const short = yield* identity.getToken(user, ["chat"], { expiresInMinutes: 60 })
        const long = yield* identity.getToken(user, ["chat", "voip"], { expiresInMinutes: 1440 })
        yield* ensure(jwtShaped(short.token) && jwtShaped(long.token), () => fail("a token is not JWT-shaped"))
      })),
    check("token lifetimes follow expiresInMinutes (60, 1440, default 1440)", true, (fail) =>
      Effect.gen(function*() {
        const identity = yield* client
        const user = yield* identity.createUser()
        for (const [minutes, requested] of [[60, 60], [1440, 1440], [1440, undefined]] as const) {
          const token = yield* identity.getToken(
            user,
            ["voip"],
            requested === undefined ? {} : { expiresInMinutes: requested }
          )
          yield* ensure(yield* lifetimeIs(token.expiresOn, minutes), () =>
            fail(`the token does not live ${minutes} minutes`))
        }
        const created = yield* identity.createUserAndToken(["chat"], { expiresInMinutes: 60 })
        yield* ensure(yield* lifetimeIs(created.expiresOn, 60), () =>
          fail("createUserAndToken ignored expiresInMinutes"))
      })),
    check("revokeTokens succeeds and the user can still get new tokens", false, () =>
      Effect.gen(function*() {
        const identity = yield* client
        const user = yield* identity.createUser()
        yield* identity.getToken(user, ["chat"])
        yield* identity.revokeTokens(user)
        yield* identity.getToken(user, ["chat"])
      })),
    check("deleteUser succeeds", false, () =>
      Effect.gen(function*() {
        const identity = yield* client
        yield* identity.deleteUser(yield* identity.createUser())
      })),
    check("calls for a deleted user fail with AuthenticationError (401)", true, (fail) =>
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
          for (const [label, probe] of [...probes, ...previewOnly]) {
            yield* expectError(fail, label, probe, "InvalidArgumentError")
          }
          if (options.requestCount !== undefined) {
            const after = yield* options.requestCount
            yield* ensure(after === before, () => fail(`${after! - before!} request(s) reached the backend`))
          }
        })
    ),
    check("getTokenForTeamsUser exchanges an accepted Teams token", false, (fail) =>
      Effect.gen(function*() {
        const token = yield* (yield* client).getTokenForTeamsUser(teamsUser)
        yield* ensure(jwtShaped(token.token), () => fail("the token is not JWT-shaped"))
      })),
    check(
      "getTokenForTeamsUser refuses an unknown token (401 InvalidAccessToken) and a wrong appId (400)",
      true,
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
    check("getUser and customId (preview api-version)", false, (fail) =>
      Effect.gen(function*() {
        const identity = yield* client
        if (identity.apiVersion !== previewApiVersion) return
        const user = yield* identity.createUser({ customId: "conformance@example.com" })
        const details = yield* identity.getUser(user)
        yield* ensure(details.id.length > 0, () => fail("getUser returned no id"))
      })),
    check(
      "customId create returns the existing user; getUser reports customId and lastTokenIssuedAt",
      true,
      (fail) =>
        Effect.gen(function*() {
          const identity = yield* client
          if (identity.apiVersion !== previewApiVersion) return
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
    )
  ]
  return options.stateful === false ? all.filter((c) => !c.stateful) : all
}

/** Runs every check in order and stops at the first failure. */
export const run = <R = never>(
  options?: Options<R>
): Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R> =>
  Effect.forEach(checks(options), (c) => c.run, { discard: true })

/** The part of `@effect/vitest`'s `it` (from `layer(...)`) that `register` uses. */
export interface EffectTester<R = never> {
  readonly effect: (
    name: string,
    self: () => Effect.Effect<void, ConformanceFailure, CommunicationIdentityClient | R>
  ) => void
}

/** Registers one test per check: `layer(MyClientLayer)("conformance", (it) => Conformance.register(it))`. */
export const register = <R = never>(it: EffectTester<R>, options?: Options<R>): void => {
  for (const c of checks(options)) it.effect(c.name, () => c.run)
}
