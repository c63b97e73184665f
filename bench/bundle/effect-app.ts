/**
 * Bundle-size baseline: a small Effect application that already uses `effect`, `effect/Schema` and a
 * platform `HttpClient` (fetch), with a retry and a span: what an Effect user has before adding the SDK.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"

const Todo = Schema.Struct({ id: Schema.Number, title: Schema.String, due: Schema.Date })

/** Fetches and decodes one record, with retries and a span. */
export const app = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get(String(Reflect.get(globalThis, "TODO_URL")))
  const todo = yield* HttpClientResponse.schemaBodyJson(Todo)(response)
  console.log(todo.title, todo.due)
}).pipe(
  Effect.retry(Schedule.exponential("100 millis").pipe(Schedule.intersect(Schedule.recurs(3)))),
  Effect.withSpan("app"),
  Effect.provide(FetchHttpClient.layer)
)
