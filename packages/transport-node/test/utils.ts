/** A real loopback `node:http` server for the transport tests, closed with the scope. */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Net from "node:net"
import * as Tls from "node:tls"

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

/**
 * Listens with the TCP server `server` on 127.0.0.1 and an ephemeral port; `sockets` holds what it
 * opened (its connections, and any it adds), all destroyed with the scope.
 */
const listenTcp = <A>(
  make: (sockets: Set<Net.Socket>) => Net.Server,
  info: (url: string) => A,
  host = "127.0.0.1"
): Effect.Effect<A, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Net.Server; readonly sockets: Set<Net.Socket>; readonly info: A }>((resume) => {
      const sockets = new Set<Net.Socket>()
      const server = make(sockets)
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.once("close", () => sockets.delete(socket))
      })
      server.listen(0, host, () => {
        const { port } = server.address() as Net.AddressInfo
        const authority = Net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`
        resume(Effect.succeed({ server, sockets, info: info(`http://${authority}`) }))
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ info }) => info))

/** A running silent TCP server. */
export interface SilentServer {
  readonly url: string
  /** Succeeds once a connection it accepted has closed. */
  readonly closed: Effect.Effect<void>
}

/** A TCP server that reads whatever comes (a request, a TLS hello) and never answers. */
export const serveSilent: Effect.Effect<SilentServer, never, Scope.Scope> = Effect.flatMap(
  Deferred.make<void>(),
  (closed) =>
    listenTcp(
      () =>
        Net.createServer((socket) => {
          socket.on("error", () => {})
          socket.resume()
          socket.once("close", () => Deferred.unsafeDone(closed, Effect.void))
        }),
      (url) => ({ url, closed: Deferred.await(closed) })
    )
)

/** A running raw TCP server and what it has seen. */
export interface RawServer {
  readonly url: string
  /** TCP connections accepted so far. */
  readonly connections: () => number
  /** Requests read so far (heads and bodies as text). */
  readonly requests: () => ReadonlyArray<string>
}

/**
 * A TCP server that reads each HTTP/1.1 request (head, then a `content-length` body) and lets
 * `answer` write whatever bytes it likes back, to test what the transport does with a peer that is
 * not `node:http`.
 */
export const serveRaw = (
  answer: (socket: Net.Socket, request: string, index: number) => void
): Effect.Effect<RawServer, never, Scope.Scope> => {
  const seen: Array<string> = []
  let connections = 0
  return listenTcp(
    () =>
      Net.createServer((socket) => {
        connections++
        let buffered = ""
        socket.on("data", (data) => {
          buffered += data.toString("latin1")
          for (;;) {
            const end = buffered.indexOf("\r\n\r\n")
            if (end < 0) return
            const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0)
            if (buffered.length < end + 4 + length) return
            const request = buffered.slice(0, end + 4 + length)
            buffered = buffered.slice(request.length)
            seen.push(request)
            answer(socket, request, seen.length - 1)
          }
        })
        socket.on("error", () => {})
      }),
    (url) => ({ url, connections: () => connections, requests: () => seen })
  )
}

/** A running CONNECT proxy and what it has seen. */
export interface TestProxy {
  readonly url: string
  /** The `CONNECT` targets asked for, in order. */
  readonly connects: () => ReadonlyArray<string>
  /** The `Proxy-Authorization` of each `CONNECT` (`undefined` for none). */
  readonly authorizations: () => ReadonlyArray<string | undefined>
}

/** How a test proxy behaves. */
export interface ProxyOptions {
  /** The head to answer a `CONNECT` with instead of opening the tunnel (a 407, say), if any. */
  readonly refuse?: (authorization: string | undefined) => string | undefined
  /** Be an HTTPS proxy (its URL `https:`) with these settings. */
  readonly tls?: Tls.TlsOptions
  /** The address to listen on; default 127.0.0.1. */
  readonly host?: string
}

/** An HTTP proxy on loopback that opens `CONNECT` tunnels, as `options` say. */
export const serveProxy = (
  { host, refuse = () => undefined, tls }: ProxyOptions = {}
): Effect.Effect<TestProxy, never, Scope.Scope> => {
  const connects: Array<string> = []
  const authorizations: Array<string | undefined> = []
  return listenTcp(
    (sockets) => {
      const onClient = (client: Net.Socket) => {
        client.on("error", () => {})
        let head = ""
        const onData = (data: Buffer) => {
          head += data.toString("latin1")
          const end = head.indexOf("\r\n\r\n")
          if (end < 0) return
          client.off("data", onData)
          const target = /^CONNECT (\S+) HTTP\/1\.1\r\n/.exec(head)?.[1] ?? ""
          const authorization = /\r\nproxy-authorization: *([^\r]*)/i.exec(head)?.[1]
          connects.push(target)
          authorizations.push(authorization)
          const refusal = refuse(authorization)
          if (refusal !== undefined) return client.end(refusal)
          const colon = target.lastIndexOf(":")
          const upstream = Net.connect({
            host: target.slice(0, colon).replace(/^\[|\]$/g, ""),
            port: Number(target.slice(colon + 1))
          })
          sockets.add(upstream)
          upstream.once("close", () => sockets.delete(upstream))
          upstream.on("error", () => client.destroy())
          upstream.once("connect", () => {
            client.write("HTTP/1.1 200 Connection established\r\n\r\n")
            client.pipe(upstream).pipe(client)
          })
        }
        client.on("data", onData)
      }
      return tls === undefined ? Net.createServer(onClient) : Tls.createServer(tls, onClient)
    },
    (url) => ({
      url: tls === undefined ? url : url.replace(/^http:/, "https:"),
      connects: () => connects,
      authorizations: () => authorizations
    }),
    host
  )
}
