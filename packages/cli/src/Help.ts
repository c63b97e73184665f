/**
 * `--help`: each command's help from the command tree, with the full command path in its usage
 * line, its own options, the shared options once, and examples. Headings are bold only when
 * {@link colour} allows it.
 *
 * @since 0.1.0
 */
import type * as CommandTree from "./CommandTree.js"
import type * as Flag from "./Flag.js"

/**
 * Whether to style output: `FORCE_COLOR` (other than `0` or `false`) turns it on, a non-empty
 * `NO_COLOR` or `FORCE_COLOR=0` off; otherwise only on a terminal that is not `dumb`.
 *
 * @since 0.1.0
 * @category colour
 */
export const colour = (env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean => {
  const force = env["FORCE_COLOR"]
  if (force !== undefined && force !== "") return force !== "0" && force !== "false"
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false
  return isTTY && env["TERM"] !== "dumb"
}

const width = 100

/** Words of `text` in lines of at most `width` characters, each indented. */
const wrap = (text: string, indent: string): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    if (line.length > 0 && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else line = line.length === 0 ? word : `${line} ${word}`
  }
  if (line.length > 0) lines.push(indent + line)
  return lines
}

const synopsis = (option: Flag.Spec): string => {
  const value = option.value === undefined ? "" : ` <${option.value.pseudo}>${option.repeatable ? "..." : ""}`
  return `--${option.name}${value}`
}

const describeOption = (option: Flag.Spec): ReadonlyArray<string> => {
  const name = option.alias === undefined ? synopsis(option) : `-${option.alias}, ${synopsis(option)}`
  const value = option.value
  const accepts = value?.choices !== undefined
    ? ` One of: ${value.choices.join(", ")}.`
    : value?.inHelp === true
    ? ` Accepts ${value.accepts}.`
    : ""
  const required = option.required ? " Required." : ""
  return [`  ${name}`, ...wrap(`${option.description}${accepts}${required}`, "      ")]
}

const usage = (path: ReadonlyArray<string>, leaf: CommandTree.Leaf): ReadonlyArray<string> => {
  const own = leaf.options.filter((option) => !option.global)
  const word = (option: Flag.Spec) => (option.required ? synopsis(option) : `[${synopsis(option)}]`)
  const shared = leaf.options.some((option) => option.global) ? ["[global options]"] : []
  const line = (words: ReadonlyArray<string>) => `  ${[...path, ...words, ...shared].join(" ")}`
  const positional = leaf.options.find((option) => option.name === leaf.positional)
  return positional === undefined
    ? [line(own.map(word))]
    : [
      line(own.map(word)),
      line([`<${positional.value!.pseudo}>`, ...own.filter((option) => option !== positional).map(word)])
    ]
}

/**
 * The help of `node`, reached by `path` (from the root's name), with the shared options `globals`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (
  path: ReadonlyArray<string>,
  node: CommandTree.Node,
  globals: ReadonlyArray<Flag.Spec>,
  style: boolean
): string => {
  const heading = (text: string) => (style ? `\u001b[1m${text}\u001b[22m` : text)
  const out: Array<string> = [...wrap(node.description, ""), "", heading("USAGE")]
  const command = path.join(" ")
  if (node._tag === "Group") {
    out.push(`  ${command} <command> [options]`)
    if (path.length === 1) out.push(`  ${command} --version`, `  ${command} --completions bash|fish|sh|zsh`)
    out.push("", heading("COMMANDS"))
    const nameWidth = Math.max(...node.children.map((child) => child.name.length)) + 2
    for (const child of node.children) {
      const [first = "", ...rest] = wrap(child.description, " ".repeat(nameWidth + 2))
      out.push(`  ${child.name.padEnd(nameWidth)}${first.trimStart()}`, ...rest)
    }
  } else {
    out.push(...usage(path, node))
    const own = node.options.filter((option) => !option.global)
    if (own.length > 0) out.push("", heading("OPTIONS"), ...own.flatMap(describeOption))
    if (node.fields.length > 0) {
      out.push("", heading("OUTPUT FIELDS"), ...wrap(`${node.fields.join(", ")} (pick with --query).`, "  "))
    }
  }
  const shared = node._tag === "Group" ?
    globals :
    globals.filter((option) => node.options.some((own) => own.name === option.name))
  if (shared.length > 0) {
    out.push("", heading("GLOBAL OPTIONS"), ...wrap("Before or after the command's name.", "  "))
    out.push(...shared.flatMap(describeOption))
  }
  if (node.examples.length > 0) {
    out.push("", heading("EXAMPLES"))
    for (const example of node.examples) out.push(...wrap(example.summary, "  "), `    ${example.command}`)
  }
  if (node._tag === "Group") out.push("", `Run '${command} <command> --help' for a command's options.`)
  return out.join("\n")
}
