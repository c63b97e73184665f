/**
 * A cold-start reference, not a client anyone would ship: the raw floor's request run through
 * `Effect.runPromise`, its token checked by one small `effect/Schema` struct. Its cold start is what
 * loading Effect and `effect/Schema` costs any client that models its data with Schema.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { make as makeRaw } from "./raw.js"
import type { MakeClient } from "./types.js"

const Token = Schema.Struct({ token: Schema.String, expiresOn: Schema.DateFromSelf })

/** The floor, each call run by Effect's runtime and its token decoded by a schema. */
export const make: MakeClient = async (endpoint) => {
  const raw = await makeRaw(endpoint)
  const decode = Schema.decodeUnknown(Token)
  return {
    getToken: () => Effect.runPromise(Effect.tryPromise(raw.getToken).pipe(Effect.flatMap(decode))),
    createUserAndToken: () => Effect.runPromise(Effect.tryPromise(raw.createUserAndToken)),
    close: raw.close
  }
}
