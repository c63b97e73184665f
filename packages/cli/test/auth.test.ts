/**
 * `--auth-mode login`: the bundled command signs with `@azure/identity`'s `DefaultAzureCredential`
 * (here its managed-identity source, the App Service form, against a loopback endpoint), the
 * stateful mock checking the bearer as the service does (a JWT for the ACS audience, unexpired).
 * The token is never printed, not even with `--verbose`; without `@azure/identity` the command says
 * how to install it.
 */
import { StatefulServer } from "@acs-identity/mock-server"
import { assert, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { cpSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import * as path from "node:path"
import { inject } from "vitest"
import { assertFailure, assertNoSecrets, json } from "./utils/Assertions.js"
import { acsIdentity } from "./utils/Binary.js"

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const identityHeader = "identity-header-5c1e"

/** A loopback managed-identity endpoint issuing JWTs for `audience`, counting what it is asked. */
const managedIdentity = (audience: string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly issued: Array<string>; readonly close: () => void }>((resume) => {
      const issued: Array<string> = []
      const server = createServer((request, response) => {
        if (request.headers["x-identity-header"] !== identityHeader) return void response.writeHead(401).end()
        const exp = Math.floor(Date.now() / 1000) + 3600
        const token = `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: audience, exp, n: issued.length })}.sig`
        issued.push(token)
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({ access_token: token, expires_on: String(exp), resource: audience, token_type: "Bearer" })
        )
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`,
          issued,
          close: () => server.close()
        })))
    }),
    (endpoint) => Effect.sync(endpoint.close)
  )

const loginEnvironment = (url: string) => ({
  IDENTITY_ENDPOINT: url,
  IDENTITY_HEADER: identityHeader,
  AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential"
})

layer(StatefulServer.StatefulMockServer.layer(), { excludeTestServices: true, timeout: "60 seconds" })(
  "acs-identity --auth-mode login",
  (it) => {
    it.scoped("signs with DefaultAzureCredential's token; the token is printed nowhere, even with --verbose", () =>
      Effect.gen(function*() {
        const mock = yield* StatefulServer.StatefulMockServer
        const endpoint = yield* managedIdentity("https://communication.azure.com/")
        const created = yield* acsIdentity(
          ["user", "create", "--auth-mode", "login", "--endpoint", mock.url, "-o", "json"],
          loginEnvironment(endpoint.url)
        )
        const user = json<{ id: string }>(created)
        assert.match(user.id, /^8:acs:/)
        assert.strictEqual(endpoint.issued.length, 1)
        const verbose = yield* acsIdentity(
          ["token", "revoke", "--user", user.id, "--auth-mode", "login", "--endpoint", mock.url, "--verbose"],
          loginEnvironment(endpoint.url)
        )
        assert.strictEqual(verbose.code, 0, verbose.stderr)
        assert.include(verbose.stderr, "DefaultAzureCredential")
        for (const run of [created, verbose]) assertNoSecrets(run, [...endpoint.issued, identityHeader])
      }))

    it.scoped("a token for another audience is refused by the mock as the service would: exit 3, no token shown", () =>
      Effect.gen(function*() {
        const mock = yield* StatefulServer.StatefulMockServer
        const endpoint = yield* managedIdentity("https://graph.microsoft.com")
        const run = yield* acsIdentity(
          ["user", "create", "--auth-mode", "login", "--endpoint", mock.url],
          loginEnvironment(endpoint.url)
        )
        assert.strictEqual(run.code, 3, run.stderr)
        assert.include(run.stderr, "audience")
        assertNoSecrets(run, endpoint.issued)
      }))

    it.effect("usage errors: login needs --endpoint and no other credential", () =>
      Effect.gen(function*() {
        assertFailure(
          yield* acsIdentity(["user", "create", "--auth-mode", "login"]),
          2,
          /--auth-mode login needs --endpoint/
        )
        assertFailure(
          yield* acsIdentity(["user", "create", "--auth-mode", "login", "--mock"]),
          2,
          /--auth-mode login cannot be combined with --mock/
        )
        assertFailure(
          yield* acsIdentity([
            "user",
            "create",
            "--auth-mode",
            "login",
            "--endpoint",
            "https://x.communication.azure.com",
            "--entra-token",
            "abc"
          ]),
          2,
          /--auth-mode login cannot be combined with --entra-token/
        )
      }))

    it.effect("without @azure/identity installed, one line says how to install it (exit 2)", () =>
      Effect.gen(function*() {
        // The bundle alone, outside any node_modules: the optional peer cannot be found.
        const dir = mkdtempSync(path.join(tmpdir(), "acs-identity-bare-"))
        try {
          cpSync(path.dirname(inject("acsIdentityBin")), dir, { recursive: true })
          const run = yield* Effect.promise(() =>
            import("node:child_process").then(({ execFile }) =>
              new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
                execFile(
                  process.execPath,
                  [
                    path.join(dir, path.basename(inject("acsIdentityBin"))),
                    "user",
                    "create",
                    "--auth-mode",
                    "login",
                    "--endpoint",
                    "https://x.communication.azure.com"
                  ],
                  { cwd: dir, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } },
                  (error, stdout, stderr) =>
                    resolve({ code: error === null ? 0 : (error as { code?: number }).code ?? null, stdout, stderr })
                )
              })
            )
          )
          assertFailure({ args: ["user", "create"], ...run }, 2, /needs @azure\/identity: install it/)
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }))
  }
)
