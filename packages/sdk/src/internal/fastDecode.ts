/**
 * Hand-written decoders for the hottest success bodies (a token: `getToken`, the Teams exchange).
 * Each returns exactly what its schema's decoder returns for the bodies it accepts, and `undefined`
 * for any other, which the schema then decodes (and explains). So it can only make a call cheaper,
 * never change its result; `FastPaths.test.ts` checks that against the schemas on generated bodies.
 * The schema's decoder costs a few microseconds per token (a transformation each for `Redacted` and
 * `Date`, and the class), which is most of what the client spends on a response.
 */
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import { AccessToken } from "../Models.js"

/** `AccessToken` from `{ token: string, expiresOn: date string }`, as `Schema.decodeUnknown(AccessToken)`. */
export const accessToken = (json: unknown): AccessToken | undefined => {
  if (!Predicate.isRecord(json)) return undefined
  const token = json.token
  const expiresOn = json.expiresOn
  if (typeof token !== "string" || typeof expiresOn !== "string") return undefined
  const date = new Date(expiresOn)
  return Number.isNaN(date.getTime())
    ? undefined
    : new AccessToken({ token: Redacted.make(token), expiresOn: date }, { disableValidation: true })
}

/** The fast decoder of a schema, if it has one. */
export const fastDecoderOf = (schema: Schema.Schema.Any): ((json: unknown) => unknown) | undefined =>
  schema === AccessToken ? accessToken : undefined
