/**
 * A scripted `Transport` for unit tests: records every request exactly as it would go on the wire
 * and answers from a queue of canned responses (or transport failures).
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Transport } from "../../src/index.js"

/** A request as sent: method, full URL, lower-cased headers and body bytes as text. */
export interface SentRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly hasBody: boolean
  /** When it was sent, by the Effect `Clock` (so `TestClock` time in tests). */
  readonly at: number
}

/** One scripted answer. */
export type Reply =
  | { readonly status: number; readonly body?: string | object; readonly headers?: Record<string, string> }
  | { readonly fail: "network" | "Encode" | "InvalidUrl" }
  | { readonly hang: true }

/** Test handle: queue replies, read what was sent. */
export class ScriptedTransport extends Context.Tag("test/ScriptedTransport")<ScriptedTransport, {
  readonly reply: (...replies: Array<Reply>) => void
  readonly sent: Array<SentRequest>
  /** How many in-flight requests were interrupted (aborted) by the client. */
  readonly interrupted: () => number
  /** Waits (in real time) until `count` requests have been sent. */
  readonly untilSent: (count: number) => Effect.Effect<void>
}>() {
  /** The handle and the `Transport` it drives. */
  static readonly layer = Layer.effectContext(Effect.sync(() => {
    const queue: Array<Reply> = []
    const sent: Array<SentRequest> = []
    let interrupted = 0
    const transport: Transport.Service = {
      send: (request) =>
        Effect.gen(function*() {
          const body = request.body === undefined ? "" : new TextDecoder().decode(request.body)
          sent.push({
            method: request.method,
            url: new URL(request.path, request.origin).href,
            headers: { ...request.headers },
            body,
            hasBody: request.body !== undefined,
            at: yield* Clock.currentTimeMillis
          })
          const next = queue.shift() ?? { status: 599, body: "no scripted reply" }
          if ("hang" in next) {
            // A hung exchange ends as the contract says: at the attempt's budget, as a timeout.
            return yield* Effect.never.pipe(
              Effect.onInterrupt(() => Effect.sync(() => interrupted++)),
              Effect.timeoutFail({ duration: request.timeoutMillis, onTimeout: () => Transport.failure("Timeout") })
            )
          }
          if ("fail" in next) {
            return yield* Transport.failure(
              next.fail === "network" ? "Network" : next.fail,
              new Error(next.fail === "network" ? "ECONNRESET" : "the request could not be built")
            )
          }
          const text = next.body === undefined
            ? ""
            : typeof next.body === "string"
            ? next.body
            : JSON.stringify(next.body)
          const headers: Record<string, string> = { "content-type": "application/json" }
          for (const [name, value] of Object.entries(next.headers ?? {})) headers[name.toLowerCase()] = value
          return { status: next.status, headers, body: new TextEncoder().encode(text) }
        })
    }
    return Context.make(ScriptedTransport, {
      reply: (...r) => void queue.push(...r),
      sent,
      interrupted: () => interrupted,
      untilSent: (count) =>
        Effect.promise(async () => {
          while (sent.length < count) await new Promise((resolve) => setTimeout(resolve, 1))
        })
    }).pipe(
      Context.add(Transport.Transport, transport)
    )
  }))
}
