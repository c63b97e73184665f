/**
 * A tunnel through an HTTP proxy: `CONNECT host:port` sent to the proxy (over TLS to the proxy for
 * an `https:` one), and once it answers 2xx, the socket carries the origin's own TLS. Only the
 * proxy's answer head is read here; the proxy's credentials go out in `Proxy-Authorization` and
 * into no error.
 */
import * as Redacted from "effect/Redacted"
import * as Net from "node:net"
import * as Tls from "node:tls"
import type { TlsOptions } from "./pool.js"
import { maxHeadBytes } from "./responseParser.js"

/** An HTTP proxy that `https:` origins are tunnelled through. */
export interface Proxy {
  readonly host: string
  readonly port: number
  /** TLS to the proxy itself (an `https:` proxy), with these settings; `undefined`: plain TCP. */
  readonly tls: TlsOptions | undefined
  /** The `Proxy-Authorization` value, from the proxy URL's user and password. */
  readonly authorization: Redacted.Redacted<string> | undefined
  /** Whether an origin connects directly instead (`NO_PROXY`). */
  readonly bypass: (host: string, port: number) => boolean
}

/**
 * The origins a `NO_PROXY` list sends around the proxy. Entries are separated by commas or spaces:
 * `*` for every origin; a host name for itself; `.example.com`, `*.example.com` or `example.com`
 * for that domain and every name below it; each with an optional `:port`. An IP address (IPv6 bare
 * or in brackets, in any spelling) or a range such as `10.0.0.0/8` or `fd00::/8` matches an endpoint
 * given by its address (no name is resolved to match one), on every port; `[::1]:443` or
 * `127.0.0.1:443` on that port only.
 */
export const bypassOf = (
  noProxy: string | ReadonlyArray<string> | undefined
): (host: string, port: number) => boolean => {
  const lists = typeof noProxy === "string" ? [noProxy] : noProxy ?? []
  const entries = lists.flatMap((list) => list.toLowerCase().split(/[\s,]+/)).filter((entry) => entry !== "")
  if (entries.includes("*")) return () => true
  const addresses = new Net.BlockList()
  const rules = entries.flatMap((entry) => {
    // An IP address (IPv6 bare or in brackets) or range, for every port.
    const [, ip = "", bits] = /^\[?([\da-f.:]+)\]?(?:\/(\d{1,3}))?$/.exec(entry) ?? []
    const family = familyOf(ip)
    if (family !== undefined) {
      if (bits === undefined) addresses.addAddress(ip, family)
      else if (Number(bits) <= (family === "ipv4" ? 32 : 128)) addresses.addSubnet(ip, Number(bits), family)
      return []
    }
    const parsed = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry)
    if (parsed === null) return []
    const name = parsed[1]!.replace(/^\*?\./, "").replace(/^\[(.*)\]$/, "$1")
    return [{ name, port: parsed[2] === undefined ? undefined : Number(parsed[2]) }]
  })
  return (host, port) => {
    const name = host.toLowerCase()
    const family = familyOf(name)
    return (family !== undefined && addresses.check(name, family)) ||
      rules.some((rule) =>
        (rule.port === undefined || rule.port === port) && (name === rule.name || name.endsWith(`.${rule.name}`))
      )
  }
}

const familyOf = (address: string): "ipv4" | "ipv6" | undefined => {
  const family = Net.isIP(address)
  return family === 4 ? "ipv4" : family === 6 ? "ipv6" : undefined
}

/**
 * Opens a tunnel to `host:port` through `proxy`. `done` gets the socket once the proxy agreed, or
 * why there is none; the returned socket is the proxy connection, to destroy if the caller gives up.
 */
export const openTunnel = (
  proxy: Proxy,
  host: string,
  port: number,
  done: (result: Net.Socket | Error) => void
): Net.Socket => {
  const socket = proxy.tls === undefined
    ? Net.connect({ host: proxy.host, port: proxy.port })
    : Tls.connect({
      ...proxy.tls,
      host: proxy.host,
      port: proxy.port,
      ...(Net.isIP(proxy.host) === 0 ? { servername: proxy.host } : {})
    })
  socket.setNoDelay(true)
  const authority = `${Net.isIPv6(host) ? `[${host}]` : host}:${port}`
  const authorization = proxy.authorization === undefined
    ? ""
    : `proxy-authorization: ${Redacted.value(proxy.authorization)}\r\n`
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n${authorization}\r\n`)
  let head = Buffer.alloc(0)
  let finished = false
  const finish = (result: Net.Socket | Error): void => {
    if (finished) return
    finished = true
    socket.off("data", onData)
    socket.off("error", onError)
    socket.off("end", onClose)
    socket.off("close", onClose)
    if (result instanceof Error) socket.destroy()
    done(result)
  }
  const onData = (data: Buffer): void => {
    head = Buffer.concat([head, data])
    const end = head.indexOf("\r\n\r\n")
    if (end < 0) {
      if (head.length > maxHeadBytes) finish(new Error("the proxy's answer to CONNECT has a head over 16 KiB"))
      return
    }
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString("latin1"))?.[1]
    if (status === undefined) return finish(new Error("the proxy's answer to CONNECT is not HTTP/1.1"))
    if (!status.startsWith("2")) {
      return finish(
        new Error(
          `the proxy refused the tunnel (${status}${status === "407" ? ", proxy authentication required" : ""})`
        )
      )
    }
    // The origin speaks only after the client's TLS hello: anything more came from the proxy.
    if (end + 4 < head.length) return finish(new Error("the proxy sent bytes after its answer to CONNECT"))
    socket.pause()
    finish(socket)
  }
  const onClose = (): void => finish(new Error("the proxy closed the connection before the tunnel opened"))
  // Says that the proxy failed, not the endpoint (its certificate, say); Node's error is the cause.
  const onError = (cause: Error): void =>
    finish(new Error(`the connection to the proxy failed: ${cause.message}`, { cause }))
  socket.on("data", onData)
  socket.on("error", onError)
  socket.on("end", onClose)
  socket.on("close", onClose)
  return socket
}
