/**
 * Sanitized copies of transport failures. Platform errors (`RequestError`, `ResponseError`) hold the
 * whole request — the `Authorization` header and the body, which for the Teams exchange is the user's
 * Entra token — and printers outside a fiber (`JSON.stringify`, `util.inspect`, `String`) show them.
 * What an SDK error keeps instead is a plain `Error` with the name, the `code` and the message of each
 * cause in the chain, with every secret of the request cut out.
 */

const maxDepth = 4
const redacted = "<redacted>"

/** Pieces of a header value or body long enough to be a credential (signatures, tokens, keys). */
const piecesOf = (value: string): ReadonlyArray<string> => [
  value,
  ...value.split(/[\s&=,;"]+/).filter((piece) => piece.length >= 12)
]

const stringLeaves = (value: unknown, into: Array<string>, depth = 0): void => {
  if (typeof value === "string") {
    if (value.length >= 12) into.push(value)
  } else if (depth < 8 && typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) stringLeaves(inner, into, depth + 1)
  }
}

/** The strings no error may carry for one request: its credential header values and its body's strings. */
export const secretsOf = (auth: Readonly<Record<string, string>>, body: unknown): ReadonlyArray<string> => {
  const secrets: Array<string> = []
  for (const value of Object.values(auth)) secrets.push(...piecesOf(value))
  stringLeaves(body, secrets)
  return secrets.sort((a, b) => b.length - a.length)
}

const cut = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(redacted)
  return out
}

/**
 * A plain `Error` standing for `cause`: its name, `code` and message (secrets cut out), and its own
 * cause likewise, a few levels deep. Nothing else of the original (request, response, headers) is kept.
 */
export const scrubCause = (cause: unknown, secrets: ReadonlyArray<string>, depth = 0): Error => {
  if (!(cause instanceof Error)) {
    return new Error(typeof cause === "string" ? cut(cause, secrets) : `a non-Error value (${typeof cause})`)
  }
  const inner = depth < maxDepth && cause.cause !== undefined ? scrubCause(cause.cause, secrets, depth + 1) : undefined
  const copy = new Error(cut(cause.message, secrets), inner === undefined ? undefined : { cause: inner })
  copy.name = cut(cause.name, secrets)
  const code = (cause as { readonly code?: unknown }).code
  if (typeof code === "string" || typeof code === "number") Object.assign(copy, { code })
  // The copy's own stack says where it was made; the original's (which repeats its message) is dropped.
  copy.stack = `${copy.name}: ${copy.message}`
  return copy
}
