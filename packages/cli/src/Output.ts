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
 * A result: field names and their values, in the order they are printed. `undefined` marks a field
 * this result has no value for.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = ReadonlyArray<readonly [name: string, value: string | undefined]>

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

/** A value as one cell: tabs and line breaks become spaces, so columns and lines stay intact. */
const cell = (value: string | undefined): string => (value ?? "").replace(/[\t\n\r]/g, " ")

const table = (row: Row): string => {
  const widths = row.map(([name, value]) => Math.max(name.length, cell(value).length))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [
    line(row.map(([name]) => name)),
    line(widths.map((width) => "-".repeat(width))),
    line(row.map(([, value]) => cell(value)))
  ].join("\n")
}

/**
 * The text to print for a result in a format, or `undefined` when nothing is printed (`none`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (format: Format, row: Row): string | undefined => {
  switch (format) {
    case "json":
      return JSON.stringify(Object.fromEntries(row.filter(([, value]) => value !== undefined)), null, 2)
    case "table":
      return table(row)
    case "tsv":
      return row.map(([, value]) => cell(value)).join("\t")
    case "none":
      return undefined
  }
}
