/**
 * The command tree, described once: each command is built as an `@effect/cli` `Command` (which
 * parses and runs it) together with a {@link Node} describing it (its path, options, output fields
 * and examples), which `Argv` checks the command line against, `Help` prints and `Completions`
 * writes the shell completions from.
 *
 * @since 0.1.0
 */
import type { Operations } from "@acs-identity/sdk/testing"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as Effect from "effect/Effect"
import * as Record from "effect/Record"
import type * as Flag from "./Flag.js"

/**
 * An example in a command's help: what it does and the command line.
 *
 * @since 0.1.0
 * @category models
 */
export interface Example {
  readonly summary: string
  readonly command: string
}

/**
 * A command that runs: its options, the option a bare word stands for (`user delete <id>` is
 * `user delete --user <id>`), the fields it prints (what `--query` may pick), and the operations
 * it sends.
 *
 * @since 0.1.0
 * @category models
 */
export interface Leaf {
  readonly _tag: "Leaf"
  readonly name: string
  readonly description: string
  readonly options: ReadonlyArray<Flag.Spec>
  readonly positional: string | undefined
  readonly fields: ReadonlyArray<string>
  readonly examples: ReadonlyArray<Example>
  /**
   * The operations of the SDK's table the command may send (none for `mock start`); `Argv` refuses
   * an `--api-version` that lacks one.
   */
  readonly operations: ReadonlyArray<Operations.OperationId>
}

/**
 * A command made of subcommands (`token`, or the root `acs-identity`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Group {
  readonly _tag: "Group"
  readonly name: string
  readonly description: string
  readonly children: ReadonlyArray<Node>
  readonly examples: ReadonlyArray<Example>
}

/**
 * A command of the tree.
 *
 * @since 0.1.0
 * @category models
 */
export type Node = Leaf | Group

/**
 * A command: its node and the `@effect/cli` command that parses and runs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<E, R> {
  readonly node: Node
  readonly command: Command.Command<string, R, E, unknown>
}

/**
 * A leaf's description.
 *
 * @since 0.1.0
 * @category models
 */
export interface LeafConfig<F> {
  readonly description: string
  readonly flags: F
  /** The key of the flag a bare word is the value of. */
  readonly positional?: keyof F & string
  readonly fields: ReadonlyArray<string>
  readonly examples: ReadonlyArray<Example>
  /** The operations of the SDK's table the command may send (none for `mock start`). */
  readonly operations: ReadonlyArray<Operations.OperationId>
}

/**
 * A command that runs `handler` with its parsed flags.
 *
 * @since 0.1.0
 * @category constructors
 */
export const leaf = <F extends Readonly<Record<string, Flag.Flag<unknown>>>, E, R>(
  name: string,
  config: LeafConfig<F>,
  handler: (args: Flag.Parsed<F>) => Effect.Effect<void, E, R>
): Definition<E, R> => {
  const flags: ReadonlyArray<Flag.Flag<unknown>> = Object.values(config.flags)
  const options = Options.all(Record.map(config.flags, (flag) => flag.options))
  return {
    node: {
      _tag: "Leaf",
      name,
      description: config.description,
      options: flags.map((flag) => flag.spec),
      positional: config.positional === undefined ? undefined : config.flags[config.positional]!.spec.name,
      fields: config.fields,
      examples: config.examples,
      operations: config.operations
    },
    // The parsed type is the leaf's own business (its handler's argument); the tree only runs it.
    command: Command.make(name, { flags: options }, ({ flags }) => handler(flags as Flag.Parsed<F>)).pipe(
      Command.withDescription(config.description)
    ) as unknown as Command.Command<string, R, E, unknown>
  }
}

/**
 * A command made of `children`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const group = <E, R>(
  name: string,
  config: { readonly description: string; readonly examples: ReadonlyArray<Example> },
  children: readonly [Definition<E, R>, ...Array<Definition<E, R>>]
): Definition<E, R> => ({
  node: {
    _tag: "Group",
    name,
    description: config.description,
    children: children.map((child) => child.node),
    examples: config.examples
  },
  command: Command.make(name).pipe(
    Command.withDescription(config.description),
    Command.withSubcommands(
      children.map((child) => child.command) as [
        Command.Command<string, R, E, unknown>,
        ...Array<Command.Command<string, R, E, unknown>>
      ]
    )
  ) as unknown as Command.Command<string, R, E, unknown>
})

/**
 * Every command below `node` (itself included) with its path from the root.
 *
 * @since 0.1.0
 * @category traversal
 */
export const walk = (
  node: Node,
  path: ReadonlyArray<string> = [node.name]
): ReadonlyArray<readonly [path: ReadonlyArray<string>, node: Node]> => [
  [path, node],
  ...(node._tag === "Group" ? node.children.flatMap((child) => walk(child, [...path, child.name])) : [])
]
