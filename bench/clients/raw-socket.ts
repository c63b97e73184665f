/**
 * The socket floor: the raw floor's request written as HTTP/1.1 straight onto keep-alive
 * `net.Socket`s (one request in flight per socket, as many sockets as calls in flight), and the
 * answer read by its `Content-Length`. It is the least any Node client can spend on this call,
 * and so the floor for a transport that speaks HTTP/1.1 itself, as `transport-node` does. It
 * handles only what the stub sends.
 */
import * as Net from "node:net"
import { floorClient, query, signedHeaders } from "./rawRequest.js"
import type { MakeClient } from "./types.js"

interface Pending {
  readonly resolve: (answer: { status: number; body: string }) => void
  readonly reject: (error: Error) => void
}

/** One keep-alive socket and the answer it is reading. */
class Connection {
  readonly socket: Net.Socket
  private buffered: Buffer = Buffer.alloc(0)
  pending: Pending | undefined
  constructor(host: string, port: number, private readonly release: (connection: Connection) => void) {
    this.socket = Net.connect({ host, port, noDelay: true })
    this.socket.on("data", (chunk) => this.read(chunk))
    this.socket.on("error", (error) => this.fail(error))
    this.socket.on("close", () => this.fail(new Error("the stub closed the connection")))
  }
  private read(chunk: Buffer) {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    const headEnd = this.buffered.indexOf("\r\n\r\n")
    if (headEnd < 0) return
    const head = this.buffered.toString("latin1", 0, headEnd)
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
    if (this.buffered.length < headEnd + 4 + length) return
    const body = this.buffered.toString("utf8", headEnd + 4, headEnd + 4 + length)
    this.buffered = Buffer.alloc(0)
    const pending = this.pending
    this.pending = undefined
    this.release(this)
    pending?.resolve({ status: Number(head.slice(9, 12)), body })
  }
  private fail(error: Error) {
    const pending = this.pending
    this.pending = undefined
    pending?.reject(error)
  }
}

/** The socket floor client. */
export const make: MakeClient = (endpoint) => {
  const url = new URL(endpoint)
  const idle: Array<Connection> = []
  const all = new Set<Connection>()
  const release = (connection: Connection) => idle.push(connection)
  const post = (path: string, payload: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      let connection = idle.pop()
      if (connection === undefined || connection.socket.destroyed) {
        connection = new Connection(url.hostname, Number(url.port), release)
        all.add(connection)
      }
      connection.pending = { resolve, reject }
      let head = `POST ${path}${query} HTTP/1.1\r\nhost: ${url.host}\r\n`
      for (const [name, value] of Object.entries(signedHeaders(url.host, path, payload))) {
        head += `${name}: ${value}\r\n`
      }
      connection.socket.write(`${head}\r\n${payload}`)
    })
  return Promise.resolve(floorClient(post, async () => {
    for (const connection of all) connection.socket.destroy()
  }))
}
