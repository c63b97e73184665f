/**
 * OpenTelemetry quickstart: the identity lifecycle with the OpenTelemetry SDK installed through
 * `@effect/opentelemetry`, printing every span, log record and metric with the console exporters.
 *
 * With `COMMUNICATION_CONNECTION_STRING` set it talks to that resource; without it, it starts the
 * embedded stateful mock told to answer the first token request with a 503, so the output shows a
 * retry: one `CommunicationIdentityClient.getToken` span with a `retry` event, a debug log record
 * correlated to it, and `acs.identity.retries` at 1.
 *
 *   npm run example:otel
 *
 * In production, swap the console exporters for OTLP ones (`@opentelemetry/exporter-trace-otlp-http`
 * and friends, or `@effect/opentelemetry/Otlp` without the OpenTelemetry SDK).
 */
import { StatefulServer } from "@acs-identity/mock-server"
import { CommunicationIdentityClient } from "@acs-identity/sdk"
import { NodeTransport } from "@acs-identity/transport-node"
import { NodeSdk } from "@effect/opentelemetry"
import { NodeRuntime } from "@effect/platform-node"
import { ConsoleLogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs"
import { ConsoleMetricExporter, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import { BatchSpanProcessor, ConsoleSpanExporter } from "@opentelemetry/sdk-trace-base"
import { Config, Console, Effect, Layer, Logger, LogLevel, Option } from "effect"

/** Spans, metrics and logs to the console; metrics are exported when the program ends. */
const Observability = NodeSdk.layer(() => ({
  resource: { serviceName: "token-service", serviceVersion: "1.0.0" },
  spanProcessor: new BatchSpanProcessor(new ConsoleSpanExporter()),
  metricReader: new PeriodicExportingMetricReader({
    exporter: new ConsoleMetricExporter(),
    exportIntervalMillis: 60_000
  }),
  logRecordProcessor: new SimpleLogRecordProcessor(new ConsoleLogRecordExporter())
}))

const program = Effect.gen(function*() {
  const client = yield* CommunicationIdentityClient
  const user = yield* client.createUser()
  const token = yield* client.getToken(user, ["chat"], { expiresInMinutes: 60 })
  yield* Console.log(`issued a token expiring ${token.expiresOn.toISOString()} for ${user.communicationUserId}`)
  yield* client.revokeTokens(user)
  yield* client.deleteUser(user)
}).pipe(Effect.withSpan("issue-a-token-for-a-new-user"))

/** The real resource when configured, otherwise the embedded stateful mock with one 503 to retry. */
const ClientLive = Layer.unwrapScoped(
  Effect.gen(function*() {
    const configured = yield* Config.option(Config.redacted("COMMUNICATION_CONNECTION_STRING"))
    if (Option.isSome(configured)) return CommunicationIdentityClient.fromConnectionString(configured.value)
    const mock = yield* StatefulServer.make({
      faults: [{
        operation: "issueAccessToken",
        fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 },
        times: 1
      }]
    })
    yield* Console.log(`COMMUNICATION_CONNECTION_STRING is not set: using the embedded mock at ${mock.url}`)
    return CommunicationIdentityClient.fromConnectionString(mock.connectionString, {
      policy: { baseDelay: "50 millis" }
    })
  })
).pipe(Layer.provide(NodeTransport.layer))

program.pipe(
  Effect.provide(ClientLive),
  // the retry record is at debug level; Effect's own console logger is left out, the OpenTelemetry one prints
  Effect.provide(Layer.merge(Logger.minimumLogLevel(LogLevel.Debug), Logger.remove(Logger.defaultLogger))),
  Effect.provide(Observability),
  Effect.tapErrorCause(Effect.logError),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
