/**
 * A cold-start reference, not a client anyone would ship: the raw floor's request run through
 * `Effect.runPromise`. Its cold start is what loading Effect's runtime costs any Effect-based client
 * before it does anything of its own.
 */
import * as Effect from "effect/Effect"
import { make as makeRaw } from "./raw.js"
import type { MakeClient } from "./types.js"

/** The floor, each call run by Effect's runtime. */
export const make: MakeClient = async (endpoint) => {
  const raw = await makeRaw(endpoint)
  return {
    getToken: () => Effect.runPromise(Effect.tryPromise(raw.getToken)),
    createUserAndToken: () => Effect.runPromise(Effect.tryPromise(raw.createUserAndToken)),
    close: raw.close
  }
}
