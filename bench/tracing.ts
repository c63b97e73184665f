/**
 * The OpenTelemetry SDK installed as an application would (`@effect/opentelemetry`'s
 * `NodeSdk.layer`, a `BatchSpanProcessor`), exporting to nowhere: spans are really made, batched and
 * handed to an exporter, so what the bench measures is what tracing costs a user, minus the network.
 */
import { NodeSdk } from "@effect/opentelemetry"
import { ExportResultCode } from "@opentelemetry/core"
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base"

/** An exporter that accepts every batch and sends it nowhere. */
const discard: SpanExporter = {
  export: (_spans: Array<ReadableSpan>, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve()
}

/** The OpenTelemetry tracer layer. */
export const openTelemetry = NodeSdk.layer(() => ({
  resource: { serviceName: "bench" },
  spanProcessor: new BatchSpanProcessor(discard)
}))
