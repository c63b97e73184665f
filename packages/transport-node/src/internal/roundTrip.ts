/**
 * One round trip, as the SDK's `Transport` contract describes it: the request written in one go on
 * a pooled connection, the response's head and body parsed as they arrive (at most the body bound),
 * all under one timer and inside one `Effect.async`, whose cleanup destroys the connection when the
 * fiber is interrupted. Nothing is built per call but the request's bytes, the parser and this
 * exchange.
 *
 * A pooled connection the server closed while it sat idle (its close still on the way, or a process
 * thawed after the server hung up) fails the next request written on it before any byte of an
 * answer. That request is sent once more, at once, on a new connection, within the same budget,
 * rather than failing the attempt into the client's backoff.
 */
import { Transport, type TransportError } from "@acs-identity/sdk"
import * as Effect from "effect/Effect"
import { type Carried, type Connection, type Pool, type Waiter } from "./pool.js"
import { encodeRequest } from "./requestHead.js"
import { ResponseParser } from "./responseParser.js"

const maxTimerMillis = 2_147_483_647

type Resume = (effect: Effect.Effect<Transport.TransportResponse, TransportError>) => void

/** An exchange in flight: waiting for a connection, then carried by one until it settles. */
class Exchange implements Carried, Waiter {
  private connection: Connection | undefined
  private settled = false
  /** Some of the answer has arrived. */
  private answered = false
  /** The request was sent again on a new connection. */
  private resent = false
  private readonly parser: ResponseParser
  readonly timer: ReturnType<typeof setTimeout>

  constructor(
    private readonly pool: Pool,
    private readonly bytes: Buffer,
    limit: number,
    timeoutMillis: number,
    private readonly resume: Resume
  ) {
    this.parser = new ResponseParser(limit)
    // Beyond 2^31 - 1 ms, Node would fire the timer at once.
    this.timer = setTimeout(() => this.fail("Timeout", undefined), Math.min(timeoutMillis, maxTimerMillis))
  }

  attach(connection: Connection): void {
    if (this.settled) return connection.release(true, undefined)
    this.connection = connection
    connection.carry(this, this.bytes)
  }

  onData(data: Buffer): void {
    this.answered = true
    this.progress(this.parser.push(data))
  }

  onEnd(): void {
    if (!this.resendOnNewConnection()) this.progress(this.parser.end())
  }

  onError(cause: Error): void {
    if (!this.resendOnNewConnection()) this.fail("Network", cause)
  }

  onIdle(cause: Error): void {
    this.fail("Network", cause)
  }

  /**
   * Sends the request again on a new connection when the one it went out on had carried an exchange
   * before and closed without a byte of answer: once, and never after an answer began.
   */
  private resendOnNewConnection(): boolean {
    const connection = this.connection
    if (this.settled || this.answered || this.resent || connection === undefined || !connection.reused) return false
    this.resent = true
    this.connection = undefined
    this.pool.replace(connection, this)
    return true
  }

  fail(reason: "Network" | "Timeout" | "Encode", cause: unknown): void {
    if (!this.settle()) return
    this.drop()
    this.resume(Effect.fail(Transport.failure(reason, cause)))
  }

  /** The fiber was interrupted. */
  abort(): void {
    if (this.settle()) this.drop()
  }

  /** Gives up the connection (destroyed: its state is unknown) or the place in the queue. */
  private drop(): void {
    if (this.connection === undefined) this.pool.cancel(this)
    else this.connection.destroy()
  }

  private progress(progress: string): void {
    if (progress === "more") return
    if (progress !== "done") return this.fail("Network", new Error(progress))
    if (!this.settle()) return
    const parser = this.parser
    this.connection?.release(parser.reusable, parser.keepAliveMillis)
    this.resume(Effect.succeed({ status: parser.status, headers: parser.headers, body: parser.body() }))
  }

  private settle(): boolean {
    if (this.settled) return false
    this.settled = true
    clearTimeout(this.timer)
    return true
  }
}

/** Runs one round trip through `pool`. */
export const roundTrip = (
  pool: Pool,
  request: Transport.TransportRequest
): Effect.Effect<Transport.TransportResponse, TransportError> =>
  Effect.async((resume) => {
    const bytes = encodeRequest(request, !pool.settings.keepAlive)
    if (!Buffer.isBuffer(bytes)) return resume(Effect.fail(Transport.failure(bytes.reason, new Error(bytes.message))))
    const exchange = new Exchange(pool, bytes, request.maxBodyBytes + 1, request.timeoutMillis, resume)
    pool.acquire(exchange)
    return Effect.sync(() => exchange.abort())
  })
