/**
 * What the runtime matrix runs on every runtime (Bun, Deno, workerd, Chromium), from the packed
 * packages only: the identity lifecycle against the stateful mock, the token credential, and the
 * part of the hostile-server suite that needs only a loopback server. It imports nothing of a
 * runtime's own, so the same module runs everywhere; each runtime's entry picks the transports.
 *
 * It returns the checks it passed, named; the first check that fails rejects with what it saw.
 * The Node test that started the servers asserts the list and reads the mock's state.
 */
import { CommunicationIdentityClient, type RequestPolicy, type Transport } from "@acs-identity/sdk"
import * as EntraAssignments from "@acs-identity/sdk/EntraAssignments"
import { CommunicationTokenCredential, layerRefreshing, OfficialCredential } from "@acs-identity/token-credential"
import type { Layer } from "effect"
import { Cause, Chunk, Effect, Exit, Redacted, Stream } from "effect"

/** What the Node test hands a runtime: where the mock and the hostile servers listen, and the exchange's claims. */
export interface ScenarioInput {
  /** The stateful mock's `endpoint=…;accesskey=…`. */
  readonly connectionString: string
  /** A Teams Phone extension user the test made a token for (an unsigned JWT the mock accepts). */
  readonly teamsExtension: {
    readonly tenantId: string
    readonly objectId: string
    readonly clientId: string
    readonly token: string
  }
  /**
   * Who sets the 503 `Retry-After: 1` each transport's revoke meets: the scenario, on the mock's
   * control plane before each revoke, or the test, when it started the mock (a page cannot reach the
   * control plane: it sends no CORS headers, so that no web page can reconfigure a developer's mock).
   */
  readonly revokeFault: "scenario" | "test"
  /**
   * Origins of loopback servers that stall their body, redirect, send more than the body bound, and
   * (once armed by a POST to `/arm`) close a reused keep-alive connection as a request arrives on it.
   */
  readonly hostile: {
    readonly stall: string
    readonly redirect: string
    readonly oversize: string
    readonly closesReused: string
  }
}

/** One check a runtime passed, on one transport. */
export interface Check {
  readonly transport: string
  readonly name: string
  readonly detail: string
}

/** The names of the checks, in order, that a transport passes. */
export const checkNames = [
  "createUser",
  "getToken with a 90-minute expiry",
  "revokeTokens after a 503 with Retry-After",
  "Teams extension exchange",
  "Entra assignments: upsert 7, list over pages, delete",
  "deleteUser",
  "401 with a wrong key is AuthenticationError",
  "token credential: refreshing layer",
  "token credential: official-interface adapter",
  "hostile: stalled body is a Timeout within the deadline",
  "hostile: redirect is an error, not followed",
  "hostile: body over the bound is refused",
  "hostile: a reused connection closed unanswered",
  "no error rendering carries the key or a token"
] as const

/** The policy for the hostile servers: one retry, 400 ms an attempt, 1.2 s a call. */
const hostilePolicy: Partial<RequestPolicy> = {
  maxRetries: 1,
  baseDelay: "10 millis",
  attemptTimeout: "400 millis",
  timeout: "1200 millis"
}
/**
 * The transports that promise to send a request again when its pooled connection closed before the
 * answer's head; over the others (the platform's fetch client) the client's own retry covers it.
 */
const resending: ReadonlySet<string> = new Set(["FetchTransport", "NodeTransport"])
/** What "within its deadline" allows beyond the hostile policy's 1.2 s for a busy machine. */
const deadlineMillis = 1200 + 1500

class CheckFailed extends Error {}

const ensure = (condition: boolean, message: () => string): Effect.Effect<void, CheckFailed> =>
  condition ? Effect.void : Effect.fail(new CheckFailed(message()))

/** Asks the stateful mock to answer the next revoke with 503 and `Retry-After: 1`. */
const injectRevoke503 = (connectionString: string) => {
  const endpoint = /endpoint=([^;]+)/i.exec(connectionString)?.[1] ?? ""
  const rules = [{
    operation: "revokeAccessTokens",
    fault: { _tag: "Status", status: 503, retryAfterSeconds: 1 },
    times: 1
  }]
  return Effect.flatMap(
    Effect.promise(() =>
      fetch(new URL("__control/faults", endpoint), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rules })
      })
    ),
    (response) => ensure(response.ok, () => `the mock refused the fault rule: ${response.status}`)
  )
}

/** Every way an application might print an error: the secrets must be in none of them. */
const renderings = (error: unknown): Array<string> => {
  const inspect = (globalThis as {
    process?: { getBuiltinModule?: (id: string) => { inspect?: (value: unknown, options: object) => string } }
  }).process?.getBuiltinModule?.("node:util")?.inspect
  return [
    JSON.stringify(error),
    String(error),
    Cause.pretty(Cause.fail(error)),
    ...(inspect === undefined ? [] : [inspect(error, { depth: 20, showHidden: true })])
  ]
}

/** Runs the scenario over each named transport; resolves with every check passed. */
export const runScenario = (
  input: ScenarioInput,
  transports: ReadonlyArray<readonly [string, Layer.Layer<Transport.Transport>]>
): Promise<Array<Check>> => {
  const checks: Array<Check> = []
  const secrets: Array<string> = []
  const accessKey = /accesskey=([^;]+)/i.exec(input.connectionString)?.[1] ?? ""
  const wrongKey = btoa(`wrong-key-${crypto.randomUUID()}`)
  secrets.push(accessKey, wrongKey, input.teamsExtension.token)
  const errors: Array<unknown> = []

  /** The error an effect fails with (a defect or success fails the check). */
  const failureOf = <A, E>(effect: Effect.Effect<A, E>, what: string) =>
    Effect.flatMap(Effect.exit(effect), (exit) => {
      if (Exit.isSuccess(exit)) return Effect.fail(new CheckFailed(`${what} succeeded`))
      const failure = Cause.failureOption(exit.cause)
      if (failure._tag === "None") {
        return Effect.fail(new CheckFailed(`${what}: not a typed error: ${Cause.pretty(exit.cause)}`))
      }
      errors.push(failure.value)
      return Effect.succeed(failure.value as E & { readonly _tag: string })
    })

  const over = (name: string, transport: Layer.Layer<Transport.Transport>) => {
    const pass = (check: string, detail: string) =>
      Effect.sync(() => checks.push({ transport: name, name: check, detail }))
    const client = (
      connectionString: string,
      options: { apiVersion?: "2025-03-02-preview"; policy?: Partial<RequestPolicy> } = {}
    ) =>
      CommunicationIdentityClient.pipe(
        Effect.provide(CommunicationIdentityClient.fromConnectionString(Redacted.make(connectionString), options)),
        Effect.provide(transport)
      )
    const hostileClient = (origin: string) =>
      client(input.connectionString.replace(/endpoint=[^;]+/i, `endpoint=${origin}/`), { policy: hostilePolicy })

    return Effect.gen(function*() {
      const identity = yield* client(input.connectionString)
      const user = yield* identity.createUser()
      yield* ensure(user.communicationUserId.startsWith("8:acs:"), () => `created ${user.communicationUserId}`)
      yield* pass("createUser", user.communicationUserId)

      const token = yield* identity.getToken(user, ["chat", "voip"], { expiresInMinutes: 90 })
      secrets.push(Redacted.value(token.token))
      const minutes = (token.expiresOn.getTime() - Date.now()) / 60_000
      yield* ensure(minutes > 85 && minutes <= 91, () => `a 90-minute token expires in ${minutes} minutes`)
      yield* pass("getToken with a 90-minute expiry", `expires in ${minutes.toFixed(1)} min`)

      // One 503 with Retry-After: 1 for this transport's revoke, set on the mock's control plane.
      if (input.revokeFault === "scenario") yield* injectRevoke503(input.connectionString)
      const revokeStarted = Date.now()
      yield* identity.revokeTokens(user)
      const revokeMillis = Date.now() - revokeStarted
      yield* ensure(revokeMillis >= 900, () => `the revoke took ${revokeMillis} ms: Retry-After: 1 was not waited for`)
      yield* pass("revokeTokens after a 503 with Retry-After", `${revokeMillis} ms`)

      const { clientId, objectId, tenantId } = input.teamsExtension
      yield* identity.upsertTeamsExtensionAssignment({
        tenantId,
        objectId,
        principalType: "user",
        clientIds: [clientId]
      })
      const exchanged = yield* identity.getTokenForTeamsExtensionUser(input.teamsExtension.token)
      secrets.push(Redacted.value(exchanged.token))
      yield* ensure(
        exchanged.user.communicationUserId.endsWith(`_${tenantId}_${objectId}`),
        () => `the exchange gave ${exchanged.user.communicationUserId}`
      )
      yield* pass("Teams extension exchange", exchanged.user.communicationUserId)

      const preview = yield* client(input.connectionString, { apiVersion: "2025-03-02-preview" })
      const ids = Array.from({ length: 7 }, () => crypto.randomUUID())
      for (const id of ids) {
        const upserted = yield* preview.upsertEntraAssignment({
          tenantId,
          objectId: id,
          principalType: "user",
          clientIds: [clientId]
        })
        yield* ensure(upserted.created, () => `the upsert of ${id} did not create it`)
      }
      const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(EntraAssignments.stream(preview)))
        .map((assignment) => assignment.objectId)
      yield* ensure(ids.every((id) => listed.includes(id)), () => `the listing of ${listed.length} misses some of ours`)
      yield* Effect.forEach(ids, (id) => preview.deleteEntraAssignment(id))
      yield* pass("Entra assignments: upsert 7, list over pages, delete", `${listed.length} listed`)

      yield* identity.deleteUser(user)
      const deleted = yield* failureOf(identity.getToken(user, ["chat"]), "a token for a deleted user")
      yield* ensure(
        deleted._tag === "AuthenticationError",
        () => `a token for a deleted user failed with ${deleted._tag}`
      )
      yield* pass("deleteUser", "a token for the user is then AuthenticationError (401, as the service answers)")

      const impostor = yield* client(input.connectionString.replace(/accesskey=[^;]+/i, `accesskey=${wrongKey}`))
      const unauthorized = yield* failureOf(impostor.createUser(), "a create with a wrong key")
      yield* ensure(unauthorized._tag === "AuthenticationError", () => `a wrong key got ${unauthorized._tag}`)
      yield* pass("401 with a wrong key is AuthenticationError", unauthorized._tag)

      // A client app's credential, refreshing through the SDK: the initial token is already due.
      const owner = yield* identity.createUser()
      let refreshes = 0
      const refreshing = layerRefreshing({
        initialToken: { token: "initial-token", expiresOn: new Date(Date.now() + 50) },
        refresh: Effect.map(identity.getToken(owner, ["chat"], { expiresInMinutes: 60 }), (issued) => {
          refreshes++
          secrets.push(Redacted.value(issued.token))
          return { token: issued.token, expiresOn: issued.expiresOn }
        })
      })
      yield* Effect.sleep("60 millis")
      const [first, second] = yield* Effect.flatMap(
        CommunicationTokenCredential,
        (credential) => Effect.all([credential.token, credential.token])
      ).pipe(Effect.provide(refreshing))
      yield* ensure(
        Redacted.value(first.token) !== "initial-token" &&
          Redacted.value(first.token) === Redacted.value(second.token) &&
          refreshes === 1,
        () =>
          `refreshes ${refreshes}, the same token twice: ${
            Redacted.value(first.token) === Redacted.value(second.token)
          }`
      )
      yield* pass("token credential: refreshing layer", "one refresh, then the cached token")

      const official = OfficialCredential.fromLayer(refreshing)
      const handedOut = yield* Effect.promise(() => official.getToken())
      official.dispose()
      yield* ensure(
        handedOut.token !== "initial-token" && secrets.includes(handedOut.token) &&
          handedOut.expiresOnTimestamp > Date.now() + 55 * 60_000,
        () => "the official adapter handed out a token the SDK did not issue"
      )
      yield* pass("token credential: official-interface adapter", new Date(handedOut.expiresOnTimestamp).toISOString())

      const stalledAt = Date.now()
      const stalled = yield* failureOf(
        Effect.flatMap(hostileClient(input.hostile.stall), (c) => c.getToken(user, ["chat"])),
        "a stalled body"
      )
      const stalledMillis = Date.now() - stalledAt
      yield* ensure(
        stalled._tag === "TransportError" && (stalled as { reason?: string }).reason === "Timeout" &&
          stalledMillis <= deadlineMillis,
        () => `a stalled body: ${stalled._tag} after ${stalledMillis} ms`
      )
      yield* pass("hostile: stalled body is a Timeout within the deadline", `${stalledMillis} ms`)

      const redirected = yield* failureOf(
        Effect.flatMap(hostileClient(input.hostile.redirect), (c) => c.getToken(user, ["chat"])),
        "a redirect"
      )
      yield* pass("hostile: redirect is an error, not followed", redirected._tag)

      const oversized = yield* failureOf(
        Effect.flatMap(hostileClient(input.hostile.oversize), (c) => c.getToken(user, ["chat"])),
        "an oversized body"
      )
      yield* ensure(oversized._tag === "UnexpectedResponseError", () => `an oversized body: ${oversized._tag}`)
      yield* pass("hostile: body over the bound is refused", oversized._tag)

      // Sequential calls, each on the connection the last one left in the pool; the server closes
      // the first that arrives on a reused connection after it is armed.
      const resends = resending.has(name)
      yield* Effect.promise(() => fetch(`${input.hostile.closesReused}/arm`, { method: "POST" }))
      const reused = yield* client(
        input.connectionString.replace(/endpoint=[^;]+/i, `endpoint=${input.hostile.closesReused}/`),
        { policy: resends ? { maxRetries: 0 } : { maxRetries: 1, baseDelay: "10 millis" } }
      )
      for (let call = 0; call < 4; call++) {
        const issued = yield* Effect.either(reused.getToken(user, ["chat"]))
        yield* ensure(
          issued._tag === "Right" && Redacted.value(issued.right.token) === "reused-connection-token",
          () => `call ${call} on a server that closes reused connections: ${renderSafely(issued, secrets)}`
        )
      }
      yield* pass(
        "hostile: a reused connection closed unanswered",
        resends ? "4 calls, no retries allowed: the transport sent again" : "4 calls, one retry allowed"
      )

      const leaks = errors.flatMap(renderings).filter((text) =>
        secrets.some((secret) => secret.length > 0 && text.includes(secret))
      )
      yield* ensure(leaks.length === 0, () => `a rendering carries a secret: ${leaks[0]?.slice(0, 200)}`)
      yield* pass(
        "no error rendering carries the key or a token",
        `${errors.length} errors, ${renderings(errors[0]).length} renderings each`
      )
    }).pipe(Effect.withSpan(`runtime scenario over ${name}`))
  }

  return Effect.runPromise(
    Effect.forEach(transports, ([name, transport]) => over(name, transport), { discard: true }).pipe(
      Effect.catchAll((error) =>
        Effect.fail(
          error instanceof CheckFailed ? error : new CheckFailed(`an operation failed: ${renderSafely(error, secrets)}`)
        )
      ),
      Effect.as(checks)
    )
  )
}

/** An unexpected error for the report, with any secret blanked out. */
const renderSafely = (error: unknown, secrets: ReadonlyArray<string>) =>
  secrets.reduce(
    (text, secret) => secret.length > 0 ? text.split(secret).join("<secret>") : text,
    JSON.stringify(error)
  )
