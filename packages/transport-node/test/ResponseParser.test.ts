import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { ResponseParser } from "../src/internal/responseParser.js"

/** Feeds `bytes` to a parser in pieces cut at `cuts`, then ends the connection if it is still open. */
const parse = (bytes: Buffer, cuts: ReadonlyArray<number>, limit = 1024 * 1024, close = false) => {
  const parser = new ResponseParser(limit)
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  let from = 0
  let progress: string = "more"
  for (const point of [...points, bytes.length]) {
    if (point <= from) continue
    progress = parser.push(bytes.subarray(from, point))
    from = point
    if (progress !== "more") break
  }
  if (progress === "more" && close) progress = parser.end()
  return { parser, progress }
}

const text = (body: Uint8Array) => Buffer.from(body).toString("latin1")

const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/)
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/)
const body = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
  maxLength: 3000
})

describe("ResponseParser", () => {
  it("reads any response, framed by length or in chunks, however the bytes are split", () =>
    fc.assert(fc.property(
      fc.record({
        status: fc.integer({ min: 200, max: 599 }).filter((status) => status !== 204 && status !== 304),
        headers: fc.uniqueArray(fc.tuple(headerName, headerValue), { selector: ([name]) => name, maxLength: 6 }),
        body,
        chunked: fc.boolean(),
        chunkSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        interim: fc.boolean(),
        close: fc.boolean(),
        cuts: fc.array(fc.nat(), { maxLength: 12 })
      }),
      ({ body, chunkSizes, chunked, close, cuts, headers, interim, status }) => {
        let head = interim ? "HTTP/1.1 100 Continue\r\nx-interim: yes\r\n\r\n" : ""
        head += `HTTP/1.1 ${status} Whatever It Says\r\n`
        for (const [name, value] of headers) head += `${name}:  ${value}\t\r\n`
        if (close) head += "Connection: close\r\n"
        let payload = ""
        if (chunked) {
          head += "Transfer-Encoding: chunked\r\n"
          let at = 0
          for (let i = 0; at < body.length; i++) {
            const size = chunkSizes[i % chunkSizes.length]!
            const piece = body.slice(at, at + size)
            payload += `${piece.length.toString(16)}${i % 2 === 0 ? ";ext=1" : ""}\r\n${piece}\r\n`
            at += size
          }
          payload += "0\r\nx-trailer: t\r\n\r\n"
        } else {
          head += `Content-Length: ${body.length}\r\n`
          payload = body
        }
        const { parser, progress } = parse(Buffer.from(`${head}\r\n${payload}`, "latin1"), cuts)
        assert.strictEqual(progress, "done")
        assert.strictEqual(parser.status, status)
        assert.strictEqual(text(parser.body()), body)
        for (const [name, value] of headers) assert.strictEqual(parser.headers[name], value)
        assert.isUndefined(parser.headers["x-interim"])
        assert.strictEqual(parser.reusable, !close)
        assert.strictEqual(parser.leftover, 0)
      }
    )))

  it("keeps at most the bound of a longer body, and the connection is not reused", () =>
    fc.assert(
      fc.property(
        body,
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (body, limit, cuts) => {
          const bytes = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`, "latin1")
          const { parser, progress } = parse(bytes, cuts, limit)
          assert.strictEqual(progress, "done")
          assert.strictEqual(text(parser.body()), body.slice(0, limit))
          assert.strictEqual(parser.reusable, body.length < limit)
        }
      )
    ))

  it("reads a body without a length until the connection ends, and never reuses it", () => {
    const { parser, progress } = parse(Buffer.from("HTTP/1.1 200 OK\r\n\r\nuntil the end"), [5, 25], 1024, true)
    assert.strictEqual(progress, "done")
    assert.strictEqual(text(parser.body()), "until the end")
    assert.isFalse(parser.reusable)
  })

  it("a 204, 304 or empty body needs no more bytes; HTTP/1.0 is not reused", () => {
    for (const status of [204, 304]) {
      const { parser, progress } = parse(Buffer.from(`HTTP/1.1 ${status} None\r\n\r\n`), [])
      assert.strictEqual(progress, "done")
      assert.strictEqual(parser.body().length, 0)
      assert.isTrue(parser.reusable)
    }
    const old = parse(Buffer.from("HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok"), [])
    assert.strictEqual(old.progress, "done")
    assert.isFalse(old.parser.reusable)
  })

  it("joins repeated headers, keeps Set-Cookie as a list, and reads the Keep-Alive timeout", () => {
    const { parser } = parse(
      Buffer.from(
        "HTTP/1.1 200 OK\r\nVia: a\r\nvia: b\r\nset-cookie: x=1\r\nSet-Cookie: y=2\r\nKeep-Alive: timeout=5, max=100\r\n" +
          "__proto__: not a prototype\r\ncontent-length: 0\r\n\r\n"
      ),
      []
    )
    assert.strictEqual(parser.headers["via"], "a, b")
    assert.deepStrictEqual(parser.headers["set-cookie"], ["x=1", "y=2"])
    assert.strictEqual(parser.keepAliveMillis, 5000)
    assert.strictEqual(parser.headers["__proto__"], "not a prototype")
    assert.strictEqual(Object.getPrototypeOf(parser.headers), null)
  })

  it("bytes after the response mark the connection unusable", () => {
    const { parser, progress } = parse(Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200"), [])
    assert.strictEqual(progress, "done")
    assert.strictEqual(text(parser.body()), "ok")
    assert.isFalse(parser.reusable)
    assert.strictEqual(parser.leftover, 12)
  })

  it("refuses what it cannot trust, with a reason", () => {
    const refused: ReadonlyArray<readonly [string, string]> = [
      ["HTTP/2 200 OK\r\n\r\n", "status line"],
      ["HTTP/1.1 20 OK\r\n\r\n", "status line"],
      ["ICY 200 OK\r\n\r\n", "status line"],
      ["HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line"],
      ["HTTP/1.1 200 OK\r\n folded: value\r\n\r\n", "header line"],
      ["HTTP/1.1 200 OK\r\nbad name: value\r\n\r\n", "header line"],
      ["HTTP/1.1 200 OK\r\nx-a: one\ntwo\r\n\r\n", "forbidden characters"],
      ["HTTP/1.1 200 OK\r\nx-a: nul\0\r\n\r\n", "forbidden characters"],
      ["HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok", "conflicting Content-Length"],
      ["HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n", "not a number"],
      ["HTTP/1.1 200 OK\r\ncontent-length: 1e3\r\n\r\n", "not a number"],
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n", "both"],
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", "chunk size"],
      ["HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nokX\r\n", "longer than its size"],
      ["HTTP/1.1 101 Switching Protocols\r\n\r\n", "switched protocols"],
      [`HTTP/1.1 200 OK\r\nx-huge: ${"h".repeat(20_000)}\r\n\r\n`, "larger than 16 KiB"],
      [`HTTP/1.1 200 OK\r\nx-huge: ${"h".repeat(20_000)}`, "larger than 16 KiB"],
      [`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${"0".repeat(5000)}`, "too long"]
    ]
    for (const [response, reason] of refused) {
      const { progress } = parse(Buffer.from(response, "latin1"), [7])
      assert.include(progress, reason, JSON.stringify(response.slice(0, 60)))
    }
  })

  it("a connection that ends early is refused", () => {
    assert.include(parse(Buffer.from("HTTP/1.1 200 OK\r\n"), [], 1024, true).progress, "before a response")
    assert.include(
      parse(Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nshort"), [], 1024, true).progress,
      "before the response ended"
    )
  })
})
