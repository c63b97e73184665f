/**
 * An incremental HTTP/1.1 response parser: the head (status line and headers, at most
 * `maxHeadBytes`), then the body framed by `Content-Length`, chunked transfer coding or the end of
 * the connection, read into memory up to a bound. It is fed whatever bytes the socket delivers, split
 * anywhere, and tells when the response is complete, whether the connection may carry another, and
 * why it refuses a response it cannot trust (a malformed head, conflicting lengths, a bad chunk).
 */
import { forbiddenInValue, token } from "./httpSyntax.js"

/** The most bytes a response head may take (as `node:http`'s default). */
export const maxHeadBytes = 16 * 1024

/** The most bytes of a chunk-size line or a trailer line. */
const maxLineBytes = 4 * 1024

/** Where the parser is. */
const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkEnd,
  Trailers,
  UntilClose,
  Done
}

const headEnd = Buffer.from("\r\n\r\n")
const lineEnd = Buffer.from("\r\n")
const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/
const decimal = /^\d{1,15}$/
const hex = /^[0-9a-fA-F]{1,13}$/

/** What one `push` or `end` found. */
export type Progress = "more" | "done"

/**
 * Parses one response. After `done`, `status`, `headers` and `body()` hold it, `reusable` says
 * whether the connection may carry another request, and `leftover` counts bytes past its end.
 */
export class ResponseParser {
  status = 0
  readonly headers: Record<string, string | Array<string>> = Object.create(null)
  /** The response was complete, of HTTP/1.1, did not ask to close, and nothing followed it. */
  reusable = false
  /** Bytes the peer sent after the response (the connection must not be reused). */
  leftover = 0
  /** The server's idle limit for the connection (`Keep-Alive: timeout=`), in milliseconds. */
  keepAliveMillis: number | undefined

  private state = State.Head
  private pending: Buffer | undefined
  private remaining = 0
  private keepAlive = false
  private readonly chunks: Array<Buffer> = []
  private length = 0
  private truncated = false

  /** `limit`: keep at most this many body bytes; the response is complete once they have come. */
  constructor(private readonly limit: number) {}

  /** Feeds bytes; a string is the reason the response is refused. */
  push(data: Buffer): Progress | string {
    if (this.state === State.Done) {
      this.leftover += data.length
      this.reusable = false
      return "done"
    }
    if (this.pending !== undefined) {
      data = Buffer.concat([this.pending, data])
      this.pending = undefined
    }
    let at = 0
    while (at < data.length) {
      // `as State`: the methods called in the loop move the state on, which the compiler cannot see.
      switch (this.state as State) {
        case State.Head: {
          const end = this.until(data, at, headEnd, maxHeadBytes, "the response head is larger than 16 KiB")
          if (typeof end === "string") return end
          const refused = this.head(data.toString("latin1", at, end))
          if (refused !== undefined) return refused
          at = end + 4
          break
        }
        case State.Length:
        case State.ChunkData: {
          const take = Math.min(this.remaining, data.length - at)
          this.keep(data, at, at + take)
          this.remaining -= take
          at += take
          if (this.remaining > 0) break
          if (this.state === State.Length) this.finish()
          else this.state = State.ChunkEnd
          break
        }
        case State.UntilClose:
          this.keep(data, at, data.length)
          at = data.length
          break
        case State.ChunkSize:
        case State.ChunkEnd:
        case State.Trailers: {
          const end = this.until(data, at, lineEnd, maxLineBytes, "a chunk line is too long")
          if (typeof end === "string") return end
          const refused = this.chunkLine(data.toString("latin1", at, end))
          if (refused !== undefined) return refused
          at = end + 2
          break
        }
        case State.Done:
          this.leftover += data.length - at
          this.reusable = false
          return "done"
      }
      if (this.truncated) {
        this.state = State.Done
        this.reusable = false
        return "done"
      }
    }
    return (this.state as State) === State.Done ? "done" : "more"
  }

  /** The connection ended: complete when the body runs to the end, refused otherwise. */
  end(): Progress | string {
    if (this.state === State.Done) return "done"
    if (this.state === State.UntilClose) {
      this.state = State.Done
      return "done"
    }
    return this.state === State.Head
      ? "the connection closed before a response"
      : "the connection closed before the response ended"
  }

  /** The body read (at most the bound). */
  body(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!
    return Buffer.concat(this.chunks, this.length)
  }

  /**
   * Where `terminator` starts in `data` from `at`, within `max` bytes; "more" (the bytes kept for the
   * next push) when it has not come yet, `tooLong` when it is too far.
   */
  private until(data: Buffer, at: number, terminator: Buffer, max: number, tooLong: string): number | string {
    const end = data.indexOf(terminator, at)
    if (end >= 0) return end - at > max ? tooLong : end
    if (data.length - at > max) return tooLong
    this.pending = data.subarray(at)
    return "more"
  }

  private keep(data: Buffer, from: number, to: number): void {
    if (from === to) return
    const room = this.limit - this.length
    const end = Math.min(to, from + room)
    this.chunks.push(data.subarray(from, end))
    this.length += end - from
    if (this.length >= this.limit) this.truncated = true
  }

  private finish(): void {
    this.state = State.Done
    this.reusable = this.keepAlive
  }

  /** Reads the status line and headers, and chooses how the body is framed. */
  private head(text: string): string | undefined {
    const lines = text.split("\r\n")
    const status = statusLine.exec(lines[0]!)
    if (status === null) return "the response's status line is malformed"
    const code = Number(status[2])
    let contentLength: string | undefined
    let chunked = false
    let transferEncoding = false
    let close = status[1] === "0"
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!
      const colon = line.indexOf(":")
      const name = colon > 0 ? line.slice(0, colon) : ""
      if (!token.test(name)) return "a response header line is malformed"
      const value = trim(line, colon + 1)
      if (forbiddenInValue.test(value)) return "a response header value has forbidden characters"
      const key = name.toLowerCase()
      const seen = this.headers[key]
      if (seen === undefined) this.headers[key] = key === "set-cookie" ? [value] : value
      else if (Array.isArray(seen)) seen.push(value)
      else if (key === "content-length") {
        if (seen !== value) return "the response has conflicting Content-Length headers"
      } else this.headers[key] = `${seen}, ${value}`
      if (key === "content-length") contentLength = value
      else if (key === "transfer-encoding") {
        transferEncoding = true
        chunked = value.toLowerCase().split(",").at(-1)!.trim() === "chunked"
      } else if (key === "connection") {
        if (value.toLowerCase().split(",").some((part) => part.trim() === "close")) close = true
      } else if (key === "keep-alive") {
        const timeout = /(?:^|[\s,])timeout=(\d+)/i.exec(value)
        if (timeout !== null) this.keepAliveMillis = Number(timeout[1]) * 1000
      }
    }
    if (code < 200) {
      // An interim response (100 Continue, 103 Early Hints): the real one follows.
      if (code === 101) return "the server switched protocols"
      for (const key in this.headers) delete this.headers[key]
      this.keepAliveMillis = undefined
      return undefined
    }
    this.status = code
    if (transferEncoding && contentLength !== undefined) {
      return "the response has both Transfer-Encoding and Content-Length"
    }
    this.keepAlive = !close
    if (code === 204 || code === 304) {
      this.finish()
    } else if (transferEncoding) {
      this.state = chunked ? State.ChunkSize : State.UntilClose
    } else if (contentLength !== undefined) {
      if (!decimal.test(contentLength)) return "the response's Content-Length is not a number"
      this.remaining = Number(contentLength)
      if (this.remaining === 0) this.finish()
      else this.state = State.Length
    } else {
      this.state = State.UntilClose
    }
    return undefined
  }

  /** A chunk-size line, the end of a chunk's data, or a trailer line. */
  private chunkLine(line: string): string | undefined {
    switch (this.state) {
      case State.ChunkEnd:
        if (line !== "") return "a chunk is longer than its size"
        this.state = State.ChunkSize
        return undefined
      case State.Trailers:
        if (line === "") this.finish()
        return undefined
      default: {
        const semicolon = line.indexOf(";")
        const size = trim(semicolon < 0 ? line : line.slice(0, semicolon), 0)
        if (!hex.test(size)) return "a chunk size is malformed"
        this.remaining = parseInt(size, 16)
        this.state = this.remaining === 0 ? State.Trailers : State.ChunkData
        return undefined
      }
    }
  }
}

/** `text` from `from`, without leading and trailing spaces and tabs (HTTP's optional whitespace). */
const trim = (text: string, from: number): string => {
  let start = from
  let end = text.length
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--
  return text.slice(start, end)
}
