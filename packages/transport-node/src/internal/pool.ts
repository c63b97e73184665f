/**
 * Keep-alive connections, per origin: a connection carries one exchange at a time, goes back to
 * its pool when a response ended cleanly and the server did not ask to close, and is destroyed
 * otherwise. Idle connections do not keep the process alive and are dropped when the server closes
 * them, sends anything unasked, or their `Keep-Alive: timeout` hint runs out.
 */
import * as Net from "node:net"
import * as Tls from "node:tls"
import { openTunnel, type Proxy } from "./tunnel.js"

/** TLS settings for `https:` origins (a private CA, a client certificate, …). */
export type TlsOptions = Pick<
  Tls.ConnectionOptions,
  "ca" | "cert" | "key" | "pfx" | "passphrase" | "rejectUnauthorized" | "minVersion" | "maxVersion" | "ciphers"
>

/** How a transport's pools connect. */
export interface Settings {
  /** Return connections to the pool after a response. */
  readonly keepAlive: boolean
  /** The most connections per origin, in use or idle. */
  readonly maxSockets: number
  /** Fail an exchange whose socket sees no activity for this long; 0 for no limit. */
  readonly idleTimeoutMillis: number
  readonly tls: TlsOptions | undefined
  /** The HTTP or HTTPS proxy `https:` origins are tunnelled through, if any. */
  readonly proxy: Proxy | undefined
}

/** What a connection reports to the exchange it carries. */
export interface Carried {
  readonly onData: (data: Buffer) => void
  readonly onEnd: () => void
  /** The socket failed or closed. */
  readonly onError: (cause: Error) => void
  /** The socket saw no activity for the idle timeout. */
  readonly onIdle: (cause: Error) => void
}

/** An exchange waiting for a connection. */
export interface Waiter {
  readonly attach: (connection: Connection) => void
  /** No connection could be opened (TLS settings `node:tls` refuses, say). */
  readonly fail: (reason: "Network", cause: unknown) => void
}

/** A URL's host name as `node:net` takes it: an IPv6 address without its brackets. */
export const netHost = (hostname: string): string => hostname.startsWith("[") ? hostname.slice(1, -1) : hostname

/** The margin left before a server's `Keep-Alive: timeout`, so a request never meets its close. */
const keepAliveMargin = 1000

/**
 * One socket and the exchange it carries, if any.
 */
export class Connection {
  carried: Carried | undefined
  /** It carried an exchange before the one it carries now. */
  reused = false
  private exchanges = 0
  private idle = false

  constructor(private readonly pool: Pool, readonly socket: Net.Socket) {
    socket.on("data", (data: Buffer) => this.carried === undefined ? socket.destroy() : this.carried.onData(data))
    socket.on("end", () => this.carried === undefined ? socket.destroy() : this.carried.onEnd())
    socket.on("error", (cause) => this.carried?.onError(cause))
    socket.on("timeout", () => {
      if (this.carried === undefined) socket.destroy()
      else this.carried.onIdle(new Error(`the socket was idle for ${pool.settings.idleTimeoutMillis} ms`))
    })
    socket.on("close", () => {
      pool.forget(this)
      this.carried?.onError(new Error("the connection closed before the response ended"))
    })
  }

  /** Starts carrying `carried`, sending `bytes`. */
  carry(carried: Carried, bytes: Buffer): void {
    this.carried = carried
    this.reused = this.exchanges++ > 0
    if (this.idle) {
      this.idle = false
      this.socket.ref()
      this.socket.setTimeout(this.pool.settings.idleTimeoutMillis)
    }
    this.socket.write(bytes)
  }

  /** The exchange is over: back to the pool when `reusable`, destroyed otherwise. */
  release(reusable: boolean, keepAliveMillis: number | undefined): void {
    this.carried = undefined
    if (!reusable || !this.pool.settings.keepAlive || this.socket.destroyed) return this.destroy()
    if (keepAliveMillis !== undefined && keepAliveMillis <= keepAliveMargin) return this.destroy()
    this.pool.reuse(this, keepAliveMillis === undefined ? 0 : keepAliveMillis - keepAliveMargin)
  }

  /** Waits in the pool: no hold on the process, dropped after `idleMillis` (0: when the server closes). */
  rest(idleMillis: number): void {
    this.idle = true
    this.socket.unref()
    this.socket.setTimeout(idleMillis)
  }

  destroy(): void {
    this.carried = undefined
    this.socket.destroy()
  }
}

/**
 * The connections to one origin.
 */
export class Pool {
  private readonly idle: Array<Connection> = []
  private readonly waiting: Array<Waiter> = []
  private readonly connections = new Set<Connection>()
  /** Tunnels being opened through the proxy, by the waiter each is for. */
  private readonly tunnels = new Map<Waiter, Net.Socket>()
  private readonly host: string
  private readonly port: number
  private readonly secure: boolean
  /** The proxy this origin's connections are tunnelled through, if any. */
  private readonly proxy: Proxy | undefined
  /** The last TLS session the origin gave, to resume on the next connection instead of a full handshake. */
  private session: Buffer | undefined

  constructor(origin: URL, readonly settings: Settings) {
    this.secure = origin.protocol === "https:"
    this.host = netHost(origin.hostname)
    this.port = origin.port === "" ? (this.secure ? 443 : 80) : Number(origin.port)
    const proxy = settings.proxy
    this.proxy = this.secure && proxy !== undefined && !proxy.bypass(this.host, this.port) ? proxy : undefined
  }

  /** Hands `waiter` a connection: an idle one, a new one, or the next one freed. */
  acquire(waiter: Waiter): void {
    const idle = this.idle.pop()
    if (idle !== undefined) return waiter.attach(idle)
    if (this.connections.size + this.tunnels.size < this.settings.maxSockets) return this.connect(waiter)
    this.waiting.push(waiter)
  }

  /** `waiter` gave up before it got a connection (its tunnel, if one was being opened, is closed). */
  cancel(waiter: Waiter): void {
    const at = this.waiting.indexOf(waiter)
    if (at >= 0) this.waiting.splice(at, 1)
    const tunnel = this.tunnels.get(waiter)
    if (tunnel === undefined) return
    this.tunnels.delete(waiter)
    tunnel.destroy()
  }

  /** A connection is free again: to the next waiter, or to rest. */
  reuse(connection: Connection, idleMillis: number): void {
    const waiter = this.waiting.shift()
    if (waiter !== undefined) return waiter.attach(connection)
    connection.rest(idleMillis)
    this.idle.push(connection)
  }

  /** A connection closed: it leaves the pool, and a waiter may open another. */
  forget(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    const at = this.idle.indexOf(connection)
    if (at >= 0) this.idle.splice(at, 1)
    const waiter = this.waiting.shift()
    if (waiter !== undefined) this.connect(waiter)
  }

  /** `connection` broke under `waiter`: it is dropped, and a new one is opened for `waiter` in its place. */
  replace(connection: Connection, waiter: Waiter): void {
    this.connections.delete(connection)
    connection.destroy()
    this.connect(waiter)
  }

  /** Closes every connection, in use or idle. */
  destroy(): void {
    this.waiting.length = 0
    for (const connection of [...this.connections]) connection.destroy()
    for (const tunnel of this.tunnels.values()) tunnel.destroy()
    this.tunnels.clear()
  }

  /** Opens a connection for `waiter`: straight to the origin, or through a tunnel of the proxy. */
  private connect(waiter: Waiter): void {
    const proxy = this.proxy
    if (proxy !== undefined) {
      let tunnel: Net.Socket
      try {
        tunnel = openTunnel(proxy, this.host, this.port, (result) => {
          if (this.tunnels.get(waiter) !== tunnel) return
          this.tunnels.delete(waiter)
          if (!(result instanceof Error)) return this.adopt(waiter, () => this.secureOver(result), result)
          waiter.fail("Network", result)
          // The slot is free again for the next in line.
          const next = this.waiting.shift()
          if (next !== undefined) this.connect(next)
        })
      } catch (cause) {
        // TLS settings for the proxy that `node:tls` refuses.
        return waiter.fail("Network", cause)
      }
      this.tunnels.set(waiter, tunnel)
      return
    }
    this.adopt(
      waiter,
      () => this.secure ? this.secureOver(undefined) : Net.connect({ host: this.host, port: this.port })
    )
  }

  /** Makes the socket `open` gives into a connection of this pool, for `waiter`; if it throws, `under` is destroyed. */
  private adopt(waiter: Waiter, open: () => Net.Socket, under?: Net.Socket): void {
    let socket: Net.Socket
    try {
      socket = open()
    } catch (cause) {
      under?.destroy()
      return waiter.fail("Network", cause)
    }
    socket.setNoDelay(true)
    socket.setKeepAlive(true, 1000)
    if (this.settings.idleTimeoutMillis > 0) socket.setTimeout(this.settings.idleTimeoutMillis)
    const connection = new Connection(this, socket)
    this.connections.add(connection)
    waiter.attach(connection)
  }

  /** TLS to the origin, over `tunnel` or a connection of its own, resuming the last session. */
  private secureOver(tunnel: Net.Socket | undefined): Tls.TLSSocket {
    const socket = Tls.connect({
      ...this.settings.tls,
      host: this.host,
      port: this.port,
      ...(tunnel === undefined ? {} : { socket: tunnel }),
      ALPNProtocols: ["http/1.1"],
      ...(this.session === undefined ? {} : { session: this.session }),
      ...(Net.isIP(this.host) === 0 ? { servername: this.host } : {})
    })
    socket.on("session", (session: Buffer) => this.session = session)
    return socket
  }
}
