/**
 * `--completions bash|fish|sh|zsh`: a completion script written from the command tree, so it
 * offers exactly the commands and options `Argv` accepts (and the choices of an option's value),
 * nothing else. Each script finds the command named so far by walking the words typed, then offers
 * its subcommands, or its options and `--help`.
 *
 * @since 0.1.0
 */
import { completionShells } from "./Argv.js"
import * as CommandTree from "./CommandTree.js"
import type * as Flag from "./Flag.js"

/**
 * A shell `--completions` writes a script for.
 *
 * @since 0.1.0
 * @category models
 */
export type Shell = typeof completionShells[number]

/** Each command with its path as the scripts track it: the words from the root, space-separated. */
const commands = (root: CommandTree.Group) =>
  CommandTree.walk(root).map(([path, node]) => ({ path: path.join(" "), node }))

/** What may follow a command: its subcommands, or its options; `--help` always, `--version` at the root. */
const words = (node: CommandTree.Node, root: boolean): ReadonlyArray<string> => [
  ...(node._tag === "Group"
    ? node.children.map((child) => child.name)
    : node.options.flatMap((option) => [
      `--${option.name}`,
      ...(option.alias === undefined ? [] : [`-${option.alias}`])
    ])),
  "--help",
  ...(root ? ["--version", "--completions"] : [])
]

/** The options of a command that take a value. */
const valued = (node: CommandTree.Node): ReadonlyArray<Flag.Spec> =>
  node._tag === "Leaf" ? node.options.filter((option) => option.value !== undefined) : []

const names = (option: Flag.Spec) => [`--${option.name}`, ...(option.alias === undefined ? [] : [`-${option.alias}`])]

const isFile = (option: Flag.Spec) => option.value?.pseudo === "file.json"

/** The words a value of `option` may be: its choices, or the command's fields for `--query`. */
const valueWords = (option: Flag.Spec, node: CommandTree.Node): ReadonlyArray<string> | undefined =>
  option.value?.choices ?? (option.value?.fields === true && node._tag === "Leaf" ? node.fields : undefined)

const bash = (root: CommandTree.Group): string => {
  const all = commands(root)
  const fn = `_${root.name.replace(/\W/g, "_")}`
  const cases = all.map(({ node, path }) => {
    const options = valued(node)
    const free = options.filter((option) => valueWords(option, node) === undefined && !isFile(option))
    const values = [
      ...options.flatMap((option) => {
        const listed = valueWords(option, node)
        const reply = listed !== undefined
          ? `COMPREPLY=($(compgen -W "${listed.join(" ")}" -- "$cur"))`
          : isFile(option)
          ? "COMPREPLY=($(compgen -f -- \"$cur\"))"
          : undefined
        return reply === undefined ? [] : [`                ${names(option).join("|")}) ${reply}; return ;;`]
      }),
      // Any other value (an id, a token, a number): nothing to offer.
      ...(free.length === 0 ? [] : [`                ${free.flatMap(names).join("|")}) COMPREPLY=(); return ;;`])
    ]
    const completions = path === root.name
      ? [
        `                --completions) COMPREPLY=($(compgen -W "${completionShells.join(" ")}" -- "$cur")); return ;;`
      ]
      : []
    return [
      `        "${path}")`,
      ...(values.length + completions.length === 0 ? [] : [
        "            case \"$prev\" in",
        ...values,
        ...completions,
        "            esac"
      ]),
      `            words="${words(node, path === root.name).join(" ")}" ;;`
    ].join("\n")
  })
  return [
    `${fn}() {`,
    "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"",
    `    local path="${root.name}" words="" i`,
    "    for ((i = 1; i < COMP_CWORD; i++)); do",
    "        case \"$path ${COMP_WORDS[i]}\" in",
    `            ${all.slice(1).map(({ path }) => `"${path}"`).join("|")}) path="$path \${COMP_WORDS[i]}" ;;`,
    "        esac",
    "    done",
    "    case \"$path\" in",
    ...cases,
    "    esac",
    "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))",
    "}",
    `complete -F ${fn} ${root.name}`
  ].join("\n")
}

/** zsh runs the bash function through `bashcompinit`. */
const zsh = (root: CommandTree.Group): string =>
  [`#compdef ${root.name}`, "autoload -U +X bashcompinit && bashcompinit", bash(root)].join("\n")

const fishQuote = (text: string) => `'${text.replace(/[\\']/g, "\\$&")}'`

const fish = (root: CommandTree.Group): string => {
  const all = commands(root)
  const fn = `__${root.name.replace(/\W/g, "_")}_path`
  const lines = [
    `function ${fn}`,
    `    set -l path ${root.name}`,
    "    for word in (commandline -opc)[2..-1]",
    `        if contains -- "$path $word" ${all.slice(1).map(({ path }) => fishQuote(path)).join(" ")}`,
    "            set path \"$path $word\"",
    "        end",
    "    end",
    "    echo $path",
    "end",
    `complete -c ${root.name} -f`
  ]
  for (const { node, path } of all) {
    const at = `-n ${fishQuote(`test (${fn}) = ${fishQuote(path)}`)}`
    const head = `complete -c ${root.name} ${at}`
    if (node._tag === "Group") {
      for (const child of node.children) {
        lines.push(`${head} -a ${fishQuote(child.name)} -d ${fishQuote(child.description)}`)
      }
    } else {
      for (const option of node.options) {
        const short = option.alias === undefined ? "" : ` -s ${option.alias}`
        const listed = valueWords(option, node)
        const value = option.value === undefined
          ? ""
          : listed !== undefined
          ? ` -x -a ${fishQuote(listed.join(" "))}`
          : isFile(option)
          ? " -r -F"
          : " -x"
        lines.push(`${head} -l ${option.name}${short}${value} -d ${fishQuote(option.description)}`)
      }
    }
    lines.push(`${head} -s h -l help -d 'Show the help of this command.'`)
  }
  lines.push(
    `complete -c ${root.name} -n ${fishQuote(`test (${fn}) = ${root.name}`)} -l version -d 'Print the version.'`,
    `complete -c ${root.name} -n ${fishQuote(`test (${fn}) = ${root.name}`)} -l completions -x -a ${
      fishQuote(completionShells.join(" "))
    } -d 'Print a completion script.'`
  )
  return lines.join("\n")
}

/**
 * The completion script for `shell` of the command tree whose root is `root` (`sh` gets the bash
 * script, for bash run as `sh`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const script = (shell: Shell, root: CommandTree.Group): string => {
  switch (shell) {
    case "bash":
    case "sh":
      return bash(root)
    case "zsh":
      return zsh(root)
    case "fish":
      return fish(root)
  }
}
