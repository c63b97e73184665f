/** Assertions on what a run of the executable printed. */
import { assert } from "@effect/vitest"
import type { Run } from "./Binary.js"

const command = (run: Run) => run.args.join(" ")

/** Commands whose purpose is printing a token: only their stdout may hold one. */
const printsToken = (run: Run) => run.args.some((arg) => arg === "issue" || arg.startsWith("get-for-"))

/**
 * Nothing printed holds one of `secrets` or a connection string's key, and no issued or Entra token
 * (JWTs start with `eyJ`) appears outside the stdout of a command that prints one.
 */
export const assertNoSecrets = (run: Run, secrets: ReadonlyArray<string>) => {
  for (const text of [run.stdout, run.stderr]) {
    for (const secret of secrets) assert.notInclude(text, secret, `${command(run)} printed a secret`)
    assert.notMatch(text, /accesskey=(?!<base64 key>)/, `${command(run)} printed a connection string`)
  }
  assert.notInclude(run.stderr, "eyJ", `${command(run)} printed a token on stderr`)
  if (!printsToken(run)) assert.notInclude(run.stdout, "eyJ", `${command(run)} printed a token`)
}

/** One line on stderr, `acs-identity: …` matching `pattern`, nothing on stdout, and the exit code. */
export const assertFailure = (run: Run, code: number, pattern: RegExp) => {
  assert.strictEqual(run.code, code, `${command(run)}: ${run.stderr}`)
  assert.strictEqual(run.stdout, "")
  const lines = run.stderr.split("\n").filter((line) => line.length > 0)
  assert.strictEqual(lines.length, 1, run.stderr)
  assert.match(lines[0]!, /^acs-identity: /)
  assert.match(lines[0]!, pattern)
}

/** Exit 0, nothing on stderr, and stdout parsed as JSON. */
export const json = <A = Record<string, unknown>>(run: Run): A => {
  assert.strictEqual(run.code, 0, `${command(run)}: ${run.stderr}`)
  assert.strictEqual(run.stderr, "")
  return JSON.parse(run.stdout) as A
}
