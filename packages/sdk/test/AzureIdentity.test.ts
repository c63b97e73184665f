/**
 * The SDK with the real `@azure/identity` 4.13.1: `ManagedIdentityCredential` in its App Service
 * form (`IDENTITY_ENDPOINT` and `IDENTITY_HEADER`) against a loopback managed-identity endpoint that
 * issues short-lived tokens, and the client calling the stateful mock through
 * `CommunicationIdentityClient.layerEntra`. Time is real: the tokens live seconds, and the SDK
 * refreshes a token that short halfway through its life (see `EntraCredential`).
 *
 * And `ClientSecretCredential` against a loopback Entra authority over https (the repository's
 * loopback certificate, trusted through `NODE_EXTRA_CA_CERTS` in a child process).
 */
import { StatefulServer } from "@acs-identity/mock-server"
import { NodeTransport } from "@acs-identity/transport-node"
import { ManagedIdentityCredential } from "@azure/identity"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Logger, LogLevel, ManagedRuntime, Redacted } from "effect"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { inspect } from "node:util"
import { CommunicationIdentityClient } from "../src/index.js"
import { TelemetryRecorder } from "../src/testing/index.js"

/** Every token the endpoint hands out: `accepted-<n>` the mock takes, `revoked-<n>` it refuses. */
const accepted = Array.from({ length: 200 }, (_, i) => `accepted-${i}`)
const identityHeader = "identity-header-secret-6f1c"
const lifetimeSeconds = 3

/** The loopback managed-identity endpoint: counts requests, can be down, can hand out revoked tokens. */
const endpoint = {
  requests: 0,
  down: false,
  revokedNext: 0,
  issued: [] as Array<string>,
  server: undefined as Server | undefined
}

const startEndpoint = () =>
  new Promise<string>((resolve) => {
    const server = createServer((request, response) => {
      endpoint.requests += 1
      const url = new URL(request.url ?? "/", "http://localhost")
      if (request.headers["x-identity-header"] !== identityHeader) {
        response.writeHead(401).end()
        return
      }
      if (endpoint.down) {
        response.writeHead(500, { "content-type": "application/json" }).end("{\"error\":\"unavailable\"}")
        return
      }
      const token = endpoint.revokedNext > 0
        ? `revoked-${endpoint.revokedNext--}`
        : accepted[endpoint.issued.filter((t) => t.startsWith("accepted")).length]!
      endpoint.issued.push(token)
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + lifetimeSeconds),
        resource: url.searchParams.get("resource"),
        token_type: "Bearer"
      }))
    })
    endpoint.server = server
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`))
  })

const mock = ManagedRuntime.make(
  StatefulServer.StatefulMockServer.layer({ bearerTokens: accepted.map((token) => Redacted.make(token)) })
)

/** A client on a new `ManagedIdentityCredential` (so each test starts with no token held). */
const client = (lines: Array<string> = []) =>
  Effect.gen(function*() {
    const server = yield* StatefulServer.StatefulMockServer
    const credential = new ManagedIdentityCredential({ retryOptions: { maxRetries: 0 } })
    return ManagedRuntime.make(
      CommunicationIdentityClient.layerEntra({ endpoint: server.url, credential, policy: { maxRetries: 0 } }).pipe(
        Layer.provide(NodeTransport.layer),
        Layer.provide(TelemetryRecorder.layer(lines)),
        Layer.provide(Logger.minimumLogLevel(LogLevel.Debug))
      )
    )
  })

const createUser = Effect.flatMap(CommunicationIdentityClient, (identity) => identity.createUser())
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))
const requestsOf = (operation: "createIdentity") =>
  mock.runPromise(Effect.flatMap(StatefulServer.StatefulMockServer, (s) => s.store.snapshot)).then((state) =>
    state.requests[operation]
  )

describe("ManagedIdentityCredential (App Service) from @azure/identity 4.13.1", () => {
  beforeAll(async () => {
    process.env.IDENTITY_ENDPOINT = await startEndpoint()
    process.env.IDENTITY_HEADER = identityHeader
    await mock.runPromise(StatefulServer.StatefulMockServer)
  }, 60_000)
  afterAll(async () => {
    delete process.env.IDENTITY_ENDPOINT
    delete process.env.IDENTITY_HEADER
    endpoint.server?.close()
    await mock.dispose()
  })

  it("asks the endpoint once per refresh period, however many calls are made", {
    timeout: 30_000
  }, async () => {
    const runtime = await mock.runPromise(client())
    try {
      const before = endpoint.requests
      const started = Date.now()
      let calls = 0
      while (Date.now() - started < 4_500) {
        await runtime.runPromise(createUser)
        calls += 1
        await sleep(50)
      }
      const elapsed = Date.now() - started
      const asked = endpoint.requests - before
      // One token per half lifetime (1.5 s): 3 to 4 in 4.5 s, however many calls were made.
      assert.isAtLeast(calls, 20)
      assert.isAtLeast(asked, 2)
      assert.isAtMost(asked, Math.ceil(elapsed / (lifetimeSeconds * 500)) + 1)
    } finally {
      await runtime.dispose()
    }
  })

  it("concurrent calls on a cold client share one request to the endpoint", { timeout: 30_000 }, async () => {
    const runtime = await mock.runPromise(client())
    try {
      const before = endpoint.requests
      await runtime.runPromise(Effect.all(Array.from({ length: 20 }, () => createUser), { concurrency: "unbounded" }))
      assert.strictEqual(endpoint.requests - before, 1)
    } finally {
      await runtime.dispose()
    }
  })

  it(
    "an endpoint outage within the token's lifetime costs no call; after expiry the call fails typed, and nothing renders a token",
    {
      timeout: 30_000
    },
    async () => {
      const lines: Array<string> = []
      const runtime = await mock.runPromise(client(lines))
      try {
        await runtime.runPromise(createUser)
        const before = endpoint.requests
        await sleep(lifetimeSeconds * 500 + 300) // past the refresh point, before expiry
        endpoint.down = true
        await runtime.runPromise(createUser)
        assert.strictEqual(endpoint.requests - before, 1, "the refresh was tried")
        await sleep(lifetimeSeconds * 500 + 300) // past expiry
        const exit = await runtime.runPromiseExit(createUser)
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
        assert.strictEqual((error as { _tag?: string })._tag, "CredentialError")
        assert.isTrue(
          lines.some((line) => line.includes("the held token is still valid")),
          "the failed refresh is logged"
        )
        const rendered = [
          JSON.stringify(exit),
          inspect(exit, { depth: Infinity }),
          Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "",
          ...lines
        ].join("\n")
        for (const token of endpoint.issued) assert.notInclude(rendered, token)
        assert.notInclude(rendered, identityHeader)
      } finally {
        endpoint.down = false
        await runtime.dispose()
      }
    }
  )

  it(
    "a revoked token: the service's 401 drops it and one retry with a fresh token succeeds; a second 401 is not retried",
    {
      timeout: 30_000
    },
    async () => {
      const runtime = await mock.runPromise(client())
      try {
        endpoint.revokedNext = 1
        let asked = endpoint.requests
        let sent = await requestsOf("createIdentity")
        await runtime.runPromise(createUser)
        assert.strictEqual(endpoint.requests - asked, 2, "a fresh token was asked for after the 401")
        assert.strictEqual((await requestsOf("createIdentity")) - sent, 2)

        const fresh = await mock.runPromise(client())
        try {
          endpoint.revokedNext = 2
          asked = endpoint.requests
          sent = await requestsOf("createIdentity")
          const exit = await fresh.runPromiseExit(createUser)
          assert.isTrue(Exit.isFailure(exit))
          const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
          assert.strictEqual((error as { _tag?: string })._tag, "AuthenticationError")
          assert.strictEqual(endpoint.requests - asked, 2, "one retry, not more")
          assert.strictEqual((await requestsOf("createIdentity")) - sent, 2)
          const rendered = `${JSON.stringify(exit)}\n${inspect(exit, { depth: Infinity })}`
          assert.notInclude(rendered, "revoked-")
        } finally {
          await fresh.dispose()
        }
      } finally {
        endpoint.revokedNext = 0
        await runtime.dispose()
      }
    }
  )
})

/** The repository's loopback certificate (for `localhost` and `127.0.0.1`), by path. */
const tls = {
  cert: path.join(import.meta.dirname, "../../../test/fixtures/loopback-cert.pem"),
  key: path.join(import.meta.dirname, "../../../test/fixtures/loopback-key.pem")
}

describe("ClientSecretCredential from @azure/identity 4.13.1, over https to a loopback authority", () => {
  const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  const clientId = "2c3e1e83-8fd7-4615-ad2b-b8c1229845ac"
  const secret = "client-secret-9d2f-do-not-print"
  const wrongSecret = "wrong-secret-41aa-do-not-print"
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

  it("gets a token with the secret and calls the mock; a wrong secret fails typed, and no rendering holds a secret", {
    timeout: 60_000
  }, async () => {
    const issued: Array<string> = []
    const secretsSent: Array<string> = []
    const authority = createHttpsServer(
      { key: readFileSync(tls.key), cert: readFileSync(tls.cert) },
      (request, response) => {
        const host = `https://127.0.0.1:${(authority.address() as AddressInfo).port}`
        const url = new URL(request.url ?? "/", host)
        const json = (status: number, body: unknown) =>
          response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
        if (url.pathname === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
          return json(200, {
            token_endpoint: `${host}/${tenantId}/oauth2/v2.0/token`,
            authorization_endpoint: `${host}/${tenantId}/oauth2/v2.0/authorize`,
            issuer: `${host}/${tenantId}/v2.0`,
            end_session_endpoint: `${host}/${tenantId}/oauth2/v2.0/logout`,
            jwks_uri: `${host}/keys`
          })
        }
        if (url.pathname !== `/${tenantId}/oauth2/v2.0/token`) return void response.writeHead(404).end()
        let body = ""
        request.on("data", (chunk: Buffer) => body += chunk.toString("utf8"))
        request.on("end", () => {
          const form = new URLSearchParams(body)
          secretsSent.push(form.get("client_secret") ?? "")
          if (form.get("client_secret") !== secret || form.get("client_id") !== clientId) {
            return json(401, {
              error: "invalid_client",
              error_description: "AADSTS7000215: Invalid client secret provided."
            })
          }
          const exp = Math.floor(Date.now() / 1000) + 3600
          const token = `${part({ alg: "RS256", typ: "JWT" })}.${
            part({ aud: "https://communication.azure.com", exp, scope: form.get("scope") })
          }.sig`
          issued.push(token)
          json(200, { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: token })
        })
      }
    )
    await new Promise<void>((resolve) => authority.listen(0, "127.0.0.1", resolve))
    const jwtMock = ManagedRuntime.make(StatefulServer.StatefulMockServer.layer())
    try {
      const server = await jwtMock.runPromise(StatefulServer.StatefulMockServer)
      const here = path.dirname(fileURLToPath(import.meta.url))
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            "--conditions=source",
            "--import",
            "tsx",
            path.join(here, "fixtures/clientSecret.ts"),
            `https://127.0.0.1:${(authority.address() as AddressInfo).port}`,
            tenantId,
            clientId,
            secret,
            wrongSecret,
            server.url
          ],
          { env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.cert }, timeout: 50_000 },
          (error, stdout, stderr) => error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`))
        )
      )
      const result = JSON.parse(output.trim().split("\n").at(-1)!) as {
        userId: string
        failed: boolean
        tag: string | undefined
        renderings: ReadonlyArray<string>
      }
      assert.match(result.userId, /^8:acs:/)
      assert.deepStrictEqual(secretsSent, [secret, wrongSecret], "the secret went to the authority, once each")
      assert.strictEqual(issued.length, 1)
      assert.isTrue(result.failed)
      assert.strictEqual(result.tag, "CredentialError")
      const everything = [output, ...result.renderings].join("\n")
      for (const value of [secret, wrongSecret, ...issued]) assert.notInclude(everything, value)
    } finally {
      authority.close()
      await jwtMock.dispose()
    }
  })
})
