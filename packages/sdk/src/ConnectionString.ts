/**
 * Parsing `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>` connection
 * strings. Keys are case-insensitive and may come in any order; values split at the first `=` only
 * (access keys end in `=`). No error message ever repeats any part of the string.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidConnectionStringError } from "./Errors.js"

/**
 * What a connection string holds.
 *
 * @since 0.1.0
 * @category models
 */
export interface ParsedConnectionString {
  readonly endpoint: URL
  readonly accessKey: Redacted.Redacted<string>
}

const expected = "expected endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>"

const fail = (problem: string) => Effect.fail(new InvalidConnectionStringError({ message: `${problem}; ${expected}` }))

/**
 * Validates an ACS endpoint: http(s), a host, no path beyond `/`, no query, no credentials, no fragment.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseEndpoint = (endpoint: string | URL): URL | undefined => {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return undefined
  }
  const ok = (url.protocol === "https:" || url.protocol === "http:") && url.hostname.length > 0 &&
    (url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "" &&
    url.username === "" && url.password === ""
  return ok ? url : undefined
}

/**
 * Parses a connection string into its endpoint and (redacted) access key.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseConnectionString = (
  connectionString: string | Redacted.Redacted<string>
): Effect.Effect<ParsedConnectionString, InvalidConnectionStringError> => {
  const text = Redacted.isRedacted(connectionString) ? Redacted.value(connectionString) : connectionString
  if (typeof text !== "string" || text.trim().length === 0) return fail("the connection string is empty")
  const parts = new Map<string, string>()
  for (const segment of text.split(";")) {
    if (segment.trim().length === 0) continue
    const eq = segment.indexOf("=")
    if (eq <= 0) return fail("a part of the connection string is not of the form key=value")
    const key = segment.slice(0, eq).trim().toLowerCase()
    if (parts.has(key)) {
      return fail(
        key === "endpoint" || key === "accesskey" ? `the connection string names '${key}' twice` : "a key appears twice"
      )
    }
    parts.set(key, segment.slice(eq + 1).trim())
  }
  const endpoint = parts.get("endpoint")
  const accessKey = parts.get("accesskey")
  if (endpoint === undefined || endpoint.length === 0) return fail("the connection string has no endpoint")
  if (accessKey === undefined || accessKey.length === 0) return fail("the connection string has no accesskey")
  const url = parseEndpoint(endpoint)
  if (url === undefined) {
    return fail("the endpoint is not an http(s) URL with a host and no path, query or fragment")
  }
  return Effect.succeed({ endpoint: url, accessKey: Redacted.make(accessKey) })
}

/**
 * The config a connection string is read from when none is named.
 *
 * @since 0.1.0
 * @category config
 */
export const defaultConnectionStringVariable = "COMMUNICATION_CONNECTION_STRING"

/**
 * The connection string read through `Config` (from `name`, by default
 * `COMMUNICATION_CONNECTION_STRING`) as a `Redacted`. When it is not set the `ConfigError` says so
 * and how to set it (`Config.redacted` reports a missing value as `"<redacted>"`, which reads as
 * though one had been given). A value that is set is never in any error.
 *
 * @since 0.1.0
 * @category config
 */
export const connectionStringConfig = (
  name: string = defaultConnectionStringVariable
): Config.Config<Redacted.Redacted<string>> =>
  Config.option(Config.string(name)).pipe(
    Config.mapOrFail(Option.match({
      onNone: () =>
        Either.left(ConfigError.MissingData(
          [name],
          `${name} is not set: set it to the connection string of your Communication Services resource ` +
            `(Azure portal: the resource's Keys page, or \`az communication list-key\`), ` +
            `e.g. ${name}="endpoint=https://<resource>.communication.azure.com/;accesskey=<key>"`
        )),
      onSome: (value) => Either.right(Redacted.make(value))
    }))
  )
