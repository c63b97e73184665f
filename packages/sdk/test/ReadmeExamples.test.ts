/**
 * Every ```ts block of the READMEs is type-checked as a module of its own, importing the packages
 * through their `exports` (as users do), under strict + exactOptionalPropertyTypes: an example
 * cannot drift from what the packages export.
 */
import { assert, describe, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const readmes = [
  "README.md",
  "packages/sdk/README.md",
  "packages/transport-node/README.md",
  "packages/mock-server/README.md",
  "packages/token-credential/README.md"
]

interface Example {
  readonly name: string
  readonly fileName: string
  readonly code: string
}

const examples: ReadonlyArray<Example> = readmes.flatMap((readme) =>
  [...readFileSync(path.join(root, readme), "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match, index) => ({
    name: `${readme} example ${index + 1}`,
    // inside the sdk package (an ES module scope), so node_modules and the exports resolve as for a user
    fileName: path.join(root, "packages/sdk/test", `readme-example-${readme.replace(/\W/g, "-")}-${index + 1}.ts`),
    code: match[1]!
  }))
)

const options: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: ["node"],
  customConditions: ["source"],
  skipLibCheck: true,
  noEmit: true
}

/** Type errors per example, formatted; an empty list when it compiles. */
const typeErrors = (): ReadonlyMap<string, ReadonlyArray<string>> => {
  const byFile = new Map(examples.map((example) => [example.fileName, example]))
  const host = ts.createCompilerHost(options)
  const { fileExists, getSourceFile, readFile } = host
  host.fileExists = (fileName) => byFile.has(fileName) || fileExists(fileName)
  host.readFile = (fileName) => byFile.get(fileName)?.code ?? readFile(fileName)
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const example = byFile.get(fileName)
    return example === undefined
      ? getSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, example.code, languageVersion, true)
  }
  const program = ts.createProgram([...byFile.keys()], options, host)
  const errors = new Map<string, Array<string>>(examples.map((example) => [example.name, []]))
  for (const example of examples) {
    const file = program.getSourceFile(example.fileName)!
    for (const diagnostic of ts.getPreEmitDiagnostics(program, file)) {
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
      errors.get(example.name)!.push(
        `line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`
      )
    }
  }
  return errors
}

describe("README examples", () => {
  it("there are examples in every README", () => {
    for (const readme of readmes) {
      assert.isTrue(examples.some((example) => example.name.startsWith(`${readme} `)), readme)
    }
  })

  it("every example type-checks against the packages' exports", { timeout: 120_000 }, () => {
    const errors = typeErrors()
    for (const [name, messages] of errors) assert.deepStrictEqual(messages, [], name)
  })
})
