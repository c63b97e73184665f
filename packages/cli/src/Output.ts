/**
 * How results are printed: `--output json` (the default), `table`, `tsv` or `none`.
 *
 * A command's result is a {@link Row}: named fields in a fixed, documented order. `json` prints the
 * fields that have a value as one object; `table` prints a header, a rule and the values; `tsv`
 * prints the values alone, tab-separated (an absent value is an empty column), for `cut` and `read`.
 * In `table` and `tsv`, tabs and line breaks inside a value become spaces; every other control
 * character, in every format, is escaped (see `Controls`), so nothing the service sent can drive the
 * terminal. `--query` picks fields; `entra list` prints its rows as the pages arrive.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import { escape, json } from "./Controls.js"
import * as Flag from "./Flag.js"

/**
 * The output formats.
 *
 * @since 0.1.0
 * @category models
 */
export const formats = ["json", "table", "tsv", "none"] as const

/**
 * One of {@link formats}.
 *
 * @since 0.1.0
 * @category models
 */
export type Format = typeof formats[number]

/**
 * A field's value: text, a flag, a list (JSON arrays; comma-separated in `table` and `tsv`), or
 * `undefined` for a field this result has no value for.
 *
 * @since 0.1.0
 * @category models
 */
export type Value = string | boolean | ReadonlyArray<string> | undefined

/**
 * A result: field names and their values, in the order they are printed.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = ReadonlyArray<readonly [name: string, value: Value]>

/**
 * Several results of the same fields: a JSON array, a table with one line per row, or one tsv line
 * per row. `columns` names the fields, so an empty list still has a header.
 *
 * @since 0.1.0
 * @category models
 */
export interface List {
  readonly _tag: "List"
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Row>
}

/**
 * What a command prints.
 *
 * @since 0.1.0
 * @category models
 */
export type Printable = Row | List

/**
 * A {@link List} of rows with the given columns.
 *
 * @since 0.1.0
 * @category constructors
 */
export const list = (columns: ReadonlyArray<string>, rows: ReadonlyArray<Row>): List => ({
  _tag: "List",
  columns,
  rows
})

/**
 * `--output` / `-o`, defaulting to `json`.
 *
 * @since 0.1.0
 * @category options
 */
export const option: Flag.Flag<Format> = Flag.global(Flag.withAlias(
  Flag.withDefault(
    Flag.choice("output", formats, {
      pseudo: "format",
      description: "How to print the result: json (the default; stable field names), table, tsv (values only) or none."
    }),
    "json"
  ),
  "o"
))

/**
 * `--query <field>[,<field>…]`: prints only these fields, in this order.
 *
 * @since 0.1.0
 * @category options
 */
export const query: Flag.Flag<Option.Option<string>> = Flag.global(Flag.fields(
  "query",
  "Print only these fields of the result (comma-separated), in this order: with one field, json prints its bare " +
    "value and tsv a single column: U=$(acs-identity user create --query id -o tsv)."
))

/**
 * How a result is printed: the format and the fields `--query` picked.
 *
 * @since 0.1.0
 * @category models
 */
export interface Shape {
  readonly output: Format
  readonly query: Option.Option<string>
}

/**
 * A value as one cell: lists comma-separated; tabs and line breaks become spaces (so columns and
 * lines stay intact) and other control characters are escaped.
 */
const cell = (value: Value): string =>
  escape(
    (value === undefined
      ? ""
      : typeof value === "string"
      ? value
      : typeof value === "boolean"
      ? String(value)
      : value.join(","))
      .replace(/[\t\n\r]/g, " ")
  )

const widthsOf = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) =>
  columns.map((name, i) => Math.max(name.length, ...rows.map((cells) => (cells[i] ?? "").length)))

const tableLine = (widths: ReadonlyArray<number>) => (cells: ReadonlyArray<string>) =>
  cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ").trimEnd()

const tableHead = (columns: ReadonlyArray<string>, widths: ReadonlyArray<number>) => [
  tableLine(widths)(columns),
  tableLine(widths)(widths.map((width) => "-".repeat(width)))
]

const object = (row: Row) => Object.fromEntries(row.filter(([, value]) => value !== undefined))

const cells = (row: Row) => row.map(([, value]) => cell(value))

const picked = (shape: Shape): ReadonlyArray<string> | undefined =>
  Option.getOrUndefined(Option.map(shape.query, (fields) => fields.split(",")))

const select = (row: Row, fields: ReadonlyArray<string> | undefined): Row =>
  fields === undefined ? row : fields.map((field) => [field, row.find(([name]) => name === field)?.[1]] as const)

/** A row as JSON: an object, or the bare value when `--query` picked one field. */
const jsonValue = (row: Row, fields: ReadonlyArray<string> | undefined): unknown =>
  fields?.length === 1 ? (row[0]?.[1] ?? null) : object(row)

/**
 * The text to print for a result, or `undefined` when nothing is printed (`none`, or an empty list
 * in `tsv`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (shape: Shape, printable: Printable): string | undefined => {
  const fields = picked(shape)
  const many = "_tag" in printable
  const rows: ReadonlyArray<Row> = (many ? printable.rows : [printable]).map((row) => select(row, fields))
  switch (shape.output) {
    case "json":
      return json(many ? rows.map((row) => jsonValue(row, fields)) : jsonValue(rows[0]!, fields), 2)
    case "table": {
      const columns = fields ?? (many ? printable.columns : printable.map(([name]) => name))
      const body = rows.map(cells)
      const widths = widthsOf(columns, body)
      return [...tableHead(columns, widths), ...body.map(tableLine(widths))].join("\n")
    }
    case "tsv":
      return rows.length === 0 ? undefined : rows.map((row) => cells(row).join("\t")).join("\n")
    case "none":
      return undefined
  }
}

const indent = (text: string) => text.replace(/^/gm, "  ")

/**
 * Prints a list as its rows arrive, a chunk (a page) at a time, in every format: `json` opens the
 * array at once and prints each object as it comes (the same text as {@link render}); `table` sizes
 * its columns by the header and the first chunk; `tsv` prints a line per row; `none` prints nothing
 * but still runs the stream.
 *
 * @since 0.1.0
 * @category rendering
 */
export const printStream = <E, R>(
  shape: Shape,
  columns: ReadonlyArray<string>,
  rows: Stream.Stream<Row, E, R>
): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    const fields = picked(shape)
    const shown = fields ?? columns
    const selected = Stream.map(rows, (row) => select(row, fields))
    switch (shape.output) {
      case "none":
        return yield* Stream.runDrain(selected)
      case "tsv":
        return yield* Stream.runForEach(selected, (row) => Console.log(cells(row).join("\t")))
      case "table": {
        const widths = yield* Ref.make<ReadonlyArray<number> | undefined>(undefined)
        yield* Stream.runForEachChunk(selected, (chunk) =>
          Effect.gen(function*() {
            const body = Chunk.toReadonlyArray(chunk).map(cells)
            let current = yield* Ref.get(widths)
            const lines: Array<string> = []
            if (current === undefined) {
              current = widthsOf(shown, body)
              yield* Ref.set(widths, current)
              lines.push(...tableHead(shown, current))
            }
            lines.push(...body.map(tableLine(current)))
            if (lines.length > 0) yield* Console.log(lines.join("\n"))
          }))
        if ((yield* Ref.get(widths)) === undefined) yield* Console.log(tableHead(shown, widthsOf(shown, [])).join("\n"))
        return
      }
      case "json": {
        // Each object is printed once the next one (or the end) shows whether a comma follows it.
        const pending = yield* Ref.make<string | undefined>(undefined)
        yield* Stream.runForEach(selected, (row) =>
          Effect.flatMap(
            Ref.getAndSet(pending, indent(json(jsonValue(row, fields), 2))),
            (previous) => Console.log(previous === undefined ? "[" : `${previous},`)
          ))
        const last = yield* Ref.get(pending)
        return yield* Console.log(last === undefined ? "[]" : `${last}\n]`)
      }
    }
  })
