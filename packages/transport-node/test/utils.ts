/** A real loopback `node:http` server for the transport tests, closed with the scope. */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"

/** A running server and what it has seen. */
export interface TestServer {
  readonly url: string
  /** TCP connections accepted so far. */
  readonly connections: () => number
  /** Sockets currently open on the server side. */
  readonly openSockets: () => number
}

/** Starts a server with `handler` on 127.0.0.1 and an ephemeral port. */
export const serve = (handler: Http.RequestListener): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Http.Server; readonly info: TestServer }>((resume) => {
      const sockets = new Set<Net.Socket>()
      let connections = 0
      const server = Http.createServer({ keepAlive: true }, handler)
      server.on("connection", (socket) => {
        connections++
        sockets.add(socket)
        socket.once("close", () => sockets.delete(socket))
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({
          server,
          info: { url: `http://127.0.0.1:${port}`, connections: () => connections, openSockets: () => sockets.size }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ info }) => info))

/** A port with nothing listening on it (a server is opened, its port noted, then closed). */
export const closedPort: Effect.Effect<number> = Effect.async((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})
