/**
 * The identity semantics shared by the in-memory layer and the stateful HTTP mock, so the two cannot
 * disagree: users, the tokens issued to them, revocations, deletions, `customId` look-ups and the
 * Teams tokens a test has declared valid. Time comes from the Effect `Clock` (so `TestClock` drives
 * expiry) and ids from a seeded `Random` (so a run can be replayed).
 *
 * Unknown and deleted users fail with `AuthenticationError` (401), as the real service answers for
 * an id that does not belong to the resource (no recording shows a 404 for a deleted user).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { AuthenticationError, BadRequestError } from "../Errors.js"
import type { TokenScope } from "../Models.js"

/** The service operations, named after the spec's operationIds. */
export const Operation = Schema.Literal(
  "createIdentity",
  "deleteIdentity",
  "getIdentity",
  "issueAccessToken",
  "revokeAccessTokens",
  "exchangeTeamsUserAccessToken"
)
/** @see Operation */
export type Operation = typeof Operation.Type

/** A Teams user's Entra token that the store accepts in an exchange. */
export interface TeamsTokenRegistration {
  /** The Entra access token, exactly as the caller will send it. */
  readonly token: string | Redacted.Redacted<string>
  /** The token's `appid` claim: the exchange's `appId` must match it (else 400, target `appId`). */
  readonly appId: string
  /** The token's `oid` claim: the exchange's `userId` must match it (else 401 `InvalidAccessToken`). */
  readonly userId: string
  /** When the Entra token expires; the ACS token gets the same expiry. Defaults to one hour from now. */
  readonly expiresOn?: Date | undefined
}

/** How to build a store. */
export interface StoreOptions {
  /** The ACS resource id (a GUID) embedded in user ids and tokens; derived from the seed when absent. */
  readonly resourceId?: string | undefined
  /** Seed of the store's `Random`: the same seed and the same calls give the same ids and tokens. */
  readonly seed?: string | number | undefined
  /** Teams tokens accepted from the start (more can be added with `registerTeamsToken`). */
  readonly teamsTokens?: ReadonlyArray<TeamsTokenRegistration> | undefined
}

/** A user as the store knows it. */
export interface UserRecord {
  /** The raw id, `8:acs:<resource id>_<guid>`. */
  readonly id: string
  /** Preview `customId`, when the user was created with one. */
  readonly customId?: string
  /** When the user was created. */
  readonly createdAt: Date
  /** When its last token was issued. */
  readonly lastTokenIssuedAt?: Date
  /** When its tokens were last revoked. */
  readonly revokedAt?: Date
  /** When it was deleted; deleted users answer 401 like unknown ones. */
  readonly deletedAt?: Date
  /** Incremented by every revocation; a token is valid only while its generation is current. */
  readonly generation: number
}

/** A token the store issued. The token text is `Redacted`. */
export interface IssuedToken {
  readonly token: Redacted.Redacted<string>
  /** The user it was issued to: an ACS raw id, or `8:orgid:<oid>` for a Teams exchange. */
  readonly userId: string
  readonly scopes: ReadonlyArray<string>
  readonly issuedAt: Date
  readonly expiresOn: Date
  /** The user's revocation generation at issue time (always 0 for Teams tokens). */
  readonly generation: number
}

/** A dated event about one user (a revocation or a deletion). */
export interface UserEvent {
  readonly userId: string
  readonly at: Date
}

/** Everything the store has seen, for assertions. */
export interface StoreSnapshot {
  readonly resourceId: string
  /** Every user ever created, deleted ones included (with `deletedAt`). */
  readonly users: ReadonlyArray<UserRecord>
  readonly tokens: ReadonlyArray<IssuedToken>
  readonly revocations: ReadonlyArray<UserEvent>
  readonly deletions: ReadonlyArray<UserEvent>
  /** Requests that reached the store, per operation (the HTTP mock counts rejected ones too). */
  readonly requests: Readonly<Record<Operation, number>>
  /** Total of `requests`. */
  readonly requestCount: number
}

/** What `createIdentity` did. */
export interface CreateResult {
  readonly user: UserRecord
  readonly accessToken?: IssuedToken
  /** True when a preview `customId` matched an existing user and no user was created. */
  readonly existing: boolean
}

/** The body of a create request, already validated. */
export interface CreateRequest {
  readonly createTokenWithScopes?: ReadonlyArray<TokenScope> | undefined
  readonly expiresInMinutes?: number | undefined
  readonly customId?: string | undefined
}

/** The body of an issue request, already validated. */
export interface IssueRequest {
  readonly scopes: ReadonlyArray<TokenScope>
  readonly expiresInMinutes?: number | undefined
}

/** The body of a Teams exchange, already validated. */
export interface TeamsRequest {
  readonly token: Redacted.Redacted<string>
  readonly appId: string
  readonly userId: string
}

/** The store's operations. Every failure is the typed error the real service's status maps to. */
export interface IdentityStore {
  readonly resourceId: string
  readonly createIdentity: (request: CreateRequest) => Effect.Effect<CreateResult>
  readonly issueToken: (userId: string, request: IssueRequest) => Effect.Effect<IssuedToken, AuthenticationError>
  readonly revokeTokens: (userId: string) => Effect.Effect<void, AuthenticationError>
  readonly deleteIdentity: (userId: string) => Effect.Effect<void, AuthenticationError>
  readonly getIdentity: (userId: string) => Effect.Effect<UserRecord, AuthenticationError>
  readonly exchangeTeamsToken: (
    request: TeamsRequest
  ) => Effect.Effect<IssuedToken, AuthenticationError | BadRequestError>
  /** Declares a Teams user's Entra token valid for exchanges. */
  readonly registerTeamsToken: (registration: TeamsTokenRegistration) => Effect.Effect<void>
  /** True while a token was issued by this store, has not expired, and its user was neither revoked nor deleted since. */
  readonly isTokenValid: (token: string | Redacted.Redacted<string>) => Effect.Effect<boolean>
  /** Counts one request for an operation. */
  readonly recordRequest: (operation: Operation) => Effect.Effect<void>
  readonly snapshot: Effect.Effect<StoreSnapshot>
}

/** The default token lifetime: 24 hours. */
export const defaultExpiresInMinutes = 1440

interface TeamsEntry {
  readonly appId: string
  readonly userId: string
  readonly expiresOn: Date
}

interface State {
  readonly users: ReadonlyMap<string, UserRecord>
  readonly customIds: ReadonlyMap<string, string>
  readonly tokens: ReadonlyArray<IssuedToken>
  readonly revocations: ReadonlyArray<UserEvent>
  readonly deletions: ReadonlyArray<UserEvent>
  readonly teams: ReadonlyMap<string, TeamsEntry>
  readonly requests: Readonly<Record<Operation, number>>
}

const reveal = (value: string | Redacted.Redacted<string>): string =>
  Redacted.isRedacted(value) ? Redacted.value(value) : value

const hex = (random: Random.Random, digits: number): Effect.Effect<string> =>
  Effect.map(
    Effect.all(Array.from({ length: digits }, () => random.nextIntBetween(0, 16))),
    (nibbles) => nibbles.map((n) => n.toString(16)).join("")
  )

const bytes = (random: Random.Random, length: number): Effect.Effect<Uint8Array> =>
  Effect.map(
    Effect.all(Array.from({ length }, () => random.nextIntBetween(0, 256))),
    (values) => Uint8Array.from(values)
  )

const guid = (random: Random.Random): Effect.Effect<string> =>
  Effect.map(
    hex(random, 32),
    (h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
  )

const base64UrlJson = (value: unknown): string => Encoding.encodeBase64Url(JSON.stringify(value))

/** 401 for an id that is unknown, of another resource, or deleted; the id is echoed, never a token. */
const notOfThisResource = (userId: string) =>
  new AuthenticationError({
    status: 401,
    code: "Unauthorized",
    message: `The identity ${userId} does not exist in this Communication Services resource.`
  })

const invalidTeamsToken = () =>
  new AuthenticationError({ status: 401, code: "InvalidAccessToken", message: "Provided access token is not valid." })

const appIdMismatch = () =>
  new BadRequestError({
    status: 400,
    code: "ValidationError",
    message: "AAD application is not the expected one.",
    target: "appId"
  })

const noRequests: Record<Operation, number> = {
  createIdentity: 0,
  deleteIdentity: 0,
  getIdentity: 0,
  issueAccessToken: 0,
  revokeAccessTokens: 0,
  exchangeTeamsUserAccessToken: 0
}

/** Builds an empty store. */
export const make = (options: StoreOptions = {}): Effect.Effect<IdentityStore> =>
  Effect.gen(function*() {
    const random = Random.make(options.seed ?? globalThis.crypto.randomUUID())
    const resourceId = options.resourceId ?? (yield* guid(random))
    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
    const state = yield* SynchronizedRef.make<State>({
      users: new Map(),
      customIds: new Map(),
      tokens: [],
      revocations: [],
      deletions: [],
      teams: new Map(),
      requests: noRequests
    })

    const mint = (
      userId: string,
      skypeId: string,
      scopes: ReadonlyArray<string>,
      issuedAt: Date,
      expiresOn: Date,
      generation: number
    ): Effect.Effect<IssuedToken> =>
      Effect.map(bytes(random, 32), (nonce) => {
        const iat = Math.floor(issuedAt.getTime() / 1000)
        const header = base64UrlJson({ alg: "RS256", kid: "acs-identity-mock", typ: "JWT" })
        const payload = base64UrlJson({
          skypeid: skypeId,
          scp: 1792,
          csi: String(iat),
          iat,
          exp: Math.floor(expiresOn.getTime() / 1000),
          acsScope: scopes.join(","),
          resourceId
        })
        return {
          token: Redacted.make(`${header}.${payload}.${Encoding.encodeBase64Url(nonce)}`),
          userId,
          scopes,
          issuedAt,
          expiresOn,
          generation
        }
      })

    const issueFor = (user: UserRecord, request: IssueRequest, at: Date) =>
      mint(
        user.id,
        user.id.slice(2),
        request.scopes,
        at,
        new Date(at.getTime() + (request.expiresInMinutes ?? defaultExpiresInMinutes) * 60_000),
        user.generation
      )

    const liveUser = (s: State, userId: string): Effect.Effect<UserRecord, AuthenticationError> => {
      const user = s.users.get(userId)
      return user === undefined || user.deletedAt !== undefined
        ? Effect.fail(notOfThisResource(userId))
        : Effect.succeed(user)
    }

    const withUser = (s: State, user: UserRecord, token?: IssuedToken): State => ({
      ...s,
      users: new Map(s.users).set(user.id, user),
      tokens: token === undefined ? s.tokens : [...s.tokens, token]
    })

    const createIdentity = (request: CreateRequest): Effect.Effect<CreateResult> =>
      SynchronizedRef.modifyEffect(state, (s) =>
        Effect.gen(function*() {
          const at = yield* now
          const existingId = request.customId === undefined ? undefined : s.customIds.get(request.customId)
          const existing = existingId === undefined ? undefined : s.users.get(existingId)
          const base: UserRecord = existing !== undefined && existing.deletedAt === undefined
            ? existing
            : {
              id: `8:acs:${resourceId}_${yield* guid(random)}`,
              createdAt: at,
              generation: 0,
              ...(request.customId === undefined ? {} : { customId: request.customId })
            }
          const scopes = request.createTokenWithScopes
          const token = scopes === undefined || scopes.length === 0
            ? undefined
            : yield* issueFor(base, { scopes, expiresInMinutes: request.expiresInMinutes }, at)
          const user: UserRecord = token === undefined ? base : { ...base, lastTokenIssuedAt: at }
          const next = withUser(s, user, token)
          const customIds = request.customId === undefined
            ? next.customIds
            : new Map(next.customIds).set(request.customId, user.id)
          const result: CreateResult = {
            user,
            existing: base === existing,
            ...(token === undefined ? {} : { accessToken: token })
          }
          return [result, { ...next, customIds }] as const
        }))

    const issueToken = (userId: string, request: IssueRequest) =>
      SynchronizedRef.modifyEffect(state, (s) =>
        Effect.gen(function*() {
          const user = yield* liveUser(s, userId)
          const at = yield* now
          const token = yield* issueFor(user, request, at)
          return [token, withUser(s, { ...user, lastTokenIssuedAt: at }, token)] as const
        }))

    const revokeTokens = (userId: string) =>
      SynchronizedRef.updateEffect(state, (s) =>
        Effect.gen(function*() {
          const user = yield* liveUser(s, userId)
          const at = yield* now
          return {
            ...withUser(s, { ...user, revokedAt: at, generation: user.generation + 1 }),
            revocations: [...s.revocations, { userId, at }]
          }
        }))

    const deleteIdentity = (userId: string) =>
      SynchronizedRef.updateEffect(state, (s) =>
        Effect.gen(function*() {
          const user = yield* liveUser(s, userId)
          const at = yield* now
          const customIds = new Map(s.customIds)
          if (user.customId !== undefined) customIds.delete(user.customId)
          return {
            ...withUser(s, { ...user, deletedAt: at, generation: user.generation + 1 }),
            customIds,
            deletions: [...s.deletions, { userId, at }]
          }
        }))

    const getIdentity = (userId: string) => Effect.flatMap(SynchronizedRef.get(state), (s) => liveUser(s, userId))

    const exchangeTeamsToken = (request: TeamsRequest) =>
      SynchronizedRef.modifyEffect(state, (s) =>
        Effect.gen(function*() {
          const at = yield* now
          const entry = s.teams.get(Redacted.value(request.token))
          if (entry === undefined || entry.expiresOn.getTime() <= at.getTime()) return yield* invalidTeamsToken()
          if (entry.appId.toLowerCase() !== request.appId.toLowerCase()) return yield* appIdMismatch()
          if (entry.userId.toLowerCase() !== request.userId.toLowerCase()) return yield* invalidTeamsToken()
          const token = yield* mint(
            `8:orgid:${entry.userId}`,
            `orgid:${entry.userId}`,
            ["voip"],
            at,
            entry.expiresOn,
            0
          )
          return [token, { ...s, tokens: [...s.tokens, token] }] as const
        }))

    const registerTeamsToken = (registration: TeamsTokenRegistration) =>
      SynchronizedRef.updateEffect(state, (s) =>
        Effect.map(now, (at) => ({
          ...s,
          teams: new Map(s.teams).set(reveal(registration.token), {
            appId: registration.appId,
            userId: registration.userId,
            expiresOn: registration.expiresOn ?? new Date(at.getTime() + 3_600_000)
          })
        })))

    const isTokenValid = (token: string | Redacted.Redacted<string>) =>
      Effect.gen(function*() {
        const s = yield* SynchronizedRef.get(state)
        const at = yield* Clock.currentTimeMillis
        const text = reveal(token)
        const issued = s.tokens.find((t) => Redacted.value(t.token) === text)
        if (issued === undefined || issued.expiresOn.getTime() <= at) return false
        if (issued.userId.startsWith("8:orgid:")) return true
        const user = s.users.get(issued.userId)
        return user !== undefined && user.deletedAt === undefined && user.generation === issued.generation
      })

    const recordRequest = (operation: Operation) =>
      SynchronizedRef.update(state, (s) => ({
        ...s,
        requests: { ...s.requests, [operation]: s.requests[operation] + 1 }
      }))

    const snapshot = Effect.map(SynchronizedRef.get(state), (s): StoreSnapshot => ({
      resourceId,
      users: [...s.users.values()],
      tokens: s.tokens,
      revocations: s.revocations,
      deletions: s.deletions,
      requests: s.requests,
      requestCount: Object.values(s.requests).reduce((a, b) => a + b, 0)
    }))

    yield* Effect.forEach(options.teamsTokens ?? [], registerTeamsToken, { discard: true })

    return {
      resourceId,
      createIdentity,
      issueToken,
      revokeTokens,
      deleteIdentity,
      getIdentity,
      exchangeTeamsToken,
      registerTeamsToken,
      isTokenValid,
      recordRequest,
      snapshot
    }
  })
