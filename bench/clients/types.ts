/** What a benchmarked client offers the harness: one `getToken` call and a way to shut down. */
export interface BenchClient {
  /** Issues one token for the bench user and resolves with it. */
  readonly getToken: () => Promise<unknown>
  /** Creates a user and issues its token (used by the cold-start and bundle programs). */
  readonly createUserAndToken: () => Promise<unknown>
  /**
   * Runs `ops` calls with `concurrency` in flight, when the client has a faster way than `getToken`
   * in a promise loop (an Effect program driving the SDK from inside the runtime).
   */
  readonly drive?: (ops: number, concurrency: number) => Promise<void>
  /** Releases sockets and runtimes. */
  readonly close: () => Promise<void>
}

/** Builds a client for an endpoint such as `http://127.0.0.1:PORT`. */
export type MakeClient = (endpoint: string) => Promise<BenchClient>
