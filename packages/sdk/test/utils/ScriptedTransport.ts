/**
 * A scripted `HttpClient` for unit tests: records every request exactly as it would go on the wire
 * and answers from a queue of canned responses (or transport failures).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

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
  /** The handle and the `HttpClient` it drives. */
  static readonly layer = Layer.effectContext(Effect.sync(() => {
    const queue: Array<Reply> = []
    const sent: Array<SentRequest> = []
    let interrupted = 0
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        const headers: Record<string, string> = { ...request.headers }
        if (request.body._tag === "Uint8Array") headers["content-type"] = request.body.contentType
        sent.push({
          method: request.method,
          url: url.href,
          headers,
          body,
          hasBody: request.body._tag !== "Empty",
          at: yield* Clock.currentTimeMillis
        })
        const next = queue.shift() ?? { status: 599, body: "no scripted reply" }
        if ("hang" in next) {
          return yield* Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => interrupted++)))
        }
        if ("fail" in next) {
          return yield* new HttpClientError.RequestError({
            request,
            reason: next.fail === "network" ? "Transport" : next.fail,
            cause: new Error(next.fail === "network" ? "ECONNRESET" : "the request could not be built")
          })
        }
        const text = next.body === undefined
          ? null
          : typeof next.body === "string"
          ? next.body
          : JSON.stringify(next.body)
        return HttpClientResponse.fromWeb(
          request,
          new Response(text, {
            status: next.status,
            headers: { "content-type": "application/json", ...next.headers }
          })
        )
      })
    )
    return Context.make(ScriptedTransport, {
      reply: (...r) => void queue.push(...r),
      sent,
      interrupted: () => interrupted,
      untilSent: (count) =>
        Effect.promise(async () => {
          while (sent.length < count) await new Promise((resolve) => setTimeout(resolve, 1))
        })
    }).pipe(
      Context.add(HttpClient.HttpClient, client)
    )
  }))
}
