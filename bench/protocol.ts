/** Messages between the orchestrator and a client worker process (over the IPC channel). */

/** Orchestrator → worker. */
export type Command =
  | { readonly _tag: "Run"; readonly ops: number; readonly concurrency: number }
  | { readonly _tag: "Memory"; readonly ops: number; readonly concurrency: number }
  | { readonly _tag: "Exit" }

/** The outcome of a `Run`: wall time and the worker's CPU time over the run. */
export interface RunResult {
  readonly _tag: "RunResult"
  readonly ops: number
  readonly wallMs: number
  readonly cpuMicros: number
}

/** The outcome of a `Memory` run: `heapUsed` after full GCs, before and after. */
export interface MemoryResult {
  readonly _tag: "MemoryResult"
  readonly ops: number
  readonly heapBefore: number
  readonly heapAfter: number
}

/** Worker → orchestrator. */
export type Reply =
  | { readonly _tag: "Ready" }
  | RunResult
  | MemoryResult
  | { readonly _tag: "Failed"; readonly message: string }
