/**
 * The stateful mock server, with the request log of `mock start --verbose`. `EmbeddedMock` imports
 * this module only when a mock starts, so the mock and the HTTP server it logs are loaded together,
 * and never by the other commands.
 */
import { StatefulServer } from "@acs-identity/mock-server"
import * as HttpApp from "@effect/platform/HttpApp"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { oneLine } from "../Stderr.js"

/**
 * One line on stderr per request served: method, path and query, request id and status (never a
 * header or a body, so no key or token).
 */
const logServed: HttpApp.PreResponseHandler = (request, response) => {
  const id = request.headers["x-ms-client-request-id"]
  return Effect.as(
    Console.error(
      `${request.method} ${oneLine(request.url)}${
        id === undefined ? "" : ` [request id ${oneLine(id)}]`
      } -> ${response.status}`
    ),
    response
  )
}

/** Starts the mock for the scope; with `verbose`, every request it serves is logged on stderr. */
export const make = (options: StatefulServer.StatefulServerOptions, verbose: boolean) =>
  verbose
    // The server runs each request with the fiber refs it was started with, this handler among them.
    ? Effect.locally(StatefulServer.make(options), HttpApp.currentPreResponseHandlers, Option.some(logServed))
    : StatefulServer.make(options)
