/**
 * The README against the CLI it describes: the api-versions `--api-version` accepts, the shared
 * options `mock start` takes, and what `--help` loads of the bundle (the bin and the chunks it
 * imports, not the mock's).
 */
import { assert, describe, it } from "@effect/vitest"
import { readFileSync, statSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { inject } from "vitest"
import type * as CommandTree from "../src/CommandTree.js"
import * as Connection from "../src/Connection.js"
import * as MockCommands from "../src/MockCommands.js"

const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../README.md"), "utf8")

/** The README's table row of an option. */
const row = (option: string) => {
  const line = readme.split("\n").find((candidate) => candidate.startsWith(`| \`${option}`))
  assert.isDefined(line, `the README has a row for ${option}`)
  return line!
}

/** The bundle file and every chunk it imports statically, in bytes. */
const loaded = (file: string, seen = new Set<string>()): number => {
  if (seen.has(file)) return 0
  seen.add(file)
  const text = readFileSync(file, "utf8")
  const imports = [...text.matchAll(/\bfrom\s*"(\.\/[^"]+)"/g)].map((match) => path.join(path.dirname(file), match[1]!))
  return statSync(file).size + imports.reduce((total, chunk) => total + loaded(chunk, seen), 0)
}

describe("the README", () => {
  it("lists every api-version --api-version accepts, in order", () => {
    const listed = [...row("--api-version").matchAll(/`(\d{4}-\d{2}-\d{2}(?:-preview)?)`/g)].map((match) => match[1])
    assert.deepStrictEqual([...new Set(listed)], [...Connection.flags.apiVersion.spec.value!.choices!])
  })

  it("names the shared options mock start takes", () => {
    const node = MockCommands.start.node as CommandTree.Leaf
    const shared = node.options.filter((option) => option.global).map((option) => `\`--${option.name}\``)
    assert.isAbove(shared.length, 1)
    const named = `${shared.slice(0, -1).join(", ")} and ${shared.at(-1)}`
    const paragraph = readme.slice(readme.indexOf("## Options every command takes"), readme.indexOf("| option |"))
    assert.include(paragraph.replace(/\s+/g, " "), `\`mock start\`, which sends no request, takes ${named}`)
  })

  it("says what --help loads of the bundle, to within 2%", () => {
    const said = readme.match(/`--help` loads (\d+) KB of it/)
    assert.isNotNull(said, "the README says what --help loads")
    const kilobytes = loaded(inject("acsIdentityBin")) / 1000
    assert.approximately(Number(said![1]), kilobytes, kilobytes * 0.02, `the bundle --help loads is ${kilobytes} KB`)
  })
})
