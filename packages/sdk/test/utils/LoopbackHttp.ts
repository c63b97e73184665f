/** A `node:http` server on a free loopback port, for the tests that need real HTTP. */
import { Effect, type Scope } from "effect"
import * as Http from "node:http"
import type * as Net from "node:net"

/** A running loopback server. */
export interface LoopbackServer {
  readonly server: Http.Server
  /** `http://127.0.0.1:<port>` */
  readonly origin: URL
}

/** Serves `handler` on 127.0.0.1 for the scope; its connections are closed with it. */
export const serveHttp = (handler: Http.RequestListener): Effect.Effect<LoopbackServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<LoopbackServer>((resume) => {
      const server = Http.createServer({ keepAlive: true }, handler)
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as Net.AddressInfo
        resume(Effect.succeed({ server, origin: new URL(`http://127.0.0.1:${port}`) }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
