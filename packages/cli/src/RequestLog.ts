/**
 * `--verbose`: one line on stderr per HTTP attempt (retries included) with the method, the URL, the
 * status or the failure, the time taken and the `x-ms-client-request-id`. Headers and bodies are
 * never printed, so neither the signature, the Entra token nor an issued token can appear.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

const describe = (request: HttpClientRequest.HttpClientRequest): string => {
  const url = Option.match(HttpClientRequest.toUrl(request), { onNone: () => request.url, onSome: String })
  const id = request.headers["x-ms-client-request-id"]
  return `${request.method} ${url}${id === undefined ? "" : ` [request id ${id}]`}`
}

/**
 * Wraps a client so that every attempt is logged on stderr.
 *
 * @since 0.1.0
 * @category combinators
 */
export const logRequests = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(client, (response, request) =>
    Effect.timed(response).pipe(
      Effect.tapBoth({
        onSuccess: ([elapsed, response]) =>
          Console.error(`${describe(request)} -> ${response.status} in ${Math.round(Duration.toMillis(elapsed))} ms`),
        onFailure: (error) => Console.error(`${describe(request)} -> failed (${error.reason})`)
      }),
      Effect.map(([, response]) => response)
    ))

/**
 * Replaces the `HttpClient` of the layer below with one that logs every attempt.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient, never, HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, logRequests)
)
