/**
 * The identity semantics shared by the in-memory layer and the stateful HTTP mock, so the two cannot
 * disagree: users, the tokens issued to them, revocations, deletions, `customId` look-ups and the
 * Teams tokens a test has declared valid. Time comes from the Effect `Clock` (so `TestClock` drives
 * expiry) and ids from a seeded `Random` (so a run can be replayed).
 *
 * Unknown and deleted users fail with `AuthenticationError` (401), as the real service answers for
 * an id that does not belong to the resource (no recording shows a 404 for a deleted user).
 *
 * Teams Phone extension and Entra ID assignments are stored, listed in pages, patched and deleted.
 * The two Entra-token exchanges read the (unsigned) JWT claims of the user's Entra token: `tid`,
 * `oid`, `appid` (or `azp`), `exp` and, for group assignments, `groups`. A token that is not such a
 * JWT, or has expired, fails with 401 `InvalidAccessToken`; a token no assignment lets in fails with
 * 403 `Forbidden`. `entraTokenFor` makes such tokens for tests.
 *
 * Every write costs the same at any size: the state is mutated in place under a one-permit
 * semaphore, never copied; `snapshot` copies it for assertions.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type { NotFoundError } from "../Errors.js"
import { AuthenticationError, AuthorizationError, BadRequestError } from "../Errors.js"
import * as Assignments from "../internal/assignments.js"
import type { AssignmentsPage, UpsertResult } from "../internal/assignments.js"
import * as EntraClaims from "../internal/entraClaims.js"
import type {
  CreateIdentityRequestWire,
  EntraAssignmentRequestWire,
  EntraAssignmentsUpdateWire,
  IssueAccessTokenRequestWire,
  TeamsExchangeRequestWire,
  TeamsExtensionAssignmentRequestWire
} from "../internal/wire.js"
import type { EntraAssignment, TeamsExtensionAssignment } from "../Models.js"
import { type OperationId, operationIds, OperationIdSchema } from "../Operations.js"

/**
 * The service operations, named as in the operation table.
 *
 * @since 0.1.0
 * @category models
 */
export const Operation = OperationIdSchema
/**
 * @since 0.1.0
 * @category models
 * @see Operation
 */
export type Operation = OperationId
/**
 * A Teams user's Entra token that the store accepts in an exchange.
 *
 * @since 0.1.0
 * @category models
 */
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

/**
 * How to build a store.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreOptions {
  /** The ACS resource id (a GUID) embedded in user ids and tokens; derived from the seed when absent. */
  readonly resourceId?: string | undefined
  /** Seed of the store's `Random`: the same seed and the same calls give the same ids and tokens. */
  readonly seed?: string | number | undefined
  /**
   * Teams tokens accepted from the start (more can be added with `registerTeamsToken`); defaults to
   * the spec's example Teams user, {@link exampleTeamsUser}.
   */
  readonly teamsTokens?: ReadonlyArray<TeamsTokenRegistration> | undefined
}

/**
 * A user as the store knows it.
 *
 * @since 0.1.0
 * @category models
 */
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

/**
 * A token the store issued. The token text is `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
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

/**
 * A dated event about one user (a revocation or a deletion).
 *
 * @since 0.1.0
 * @category models
 */
export interface UserEvent {
  readonly userId: string
  readonly at: Date
}

/**
 * Everything the store has seen, for assertions.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoreSnapshot {
  readonly resourceId: string
  /** Every user ever created, deleted ones included (with `deletedAt`). */
  readonly users: ReadonlyArray<UserRecord>
  readonly tokens: ReadonlyArray<IssuedToken>
  readonly revocations: ReadonlyArray<UserEvent>
  readonly deletions: ReadonlyArray<UserEvent>
  /** The Teams Phone extension assignments. */
  readonly teamsExtensionAssignments: ReadonlyArray<TeamsExtensionAssignment>
  /** The Entra ID assignments, by objectId. */
  readonly entraAssignments: ReadonlyArray<EntraAssignment>
  /** Requests that reached the store, per operation (the HTTP mock counts rejected ones too). */
  readonly requests: Readonly<Record<Operation, number>>
  /** Total of `requests`. */
  readonly requestCount: number
}

/**
 * What `createIdentity` did.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateResult {
  readonly user: UserRecord
  readonly accessToken?: IssuedToken
  /** True when a preview `customId` matched an existing user and no user was created. */
  readonly existing: boolean
}

/**
 * The body of a create request, already validated (the type of its wire schema).
 *
 * @since 0.1.0
 * @category models
 */
export type CreateRequest = typeof CreateIdentityRequestWire.Type

/**
 * The body of an issue request, already validated (the type of its wire schema).
 *
 * @since 0.1.0
 * @category models
 */
export type IssueRequest = typeof IssueAccessTokenRequestWire.Type

/**
 * The body of a Teams exchange, already validated (the type of its wire schema; the token `Redacted`).
 *
 * @since 0.1.0
 * @category models
 */
export type TeamsRequest = typeof TeamsExchangeRequestWire.Type

/**
 * What an Entra-token exchange gives: the ACS identity of the Entra user and its token.
 *
 * @since 0.1.0
 * @category models
 */
export interface ExchangeResult {
  /** `8:acs:<resource id>_<tenant id>_<object id>`. */
  readonly userId: string
  readonly token: IssuedToken
}

export type {
  /**
   * One page of Entra assignments, and where the next one starts (an objectId), if there is one.
   *
   * @since 0.1.0
   * @category models
   */
  AssignmentsPage,
  /**
   * What an upsert did: the assignment as stored, and whether it was created (else replaced).
   *
   * @since 0.1.0
   * @category models
   */
  UpsertResult
} from "../internal/assignments.js"

/**
 * The store's operations. Every failure is the typed error the real service's status maps to.
 *
 * @since 0.1.0
 * @category models
 */
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
  /** Exchanges a Teams Phone extension user's Entra token: needs an assignment for its tenant and object. */
  readonly exchangeTeamsExtensionToken: (
    entraToken: Redacted.Redacted<string>
  ) => Effect.Effect<ExchangeResult, AuthenticationError | AuthorizationError>
  readonly getTeamsExtensionAssignment: (
    tenantId: string,
    objectId: string
  ) => Effect.Effect<TeamsExtensionAssignment, NotFoundError>
  readonly upsertTeamsExtensionAssignment: (
    tenantId: string,
    objectId: string,
    request: typeof TeamsExtensionAssignmentRequestWire.Type
  ) => Effect.Effect<UpsertResult<TeamsExtensionAssignment>>
  readonly deleteTeamsExtensionAssignment: (tenantId: string, objectId: string) => Effect.Effect<void, NotFoundError>
  /** Exchanges an Entra ID user's token: needs a user, group or tenant assignment naming its application. */
  readonly exchangeEntraToken: (
    entraToken: Redacted.Redacted<string>
  ) => Effect.Effect<ExchangeResult, AuthenticationError | AuthorizationError>
  /** Entra assignments ordered by objectId, `pageSize` at a time, starting after `after`. */
  readonly listEntraAssignments: (pageSize: number, after?: string) => Effect.Effect<AssignmentsPage>
  readonly getEntraAssignment: (objectId: string) => Effect.Effect<EntraAssignment, NotFoundError>
  readonly upsertEntraAssignment: (
    objectId: string,
    request: typeof EntraAssignmentRequestWire.Type
  ) => Effect.Effect<UpsertResult<EntraAssignment>>
  readonly deleteEntraAssignment: (objectId: string) => Effect.Effect<void, NotFoundError>
  /**
   * Applies a merge patch atomically: each value replaces its assignment whole (or creates it),
   * `null` deletes it (a missing one is no error). Returns the created or replaced assignments.
   */
  readonly updateEntraAssignments: (
    changes: typeof EntraAssignmentsUpdateWire.Type
  ) => Effect.Effect<ReadonlyArray<EntraAssignment>>
  /** Declares a Teams user's Entra token valid for exchanges. */
  readonly registerTeamsToken: (registration: TeamsTokenRegistration) => Effect.Effect<void>
  /** True while a token was issued by this store, has not expired, and its user was neither revoked nor deleted since. */
  readonly isTokenValid: (token: string | Redacted.Redacted<string>) => Effect.Effect<boolean>
  /** Counts one request for an operation. */
  readonly recordRequest: (operation: Operation) => Effect.Effect<void>
  readonly snapshot: Effect.Effect<StoreSnapshot>
}

/**
 * The default token lifetime: 24 hours.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultExpiresInMinutes = 1440

/**
 * The spec's example Teams user: accepted by a store made without `teamsTokens`.
 *
 * @since 0.1.0
 * @category constants
 */
export const exampleTeamsUser = {
  token: "AzureActiveDirectoryAccessTokenOfATeamsUser",
  appId: "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac",
  userId: "32c0a5db-05ec-78ea-51ab-3f06b329397e"
} as const satisfies TeamsTokenRegistration

export type {
  /**
   * The claims of an Entra token the store's exchanges read.
   *
   * @since 0.1.0
   * @category models
   */
  EntraClaims
} from "../internal/entraClaims.js"

/**
 * An unsigned, JWT-shaped Entra access token with these claims, for tests of the exchanges against
 * the in-memory layer or the stateful mock (which read the claims and do not check signatures).
 *
 * @since 0.1.0
 * @category constructors
 */
export const entraTokenFor: (claims: EntraClaims.EntraClaims) => Redacted.Redacted<string> = EntraClaims.tokenFor

interface TeamsEntry {
  readonly appId: string
  readonly userId: string
  readonly expiresOn: Date
}

/** The store's state, mutated in place by writes (under the store's semaphore). */
interface State {
  readonly users: Map<string, UserRecord>
  readonly customIds: Map<string, string>
  /** By token text, in issue order. */
  readonly tokens: Map<string, IssuedToken>
  readonly revocations: Array<UserEvent>
  readonly deletions: Array<UserEvent>
  readonly teams: Map<string, TeamsEntry>
  readonly requests: Record<Operation, number>
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

const notAssigned = (message: string) => new AuthorizationError({ status: 403, code: "Forbidden", message })

/**
 * Builds an empty store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: StoreOptions = {}): Effect.Effect<IdentityStore> =>
  Effect.gen(function*() {
    const random = Random.make(options.seed ?? globalThis.crypto.randomUUID())
    const resourceId = options.resourceId ?? (yield* guid(random))
    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
    const lock = yield* Effect.makeSemaphore(1)
    const write = lock.withPermits(1)
    const assignments = Assignments.make(write)
    const state: State = {
      users: new Map(),
      customIds: new Map(),
      tokens: new Map(),
      revocations: [],
      deletions: [],
      teams: new Map(),
      requests: Object.fromEntries(operationIds.map((id) => [id, 0])) as Record<Operation, number>
    }

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
        const header = EntraClaims.base64UrlJson({ alg: "RS256", kid: "acs-identity-mock", typ: "JWT" })
        const payload = EntraClaims.base64UrlJson({
          skypeid: skypeId,
          scp: 1792,
          csi: String(iat),
          iat,
          exp: Math.floor(expiresOn.getTime() / 1000),
          acsScope: scopes.join(","),
          resourceId
        })
        const token: IssuedToken = {
          token: Redacted.make(`${header}.${payload}.${Encoding.encodeBase64Url(nonce)}`),
          userId,
          scopes,
          issuedAt,
          expiresOn,
          generation
        }
        state.tokens.set(Redacted.value(token.token), token)
        return token
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

    const liveUser = (userId: string): Effect.Effect<UserRecord, AuthenticationError> => {
      const user = state.users.get(userId)
      return user === undefined || user.deletedAt !== undefined
        ? Effect.fail(notOfThisResource(userId))
        : Effect.succeed(user)
    }

    const createIdentity = (request: CreateRequest): Effect.Effect<CreateResult> =>
      write(Effect.gen(function*() {
        const at = yield* now
        const existingId = request.customId === undefined ? undefined : state.customIds.get(request.customId)
        const existing = existingId === undefined ? undefined : state.users.get(existingId)
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
        state.users.set(user.id, user)
        if (request.customId !== undefined) state.customIds.set(request.customId, user.id)
        return { user, existing: base === existing, ...(token === undefined ? {} : { accessToken: token }) }
      }))

    const issueToken = (userId: string, request: IssueRequest) =>
      write(Effect.gen(function*() {
        const user = yield* liveUser(userId)
        const at = yield* now
        const token = yield* issueFor(user, request, at)
        state.users.set(user.id, { ...user, lastTokenIssuedAt: at })
        return token
      }))

    const revokeTokens = (userId: string) =>
      write(Effect.gen(function*() {
        const user = yield* liveUser(userId)
        const at = yield* now
        state.users.set(user.id, { ...user, revokedAt: at, generation: user.generation + 1 })
        state.revocations.push({ userId, at })
      }))

    const deleteIdentity = (userId: string) =>
      write(Effect.gen(function*() {
        const user = yield* liveUser(userId)
        const at = yield* now
        if (user.customId !== undefined) state.customIds.delete(user.customId)
        state.users.set(user.id, { ...user, deletedAt: at, generation: user.generation + 1 })
        state.deletions.push({ userId, at })
      }))

    const getIdentity = (userId: string) => Effect.suspend(() => liveUser(userId))

    const exchangeTeamsToken = (request: TeamsRequest) =>
      write(Effect.gen(function*() {
        const at = yield* now
        const entry = state.teams.get(Redacted.value(request.token))
        if (entry === undefined || entry.expiresOn.getTime() <= at.getTime()) return yield* invalidTeamsToken()
        if (!Assignments.sameId(entry.appId, request.appId)) return yield* appIdMismatch()
        if (!Assignments.sameId(entry.userId, request.userId)) return yield* invalidTeamsToken()
        return yield* mint(`8:orgid:${entry.userId}`, `orgid:${entry.userId}`, ["voip"], at, entry.expiresOn, 0)
      }))

    /** Mints the ACS token of an Entra user once `allowed` has let its claims in. */
    const exchangeEntra = (
      entraToken: Redacted.Redacted<string>,
      allowed: (claims: EntraClaims.ReadClaims) => string | undefined
    ) =>
      write(Effect.gen(function*() {
        const at = yield* now
        const claims = EntraClaims.read(entraToken, at.getTime())
        if (claims === undefined) return yield* invalidTeamsToken()
        const refusal = allowed(claims)
        if (refusal !== undefined) return yield* notAssigned(refusal)
        const userId = `8:acs:${resourceId}_${claims.tenantId}_${claims.objectId}`
        const token = yield* mint(userId, userId.slice(2), ["voip"], at, claims.expiresOn, 0)
        return { userId, token }
      }))

    const exchangeTeamsExtensionToken = (entraToken: Redacted.Redacted<string>) =>
      exchangeEntra(entraToken, assignments.teamsExtensionRefusal)

    const exchangeEntraToken = (entraToken: Redacted.Redacted<string>) =>
      exchangeEntra(entraToken, assignments.entraRefusal)

    const registerTeamsToken = (registration: TeamsTokenRegistration) =>
      write(Effect.map(now, (at) => {
        state.teams.set(reveal(registration.token), {
          appId: registration.appId,
          userId: registration.userId,
          expiresOn: registration.expiresOn ?? new Date(at.getTime() + 3_600_000)
        })
      }))

    const isTokenValid = (token: string | Redacted.Redacted<string>) =>
      Effect.map(Clock.currentTimeMillis, (at) => {
        const issued = state.tokens.get(reveal(token))
        if (issued === undefined || issued.expiresOn.getTime() <= at) {
          return false
        }
        if (!issued.userId.startsWith("8:acs:") || issued.userId.split("_").length > 2) {
          return true
        }
        const user = state.users.get(issued.userId)
        return user !== undefined && user.deletedAt === undefined && user.generation === issued.generation
      })

    const recordRequest = (operation: Operation) =>
      Effect.sync(() => {
        state.requests[operation] += 1
      })

    const snapshot = Effect.sync((): StoreSnapshot => ({
      resourceId,
      users: [...state.users.values()],
      tokens: [...state.tokens.values()],
      revocations: [...state.revocations],
      deletions: [...state.deletions],
      ...assignments.snapshot(),
      requests: { ...state.requests },
      requestCount: Object.values(state.requests).reduce((a, b) => a + b, 0)
    }))

    yield* Effect.forEach(options.teamsTokens ?? [exampleTeamsUser], registerTeamsToken, { discard: true })

    return {
      resourceId,
      createIdentity,
      issueToken,
      revokeTokens,
      deleteIdentity,
      getIdentity,
      exchangeTeamsToken,
      exchangeTeamsExtensionToken,
      getTeamsExtensionAssignment: assignments.getTeamsExtensionAssignment,
      upsertTeamsExtensionAssignment: assignments.upsertTeamsExtensionAssignment,
      deleteTeamsExtensionAssignment: assignments.deleteTeamsExtensionAssignment,
      exchangeEntraToken,
      listEntraAssignments: assignments.listEntraAssignments,
      getEntraAssignment: assignments.getEntraAssignment,
      upsertEntraAssignment: assignments.upsertEntraAssignment,
      deleteEntraAssignment: assignments.deleteEntraAssignment,
      updateEntraAssignments: assignments.updateEntraAssignments,
      registerTeamsToken,
      isTokenValid,
      recordRequest,
      snapshot
    }
  })
