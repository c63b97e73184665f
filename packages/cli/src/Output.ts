/**
 * How results are printed: `--output json` (the default), `table`, `tsv` or `none`.
 *
 * A command's result is a {@link Row}: named fields in a fixed, documented order. `json` prints the
 * fields that have a value as one object; `table` prints a header, a rule and the values; `tsv`
 * prints the values alone, tab-separated (an absent value is an empty column), for `cut` and `read`.
 * In `table` and `tsv`, tabs and line breaks inside a value become spaces.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"

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
export const option: Options.Options<Format> = Options.choice("output", formats).pipe(
  Options.withAlias("o"),
  Options.withDescription("How to print the result: json (stable field names), table, tsv (values only) or none."),
  Options.withDefault<Format>("json")
)

/** A value as one cell: lists comma-separated; tabs and line breaks become spaces, so columns and lines stay intact. */
const cell = (value: Value): string =>
  (value === undefined
    ? ""
    : typeof value === "string"
    ? value
    : typeof value === "boolean"
    ? String(value)
    : value.join(","))
    .replace(/[\t\n\r]/g, " ")

const table = (columns: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = columns.map((name, i) => Math.max(name.length, ...rows.map((cells) => (cells[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(columns), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n")
}

const object = (row: Row) => Object.fromEntries(row.filter(([, value]) => value !== undefined))

const cells = (row: Row) => row.map(([, value]) => cell(value))

/**
 * The text to print for a result in a format, or `undefined` when nothing is printed (`none`, or an
 * empty list in `tsv`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (format: Format, printable: Printable): string | undefined => {
  const many = "_tag" in printable
  const rows: ReadonlyArray<Row> = many ? printable.rows : [printable]
  switch (format) {
    case "json":
      return JSON.stringify(many ? rows.map(object) : object(printable), null, 2)
    case "table":
      return table(many ? printable.columns : printable.map(([name]) => name), rows.map(cells))
    case "tsv":
      return rows.length === 0 ? undefined : rows.map((row) => cells(row).join("\t")).join("\n")
    case "none":
      return undefined
  }
}
