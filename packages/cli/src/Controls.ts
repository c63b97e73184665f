/**
 * Control characters made visible. Text the service sent (ids, error codes, messages, targets) and
 * values the user typed reach the terminal only through {@link escape}: every C0 and C1 control
 * character and DEL becomes a printable escape (`\x1b`, `\t`, `\u009b`), so no answer can move the
 * cursor, clear the screen, set the title or write the clipboard.
 *
 * @since 0.1.0
 */

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f]/g

const named: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" }

const hex = (char: string) => char.charCodeAt(0).toString(16).padStart(2, "0")

/**
 * Whether the text holds a C0 or C1 control character or DEL.
 *
 * @since 0.1.0
 * @category predicates
 */
// eslint-disable-next-line no-control-regex
export const hasControl = (text: string): boolean => /[\u0000-\u001f\u007f-\u009f]/.test(text)

/**
 * The text with every control character replaced by its escape: `\t`, `\n`, `\r`, else `\xHH`
 * (C0 and DEL) or `\u00HH` (C1).
 *
 * @since 0.1.0
 * @category formatting
 */
export const escape = (text: string): string =>
  text.replace(controls, (char) => named[char] ?? (char < "\u0080" ? `\\x${hex(char)}` : `\\u00${hex(char)}`))

/**
 * JSON text with C1 controls and DEL escaped too (`JSON.stringify` escapes only C0): the same
 * value once parsed, and nothing a terminal acts on.
 *
 * @since 0.1.0
 * @category formatting
 */
export const json = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (char) => `\\u00${hex(char)}`)

/**
 * A value as an error message quotes it: in single quotes, escaped, and cut after 60 characters.
 *
 * @since 0.1.0
 * @category formatting
 */
export const quote = (value: string): string => {
  const shown = escape(value)
  return `'${shown.length > 60 ? `${shown.slice(0, 59)}…` : shown}'`
}
