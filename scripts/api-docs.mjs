// `npm run docs:check`: lists every public export of every package that lacks `@since` or
// `@category` (and every module doc or public class member without `@since`), all at once; docgen
// (`npm run docs`) stops at the first one per module. Exits 1 when anything is missing.
//
//   npm run docs:check                      # all packages
//   npm run docs:check -- packages/sdk      # some of them
import { readdirSync, readFileSync, statSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("..", import.meta.url))
const packages = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(path.join(root, "packages")).map((name) => `packages/${name}`)

/** Source files docgen reads: `src/**` except `internal/`. */
const sources = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return name === "internal" ? [] : sources(full)
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [full] : []
  })

/** The JSDoc comments right before `pos` in `text`. */
const docsBefore = (text, pos) =>
  (ts.getLeadingCommentRanges(text, pos) ?? []).filter((c) => text.slice(c.pos, c.pos + 3) === "/**")

const tagsOf = (text, doc) =>
  doc === undefined ? undefined : new Set([...text.slice(doc.pos, doc.end).matchAll(/@(\w+)/g)].map((m) => m[1]))

/**
 * The tag names of a node's own JSDoc, or `undefined` without one. Before the first statement of a
 * file the first JSDoc is the module's, so the statement's own is a later one.
 */
const tagsBefore = (text, pos) => {
  const docs = docsBefore(text, pos)
  const own = pos === 0 ? docs.slice(1) : docs
  return tagsOf(text, own.at(-1))
}

const isExported = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export
const nameOf = (node) =>
  ts.isVariableStatement(node)
    ? node.declarationList.declarations.map((d) => d.name.getText()).join(", ")
    : node.name?.getText() ?? "(anonymous)"

const missing = []
const report = (file, sourceFile, node, what, required) => {
  const tags = tagsBefore(sourceFile.text, node.getFullStart())
  const lacking = required.filter((tag) => tags === undefined || !tags.has(tag))
  if (lacking.length === 0) return
  const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart())
  missing.push(`${path.relative(root, file)}:${line + 1} ${what}: missing ${lacking.map((t) => `@${t}`).join(", ")}`)
}

const checkMembers = (file, sourceFile, owner, members) => {
  for (const member of members) {
    const flags = ts.getCombinedModifierFlags(member)
    if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || ts.isConstructorDeclaration(member)) continue
    if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) continue
    report(file, sourceFile, member, `${owner}.${member.name?.getText() ?? "member"}`, ["since"])
  }
}

const checkStatements = (file, sourceFile, statements, prefix) => {
  for (const statement of statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause
      if (clause === undefined) continue // `export * from`: checked in the module it re-exports
      if (ts.isNamespaceExport(clause)) {
        report(file, sourceFile, statement, `${prefix}${clause.name.getText()}`, ["since"])
      } else {
        for (const specifier of clause.elements) {
          report(file, sourceFile, specifier, `${prefix}${specifier.name.getText()}`, ["since", "category"])
        }
      }
      continue
    }
    if (!isExported(statement)) continue
    const name = `${prefix}${nameOf(statement)}`
    if (ts.isModuleDeclaration(statement)) {
      report(file, sourceFile, statement, name, ["since"])
      if (statement.body !== undefined && ts.isModuleBlock(statement.body)) {
        checkStatements(file, sourceFile, statement.body.statements, `${name}.`)
      }
      continue
    }
    report(file, sourceFile, statement, name, prefix === "" ? ["since", "category"] : ["since"])
    if (ts.isClassDeclaration(statement)) checkMembers(file, sourceFile, name, statement.members)
  }
}

for (const pkg of packages) {
  for (const file of sources(path.join(root, pkg, "src"))) {
    const text = readFileSync(file, "utf8")
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    const first = sourceFile.statements[0]
    const moduleTags = first === undefined ? undefined : tagsOf(text, docsBefore(text, first.getFullStart())[0])
    if (moduleTags === undefined || !moduleTags.has("since")) {
      missing.push(`${path.relative(root, file)}:1 module documentation: missing @since`)
    }
    checkStatements(file, sourceFile, sourceFile.statements, "")
  }
}

for (const line of missing) console.log(line)
console.log(`${missing.length} missing`)
if (missing.length > 0) process.exitCode = 1
