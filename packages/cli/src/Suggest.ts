/**
 * "Did you mean …?": the closest valid choice to a misspelt command, option or value.
 *
 * @since 0.1.0
 */

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
const distance = (a: string, b: string): number => {
  const rows: Array<Array<number>> = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1]
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (same ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      row[j] = d
    }
    rows.push(row)
  }
  return rows[a.length]![b.length]!
}

/**
 * The candidate closest to `word` (case-insensitively), if it is close enough to be a typo: at most
 * a third of the word's letters apart (at least one), or the only candidate the word begins.
 *
 * @since 0.1.0
 * @category suggestions
 */
export const closest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  const typed = word.toLowerCase()
  let best: { readonly candidate: string; readonly distance: number } | undefined
  for (const candidate of candidates) {
    const d = distance(typed, candidate.toLowerCase())
    if (best === undefined || d < best.distance) best = { candidate, distance: d }
  }
  if (best !== undefined && best.distance <= Math.max(1, Math.floor(typed.length / 3))) return best.candidate
  const prefixed = candidates.filter((candidate) => typed.length >= 3 && candidate.toLowerCase().startsWith(typed))
  return prefixed.length === 1 ? prefixed[0] : undefined
}
