/** Small statistics and formatting helpers for the bench tables. */

/** The median of a non-empty list. */
export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** `value / base` as `0.42×`, or `–` when there is no base. */
export const ratio = (value: number | undefined, base: number | undefined): string =>
  value === undefined || base === undefined || base === 0 ? "–" : `${(value / base).toFixed(2)}×`

/** A number with thousands separators and `digits` decimals. */
export const num = (value: number | undefined, digits = 0): string =>
  value === undefined
    ? "–"
    : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Bytes as KiB with one decimal. */
export const kib = (bytes: number | undefined): string => bytes === undefined ? "–" : `${(bytes / 1024).toFixed(1)} KiB`

/** A markdown table. */
export const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join(" | ")} |`
  const rule = `|${widths.map((w, i) => i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`).join("|")}|`
  return [line(head), rule, ...rows.map(line)].join("\n")
}
