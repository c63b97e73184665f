/**
 * Prism answers a request that breaks the spec with the operation's first documented `400` example,
 * whatever the request got wrong; only its `sl-violations` header says what that was. This turns
 * such an answer into the service's error envelope naming the actual violation, so a client (ours,
 * the official one, a user's app) shows the real reason.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Reply from "../shared/Reply.js"
import * as Wire from "../shared/Wire.js"

const Violation = Schema.Struct({
  location: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  severity: Schema.String,
  message: Schema.String
})

const decodeViolations = Schema.decodeUnknownOption(Schema.parseJson(Schema.Array(Violation)))

/** Prism's prefix when the list did not fit in a header (the JSON after it is cut short). */
const truncated = "Too many violations!"

/** What the violation is about: the field, query parameter, header or path parameter named last. */
const targetOf = (location: ReadonlyArray<string | number>): string => {
  // Prism gives array indices as strings ("scopes", "0"): the target is the array's name.
  const named = location.slice(2).filter((part) => typeof part === "string" && !/^\d+$/.test(part))
  return String(named.at(-1) ?? location[1] ?? "request")
}

/**
 * Body fields whose rejection the service words in its own way (recorded: `ExpiresInMinutes` for an
 * expiry out of range, `AppId`/`appId` and `UserId`/`userId` for missing or malformed Teams ids):
 * for these the Prism mock answers exactly as the stateful mock does (`Wire.fieldRejection`).
 */
const serviceWorded = new Set(["expiresInMinutes", "appId", "userId"])

/** The top-level body field a violation is about, including the one a `required` violation names. */
const bodyField = (violation: typeof Violation.Type): string | undefined => {
  if (violation.location[1] !== "body") return undefined
  const named = violation.location[2]
  if (typeof named === "string") return named
  return /required property '([^']+)'/.exec(violation.message)?.[1]
}

/**
 * The reply naming what is wrong with the request, for a `400` whose `sl-violations` lists request
 * errors (worded as the service does for the fields it words itself, given the parsed `body`);
 * `undefined` for any other answer (a valid request's documented `400` included), which then
 * passes as Prism sent it.
 *
 * @since 0.1.0
 * @category internal
 */
export const forInvalidRequest = (
  status: number,
  violations: string | undefined,
  headers: Readonly<Record<string, string>>,
  body?: Readonly<Record<string, unknown>>
): Reply.Reply | undefined => {
  if (status !== 400 || violations === undefined) return undefined
  if (violations.startsWith(truncated)) {
    return Reply.error(
      400,
      "ValidationError",
      "The request breaks the API description in many ways; see the sl-violations header.",
      {
        headers
      }
    )
  }
  const errors = Option.getOrElse(decodeViolations(violations), () => []).filter((violation) =>
    violation.severity === "Error" && violation.location[0] === "request"
  )
  const [first, ...others] = errors
  if (first === undefined) return undefined
  const field = body === undefined ? undefined : bodyField(first)
  if (field !== undefined && serviceWorded.has(field)) {
    const reply = Wire.fieldRejection(body!, field, first.message, /must be [<>]=/.test(first.message))
    return { ...reply, headers: { ...headers, ...reply.headers } }
  }
  const more = others.length === 0 ? "" : ` (and ${others.length} more in the sl-violations header)`
  return Reply.error(400, "ValidationError", `${first.message}${more}`, { target: targetOf(first.location), headers })
}
