/**
 * The SDK's `TelemetryRecorder` as the secret-hygiene tests use it: every recorded value is also
 * rendered with Node's deep `util.inspect`, the way a server would print it.
 */
import { inspect } from "node:util"
import { TelemetryRecorder } from "../../src/testing/index.js"

/** What was captured, as text. */
export interface Recording {
  readonly lines: Array<string>
}

/** Renders a value the ways a user might print it: deep `util.inspect`, JSON, `String`, Effect's format. */
export const renderAll = (value: unknown): string =>
  `${inspect(value, { depth: Infinity })}\n${TelemetryRecorder.renderings(value)}`

/** A tracer and a logger that record into `recording`. */
export const recorderLayer = (recording: Recording) => TelemetryRecorder.layer(recording.lines, renderAll)
