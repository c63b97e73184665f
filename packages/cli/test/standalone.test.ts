/**
 * The executable on its own: --help on every command, --version, completions, and --mock (the
 * embedded stateful mock) running every command with no resource and no credentials.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { acsIdentity, repoRoot, type Run } from "./utils/Binary.js"

const ok = (run: Run): string => {
  assert.strictEqual(run.code, 0, `${run.args.join(" ")}: ${run.stderr}`)
  assert.strictEqual(run.stderr, "")
  return run.stdout
}

describe("acs-identity without a resource", () => {
  it.effect("--help on every command and subcommand exits 0 and describes its options", () =>
    Effect.gen(function*() {
      const commands: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
        [[], ["user", "token", "teams-extension", "entra", "--completions", "--version"]],
        [["user"], ["create", "delete", "show"]],
        [["user", "create"], ["--custom-id", "--connection-string", "--mock", "--output", "--retries", "--verbose"]],
        [["user", "delete"], ["<id>", "--endpoint", "--entra-token"]],
        [["user", "show"], ["<id>", "--api-version", "2025-03-02-preview"]],
        [["token"], ["issue", "revoke", "get-for-teams-user", "get-for-teams-extension-user", "get-for-entra-user"]],
        [["token", "issue"], ["--scope", "chat.join.limited", "--user", "--expires-in"]],
        [["token", "revoke"], ["<id>"]],
        [["token", "get-for-teams-user"], ["--aad-token", "--client", "--aad-user"]],
        [["token", "get-for-teams-extension-user"], ["--aad-token"]],
        [["token", "get-for-entra-user"], ["--aad-token"]],
        [["teams-extension"], ["show", "set", "delete"]],
        [["teams-extension", "set"], ["--tenant", "--object", "--principal-type", "resourceAccount", "--client"]],
        [["entra"], ["list", "show", "set", "delete", "update"]],
        [["entra", "update"], ["--changes"]]
      ]
      for (const [command, mentions] of commands) {
        const help = ok(yield* acsIdentity([...command, "--help"]))
        assert.include(help, "USAGE")
        for (const mention of mentions) assert.include(help, mention, `${command.join(" ")} --help`)
      }
    }))

  it.effect("--version prints the package version; --completions prints a shell script", () =>
    Effect.gen(function*() {
      const { version } = JSON.parse(readFileSync(path.join(repoRoot, "packages/cli/package.json"), "utf8")) as {
        readonly version: string
      }
      assert.strictEqual(ok(yield* acsIdentity(["--version"])).trim(), version)
      const bash = ok(yield* acsIdentity(["--completions", "bash"]))
      assert.include(bash, "complete -F")
      assert.include(bash, "get-for-teams-user")
      const zsh = ok(yield* acsIdentity(["--completions", "zsh"]))
      assert.include(zsh, "#compdef acs-identity")
    }))

  it.effect("--mock: every command works against the embedded mock", () =>
    Effect.gen(function*() {
      const issued = JSON.parse(ok(yield* acsIdentity(["token", "issue", "--mock", "--scope", "chat"]))) as Record<
        string,
        string
      >
      assert.match(issued.userId!, /^8:acs:/)
      assert.match(issued.token!, /^eyJ/)
      assert.isFalse(Number.isNaN(Date.parse(issued.expiresOn!)))

      const created = JSON.parse(ok(yield* acsIdentity(["user", "create", "--mock", "--custom-id", "carol"])))
      assert.deepStrictEqual(Object.keys(created), ["id", "customId"])

      // Each run starts a fresh mock: a user from another run is unknown (401, as the service answers).
      for (const command of [["user", "show"], ["user", "delete"], ["token", "revoke"]]) {
        const unknown = yield* acsIdentity([...command, "--mock", issued.userId!])
        assert.strictEqual(unknown.code, 3, unknown.stderr)
        assert.match(unknown.stderr, /^acs-identity: authentication failed \(401 [^\n]*\n$/)
      }

      const teams = JSON.parse(ok(
        yield* acsIdentity([
          "token",
          "get-for-teams-user",
          "--mock",
          "--aad-token",
          "teams-token-for-the-mock",
          "--client",
          "11111111-2222-3333-4444-555555555555",
          "--aad-user",
          "66666666-7777-8888-9999-000000000000"
        ])
      )) as Record<string, string>
      assert.deepStrictEqual(Object.keys(teams), ["token", "expiresOn"])
      assert.notInclude(JSON.stringify(teams), "teams-token-for-the-mock")
    }))
})
