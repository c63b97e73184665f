/**
 * Records everything a program emits through Effect's tracer and logger (every span's name,
 * attributes and events, how it ended, and every log line with its annotations and cause) as text,
 * so a test can search it: for a secret that must not be there, or a request id that must.
 *
 * @example
 * import { CommunicationIdentityClient } from "@acs-identity/sdk"
 * import { InMemoryIdentity, TelemetryRecorder } from "@acs-identity/sdk/testing"
 * import { Effect } from "effect"
 *
 * const lines: Array<string> = []
 * const program = Effect.flatMap(CommunicationIdentityClient, (client) => client.createUser()).pipe(
 *   Effect.provide(InMemoryIdentity.layer()),
 *   Effect.provide(TelemetryRecorder.layer(lines))
 * )
 * // after running it: lines.some((line) => line.includes(myAccessKey)) must be false
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Tracer from "effect/Tracer"

/**
 * How recorded values become text. Node tests usually add `util.inspect(value, { depth: Infinity })`
 * to the default.
 *
 * @since 0.1.0
 * @category models
 */
export type Render = (value: unknown) => string

/**
 * The renderings a user's code most often prints, one per line: JSON (cycles left out, as Effect's
 * `Inspectable.stringifyCircular` does) and `String`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderings: Render = (value) => {
  let json: string
  try {
    json = Inspectable.stringifyCircular(value) ?? "undefined"
  } catch {
    json = "(not JSON: holds a BigInt or a throwing toJSON)"
  }
  let text: string
  try {
    text = String(value)
  } catch {
    // An object without a prototype or with a throwing `toString`: its JSON still shows it.
    text = Object.prototype.toString.call(value)
  }
  return `${json}\n${text}`
}

const exitLines = (name: string, exit: Exit.Exit<unknown, unknown>, render: Render): Array<string> =>
  Exit.isFailure(exit) ? [`span ${name} failed ${Cause.pretty(exit.cause)}`, `span ${name} exit ${render(exit)}`] : []

/**
 * A tracer that records each span when it ends, and a logger that records each line (replacing the
 * default logger), both appending to `lines`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (lines: Array<string>, render: Render = renderings): Layer.Layer<never> => {
  let spans = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      return {
        _tag: "Span",
        name,
        spanId: `span-${spans++}`,
        traceId: "recorded",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          lines.push(`span ${name} ${render(Object.fromEntries(attributes))}`, ...exitLines(name, exit, render))
        },
        attribute: (key, value) => void attributes.set(key, value),
        event: (eventName, _time, eventAttributes) => void lines.push(`event ${eventName} ${render(eventAttributes)}`),
        addLinks: () => undefined
      }
    },
    context: (f) => f()
  })
  const logger = Logger.make(({ annotations, cause, message }) => {
    lines.push(`log ${render(message)} ${render(Object.fromEntries(annotations))}`)
    if (!Cause.isEmpty(cause)) lines.push(`log cause ${Cause.pretty(cause)}`)
  })
  return Layer.merge(Layer.setTracer(tracer), Logger.replace(Logger.defaultLogger, logger))
}
