/**
 * Captures everything an effect emits: every span (name, attributes, events, exit) and every log
 * line, rendered to text, so tests can search it for secrets.
 */
import { Cause, Exit, Layer, Logger, Tracer } from "effect"
import { inspect } from "node:util"

/** What was captured, as text. */
export interface Recording {
  readonly lines: Array<string>
}

const render = (value: unknown): string => {
  const parts = [inspect(value, { depth: 8 })]
  try {
    parts.push(JSON.stringify(value) ?? "")
  } catch {
    // not serialisable: inspect() above is enough
  }
  if (value !== null && typeof value === "object") parts.push(String(value))
  return parts.join("\n")
}

/** A tracer that records, plus a logger that records, both into `recording`. */
export const recorderLayer = (recording: Recording): Layer.Layer<never> => {
  let next = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      const spanId = `span${next++}`
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          recording.lines.push(`span ${name} ${render(Object.fromEntries(attributes))}`)
          if (Exit.isFailure(exit)) {
            recording.lines.push(
              `span ${name} failed ${Cause.pretty(exit.cause)}`,
              `span ${name} exit ${inspect(exit, { depth: Infinity })}`
            )
          }
        },
        attribute: (key, value) => void attributes.set(key, value),
        event: (eventName, _time, attrs) => void recording.lines.push(`event ${eventName} ${render(attrs)}`),
        addLinks: () => undefined
      }
      return span
    },
    context: (f) => f()
  })
  const logger = Logger.make(({ annotations, cause, message }) => {
    recording.lines.push(`log ${render(message)} ${render(Object.fromEntries(annotations))}`)
    if (!Cause.isEmpty(cause)) recording.lines.push(`log cause ${Cause.pretty(cause)}`)
  })
  return Layer.merge(Layer.setTracer(tracer), Logger.replace(Logger.defaultLogger, logger))
}

/** Renders a value the ways a user might print it. */
export const renderAll = (value: unknown): string => render(value)
