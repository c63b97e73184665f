/**
 * The executable on its own: --help on every command, --version, completions (run in bash), --mock (the
 * embedded stateful mock) running every command with no resource and no credentials, and output
 * that cannot be written.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawnSync } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
import * as path from "node:path"
import * as Cli from "../src/Cli.js"
import * as CommandTree from "../src/CommandTree.js"
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

  it.effect("the completion scripts offer every command and option the CLI accepts, and nothing it refuses", () =>
    Effect.gen(function*() {
      const scripts = {
        bash: ok(yield* acsIdentity(["--completions", "bash"])),
        sh: ok(yield* acsIdentity(["--completions", "sh"])),
        zsh: ok(yield* acsIdentity(["--completions", "zsh"])),
        fish: ok(yield* acsIdentity(["--completions", "fish"]))
      }
      for (const [shell, text] of Object.entries(scripts)) {
        // @effect/cli's own options, which Argv refuses
        for (const refused of ["--wizard", "--log-level", "wizard", "log-level"]) {
          assert.notInclude(text, refused, `${shell} offers ${refused}`)
        }
      }
      for (const [path, node] of CommandTree.walk(Cli.tree)) {
        const at = `test (__acs_identity_path) = \\'${path.join(" ")}\\'`
        const offered = node._tag === "Group" ? node.children.map((child) => `-a '${child.name}'`) : node.options.map(
          (option) => `-l ${option.name}`
        )
        for (const word of offered) assert.include(scripts.fish, `-n '${at}' ${word}`, path.join(" "))
      }

      // What bash completes after each command's words (and after an option taking a choice).
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
        ...CommandTree.walk(Cli.tree).map(([path, node]) =>
          [
            [...path.slice(1), ""],
            [
              ...(node._tag === "Group"
                ? node.children.map((child) => child.name)
                : node.options.flatMap((option) => [
                  `--${option.name}`,
                  ...(option.alias === undefined ? [] : [`-${option.alias}`])
                ])),
              "--help",
              ...(path.length === 1 ? ["--version", "--completions"] : [])
            ]
          ] as const
        ),
        [["us"], ["user"]],
        [["token", "issue", "--scope", ""], ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]],
        [["user", "create", "-o", ""], ["json", "table", "tsv", "none"]],
        [["user", "create", "--query", ""], ["id", "customId"]],
        [["--completions", ""], ["bash", "fish", "sh", "zsh"]],
        [["user", "show", "--user", ""], []]
      ]
      const probe = [
        scripts.bash,
        ...cases.map(([words]) =>
          `COMP_WORDS=(acs-identity ${
            words.map((word) => `'${word}'`).join(" ")
          }); COMP_CWORD=${words.length}; _acs_identity; echo "\${COMPREPLY[*]}"`
        )
      ].join("\n")
      const result = spawnSync("bash", ["-c", probe], { encoding: "utf8" })
      assert.strictEqual(result.status, 0, result.stderr)
      const replies = result.stdout.split("\n").slice(0, cases.length)
      cases.forEach(([words, expected], i) => {
        assert.sameMembers(replies[i]!.split(" ").filter((word) => word.length > 0), [...expected], words.join(" "))
      })
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

  it.effect("an output that cannot be written (a full disk, a read-only descriptor) is an error: exit 1, one line", () =>
    Effect.gen(function*() {
      const cases = [["/dev/full", "w", /ENOSPC/], ["/dev/null", "r", /EBADF/]] as const
      for (const [file, mode, reason] of cases) {
        const fd = openSync(file, mode)
        const run = yield* Effect.ensuring(
          acsIdentity(["token", "issue", "--mock", "--scope", "chat"], {}, fd),
          Effect.sync(() => closeSync(fd))
        )
        assert.strictEqual(run.code, 1, `${file} (${mode}): ${run.stderr}`)
        assert.match(run.stderr, /^acs-identity: cannot write the output: [^\n]+\n$/)
        assert.match(run.stderr, reason)
      }
    }))

  it.effect("--verbose names the api-version get-for-entra-user sends (the preview); another one is refused", () =>
    Effect.gen(function*() {
      const exchange = ["token", "get-for-entra-user", "--mock", "--aad-token", "not-a-token"]
      const verbose = yield* acsIdentity([...exchange, "--verbose"])
      const lines = verbose.stderr.trimEnd().split("\n")
      assert.strictEqual(lines[0], "acs-identity: credentials from --mock, api-version 2025-03-02-preview")
      assert.match(lines[1]!, /\?api-version=2025-03-02-preview /)
      const other = yield* acsIdentity([...exchange, "--api-version", "2025-06-30"])
      assert.deepStrictEqual({ code: other.code, stdout: other.stdout, stderr: other.stderr }, {
        code: 2,
        stdout: "",
        stderr: "acs-identity: token get-for-entra-user: --api-version 2025-06-30 does not have this command " +
          "(it needs 2025-03-02-preview)\n"
      })
    }))
})
