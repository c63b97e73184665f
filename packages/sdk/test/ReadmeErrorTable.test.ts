/**
 * The root README's operation table says what each operation fails with. This test reads that table
 * and checks it against the code: the TypeScript checker resolves each client method's declared
 * error type (the `E` of its `Effect` or `Stream` in `Service`) to its union of error classes, and
 * the errors a row lists (aliases such as `AssignmentError` expanded the same way), together with
 * the request errors the README lists under the table, must be exactly that union. A method missing
 * from the table, or a table row for no method, fails too.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { CommunicationIdentityClient } from "../src/index.js"
import * as InMemoryIdentity from "../src/InMemoryIdentity.js"

const root = fileURLToPath(new URL("../../..", import.meta.url))
const readme = readFileSync(path.join(root, "README.md"), "utf8")
const clientFile = path.join(root, "packages/sdk/src/internal/client.ts")
const errorsFile = path.join(root, "packages/sdk/src/Errors.ts")

/** Each row of the table under "## Operations": the operations it names and the errors it lists. */
const tableRows = (): ReadonlyArray<{ readonly operations: ReadonlyArray<string>; readonly errors: Set<string> }> => {
  const section = readme.slice(readme.indexOf("\n## Operations"))
  const rows = section.slice(0, section.indexOf("\n\n", section.indexOf("\n|"))).split("\n").filter((line) =>
    line.startsWith("| `")
  )
  return rows.map((row) => {
    const [operation = "", , errors = ""] = row.split(/(?<!\\)\|/).slice(1).map((cell) => cell.trim())
    return {
      operations: [...operation.matchAll(/`(\w+)\(/g)].map((m) => m[1]!),
      errors: new Set([...errors.matchAll(/`([A-Z]\w*Error)`/g)].map((m) => m[1]!))
    }
  })
}

/** The errors of the paragraph "Request errors every operation can end in: …" below the table. */
const requestErrorsListed = (): Set<string> => {
  const start = readme.indexOf("Request errors every operation can end in:")
  const paragraph = readme.slice(start, readme.indexOf("\n\n", start))
  return new Set([...paragraph.matchAll(/`([A-Z]\w*Error)`/g)].map((m) => m[1]!))
}

/** What the checker says: each method's error classes, and a resolver for the error aliases of Errors.ts. */
const declared = () => {
  const program = ts.createProgram([clientFile], {
    strict: true,
    exactOptionalPropertyTypes: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ["source"],
    skipLibCheck: true,
    noEmit: true
  })
  const checker = program.getTypeChecker()
  const members = (type: ts.Type): Set<string> =>
    new Set((type.isUnion() ? type.types : [type]).map((t) => (t.aliasSymbol ?? t.getSymbol())?.getName() ?? "?"))

  const service = program.getSourceFile(clientFile)!.statements.find((s): s is ts.InterfaceDeclaration =>
    ts.isInterfaceDeclaration(s) && s.name.text === "Service"
  )!
  const methods = new Map<string, Set<string>>()
  for (const member of service.members) {
    if (!ts.isPropertySignature(member) || member.type === undefined || !ts.isFunctionTypeNode(member.type)) continue
    const returned = member.type.type
    // Effect.Effect<A, E> or Stream.Stream<A, E>: the second type argument is the error channel
    const errorNode = ts.isTypeReferenceNode(returned) ? returned.typeArguments?.[1] : undefined
    assert.isDefined(errorNode, `${member.name.getText()} returns no Effect or Stream with an error type`)
    methods.set(member.name.getText(), members(checker.getTypeFromTypeNode(errorNode!)))
  }

  const errorsModule = checker.getSymbolAtLocation(program.getSourceFile(errorsFile)!)!
  const exported = new Map(checker.getExportsOfModule(errorsModule).map((symbol) => [symbol.getName(), symbol]))
  /** An error class stands for itself; an alias (e.g. `AssignmentError`) for its members. */
  const expand = (name: string): Set<string> => {
    const symbol = exported.get(name)
    assert.isDefined(symbol, `the README names ${name}, which Errors.ts does not export`)
    return symbol!.flags & ts.SymbolFlags.TypeAlias
      ? members(checker.getDeclaredTypeOfSymbol(symbol!))
      : new Set([name])
  }
  return { methods, expand }
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort()

describe("README error table", () => {
  it("lists, per operation, exactly its declared error union (with the request errors)", { timeout: 60_000 }, () => {
    const { expand, methods } = declared()
    const requestErrors = requestErrorsListed()
    assert.deepStrictEqual(sorted(requestErrors), sorted(expand("RequestError")), "the request errors paragraph")

    const rows = tableRows()
    const documented = rows.flatMap((row) => row.operations)
    assert.deepStrictEqual(sorted(documented), sorted(methods.keys()), "the operations in the table")
    for (const row of rows) {
      const listed = sorted([...row.errors].flatMap((name) => [...expand(name)]).concat([...requestErrors]))
      for (const operation of row.operations) {
        assert.deepStrictEqual(listed, sorted(methods.get(operation)!), `the errors listed for ${operation}`)
      }
    }
  })

  it.effect("a deleted user's getToken is AuthenticationError (401), as the table's note says", () =>
    Effect.gen(function*() {
      assert.match(readme, /unknown or deleted user[^.]*`AuthenticationError` \(401\)/)
      const client = yield* CommunicationIdentityClient
      const user = yield* client.createUser()
      yield* client.deleteUser(user)
      const error = yield* Effect.flip(client.getToken(user, ["chat"]))
      assert.strictEqual(error._tag === "AuthenticationError" ? error.status : error._tag, 401)
    }).pipe(Effect.provide(InMemoryIdentity.layer())))
})
