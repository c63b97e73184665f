/**
 * The client under the real OpenTelemetry SDK (`@effect/opentelemetry` 0.64 with the in-memory span,
 * metric and log exporters), against the stateful mock on loopback with injected faults, through
 * `NodeTransport` wrapped to record what went on the wire.
 */
import { StatefulServer } from "@acs-identity/mock-server"
import {
  CommunicationIdentityClient,
  EntraCredential,
  Telemetry,
  Transport,
  withRequestPolicy
} from "@acs-identity/sdk"
import { IdentityStore } from "@acs-identity/sdk/testing"
import { NodeTransport } from "@acs-identity/transport-node"
import { NodeSdk } from "@effect/opentelemetry"
import { SpanStatusCode } from "@opentelemetry/api"
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs"
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics
} from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { inspect, promisify } from "node:util"
import { afterAll, assert, beforeAll, beforeEach, describe, it } from "vitest"

const spans = new InMemorySpanExporter()
const logs = new InMemoryLogRecordExporter()
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
const metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })

const Otel = NodeSdk.layer(() => ({
  resource: { serviceName: "token-service" },
  spanProcessor: new SimpleSpanProcessor(spans),
  metricReader,
  logRecordProcessor: new SimpleLogRecordProcessor(logs)
}))

/** Debug records go to the OpenTelemetry logger only, not to the console. */
const quietDebug = Layer.merge(Logger.minimumLogLevel(LogLevel.Debug), Logger.remove(Logger.defaultLogger))

const mock = ManagedRuntime.make(StatefulServer.StatefulMockServer.layer())

/** What went on the wire: each request's headers and each response's headers. */
const wire = { requests: [] as Array<Readonly<Record<string, string>>>, responses: [] as Array<Transport.HeaderRecord> }

const Recording = Layer.effect(
  Transport.Transport,
  Effect.map(Transport.Transport, (inner) => ({
    send: (request: Transport.TransportRequest) => {
      wire.requests.push(request.headers)
      return Effect.tap(inner.send(request), (response) => void wire.responses.push(response.headers))
    }
  }))
).pipe(Layer.provide(NodeTransport.layer))

let runtime: ManagedRuntime.ManagedRuntime<CommunicationIdentityClient, unknown>
let server: StatefulServer.StatefulMockServer["Type"]

beforeAll(async () => {
  server = await mock.runPromise(StatefulServer.StatefulMockServer)
  runtime = ManagedRuntime.make(
    CommunicationIdentityClient.fromConnectionString(server.connectionString, {
      policy: { baseDelay: "5 millis", maxDelay: "20 millis" }
    }).pipe(
      Layer.provide(Recording),
      Layer.provideMerge(Otel),
      Layer.provideMerge(quietDebug)
    )
  )
  await runtime.runPromise(Effect.void)
}, 60_000)

afterAll(async () => {
  await runtime.dispose()
  await mock.dispose()
})

beforeEach(async () => {
  spans.reset()
  logs.reset()
  wire.requests.length = 0
  wire.responses.length = 0
  await mock.runPromise(server.faults.clear)
})

/** Runs `f` with the client, its metrics labelled `test.case: name` (the registry is global). */
const run = <A, E>(name: string, f: (client: CommunicationIdentityClient["Type"]) => Effect.Effect<A, E>) =>
  runtime.runPromise(Effect.flatMap(CommunicationIdentityClient, f).pipe(Effect.tagMetrics("test.case", name)))

const fault = (rule: Parameters<typeof server.faults.add>[0][number]) => mock.runPromise(server.faults.add([rule]))

/** The exported metrics now, as `{ name, attributes, value }` points of the `test.case`. */
const metricPoints = async (testCase: string) => {
  metricExporter.reset()
  await metricReader.forceFlush()
  const exported: Array<ResourceMetrics> = metricExporter.getMetrics()
  return exported.flatMap((resource) =>
    resource.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        (metric.dataPoints as ReadonlyArray<{ attributes: Record<string, unknown>; value: unknown }>)
          .filter((point) => point.attributes["test.case"] === testCase)
          .map((point) => ({ name: metric.descriptor.name, attributes: point.attributes, value: point.value }))
      )
    )
  )
}

/** A histogram point's sample count. */
const countOf = (value: unknown): number => (value as { count: number }).count

const user = () => run("setup", (client) => client.createUser())

describe("under OpenTelemetry", () => {
  it("a call retried twice after 503 is one client span with two retry events, counted and logged", async () => {
    const created = await user()
    spans.reset()
    logs.reset()
    wire.requests.length = 0
    wire.responses.length = 0
    await fault({
      operation: "issueAccessToken",
      fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 },
      times: 2
    })

    const token = await run("retry-503", (client) => client.getToken(created, ["chat"]))
    assert.isString(Redacted.value(token.token))

    const finished = spans.getFinishedSpans()
    assert.deepStrictEqual(finished.map((span) => span.name), ["CommunicationIdentityClient.getToken"])
    const [span] = finished
    assert.strictEqual(span!.kind, 2 /* SpanKind.CLIENT */)
    assert.notStrictEqual(span!.status.code, SpanStatusCode.ERROR)
    const attributes = span!.attributes
    const port = new URL(server.url).port
    assert.strictEqual(wire.requests.length, 3)
    const clientRequestId = wire.requests[0]!["x-ms-client-request-id"]
    assert.isTrue(wire.requests.every((headers) => headers["x-ms-client-request-id"] === clientRequestId))
    assert.deepInclude(attributes, {
      "az.namespace": "Microsoft.Communication",
      "az.client_request_id": clientRequestId,
      "az.service_request_id": String(wire.responses[2]!["ms-cv"]),
      "acs.operation": "Identity_IssueAccessToken",
      "http.request.method": "POST",
      "server.address": "127.0.0.1",
      "server.port": Number(port),
      "http.response.status_code": 200,
      "http.request.resend_count": 2
    })
    assert.match(
      String(attributes["url.full"]),
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/identities/[^?]+/:issueAccessToken\\?api-version=`)
    )
    assert.notProperty(attributes, "error.type")
    assert.deepStrictEqual(
      span!.events.map((
        event
      ) => [
        event.name,
        event.attributes?.["http.request.resend_count"],
        event.attributes?.["error.type"],
        event.attributes?.["http.response.status_code"]
      ]),
      [["retry", 1, "503", 503], ["retry", 2, "503", 503]]
    )
    assert.isTrue(span!.events.every((event) => typeof event.attributes?.["acs.retry.delay_ms"] === "number"))

    // every attempt carried the span's W3C trace context
    const traceparent = `00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`
    assert.deepStrictEqual(wire.requests.map((headers) => headers.traceparent), [traceparent, traceparent, traceparent])

    const points = await metricPoints("retry-503")
    const requests = points.filter((point) => point.name === "http.client.request.duration")
    assert.deepStrictEqual(
      requests.map((point) => [point.attributes["http.response.status_code"], countOf(point.value)]).sort(),
      [["200", 1], ["503", 2]]
    )
    assert.deepInclude(requests[0]!.attributes, {
      "acs.operation": "Identity_IssueAccessToken",
      "http.request.method": "POST",
      "server.address": "127.0.0.1",
      "server.port": port
    })
    const retries = points.filter((point) => point.name === "acs.identity.retries")
    assert.deepStrictEqual(retries.map((point) => [point.attributes["error.type"], point.value]), [["503", 2]])
    const operations = points.filter((point) => point.name === "acs.identity.operation.duration")
    assert.deepStrictEqual(operations.map((point) => [point.attributes["error.type"], countOf(point.value)]), [[
      undefined,
      1
    ]])
    assert.deepStrictEqual(points.filter((point) => point.name === "acs.identity.throttled"), [])

    const records = logs.getFinishedLogRecords().filter((record) => record.body === "retrying an identity request")
    assert.deepStrictEqual(records.map((record) => record.attributes.attempt), [1, 2])
    for (const record of records) {
      assert.strictEqual(record.severityText, "DEBUG")
      assert.deepInclude(record.attributes, {
        operation: "CommunicationIdentityClient.getToken",
        requestId: clientRequestId,
        status: 503,
        spanId: span!.spanContext().spanId,
        traceId: span!.spanContext().traceId
      })
      assert.isString(record.attributes.serviceRequestId)
    }
  }, 30_000)

  it(
    "throttling that outlasts the retries: the span fails with error.type 429, both answers counted, a warning logged",
    async () => {
      const created = await user()
      spans.reset()
      logs.reset()
      await fault({ operation: "revokeAccessTokens", fault: { _tag: "Status", status: 429, retryAfterSeconds: 0 } })

      // the default policy: three retries, so four answers
      const error = await run("throttled", (client) => Effect.flip(client.revokeTokens(created)))
      assert.strictEqual(error._tag, "ThrottledError")

      const [span] = spans.getFinishedSpans()
      assert.strictEqual(span!.name, "CommunicationIdentityClient.revokeTokens")
      assert.strictEqual(span!.status.code, SpanStatusCode.ERROR)
      assert.strictEqual(span!.attributes["error.type"], "429")
      assert.strictEqual(span!.attributes["http.response.status_code"], 429)
      assert.strictEqual(span!.events.filter((event) => event.name === "retry").length, 3)

      const points = await metricPoints("throttled")
      assert.deepStrictEqual(
        points.filter((point) => point.name === "acs.identity.throttled").map((point) => point.value),
        [4]
      )
      assert.deepStrictEqual(
        points.filter((point) => point.name === "acs.identity.operation.duration").map((
          point
        ) => [point.attributes["error.type"], countOf(point.value)]),
        [["429", 1]]
      )
      const warnings = logs.getFinishedLogRecords().filter((record) => record.severityText === "WARN")
      assert.strictEqual(warnings.length, 3)
      assert.strictEqual(warnings[0]!.body, "the service throttled an identity request; retrying")
      assert.deepInclude(warnings[0]!.attributes, {
        operation: "CommunicationIdentityClient.revokeTokens",
        status: 429
      })
    },
    30_000
  )

  it("a stalled answer: error.type is the transport's reason, on the span and the request metric", async () => {
    await fault({ operation: "createIdentity", fault: { _tag: "Latency", millis: 2_000 }, times: 1 })
    const error = await run("timeout", (client) =>
      Effect.flip(client.createUser()).pipe(
        withRequestPolicy({ maxRetries: 0, attemptTimeout: "200 millis" })
      ))
    assert.strictEqual(error._tag, "TransportError")
    const [span] = spans.getFinishedSpans()
    assert.strictEqual(span!.attributes["error.type"], "Timeout")
    assert.notProperty(span!.attributes, "http.response.status_code")
    const points = await metricPoints("timeout")
    assert.deepStrictEqual(
      points.filter((point) => point.name === "http.client.request.duration").map((
        point
      ) => [point.attributes["error.type"], countOf(point.value)]),
      [["Timeout", 1]]
    )
    assert.deepStrictEqual(
      points.filter((point) => point.name === "http.client.active_requests").map((point) => point.value),
      [0]
    )
  }, 30_000)

  it("a wrong argument: the span fails with error.type InvalidArgumentError and nothing is sent or measured", async () => {
    const error = await run("invalid", (client) => Effect.flip(client.getToken({ communicationUserId: "" }, ["chat"])))
    assert.strictEqual(error._tag, "InvalidArgumentError")
    const [span] = spans.getFinishedSpans()
    assert.strictEqual(span!.attributes["error.type"], "InvalidArgumentError")
    assert.strictEqual(wire.requests.length, 0)
    const points = await metricPoints("invalid")
    assert.deepStrictEqual(points.map((point) => point.name), [])
  })

  it("withTracePropagation(false) keeps the span and sends no traceparent", async () => {
    await runtime.runPromise(
      Effect.flatMap(CommunicationIdentityClient, (client) => client.createUser()).pipe(
        Telemetry.withTracePropagation(false)
      )
    )
    assert.strictEqual(spans.getFinishedSpans().length, 1)
    assert.strictEqual(wire.requests.length, 1)
    assert.notProperty(wire.requests[0]!, "traceparent")
  })

  it("no key, signature or token in any exported span, metric or log record", async () => {
    const created = await run("hygiene", (client) => client.createUserAndToken(["chat", "voip"]))
    await fault({
      operation: "issueAccessToken",
      fault: { _tag: "Status", status: 503, retryAfterSeconds: 0 },
      times: 1
    })
    const tokens = [Redacted.value(created.token)]
    await run("hygiene", (client) =>
      Effect.gen(function*() {
        tokens.push(Redacted.value((yield* client.getToken(created.user, ["chat"])).token))
        const teams = yield* client.getTokenForTeamsUser({
          teamsUserAadToken: IdentityStore.exampleTeamsUser.token,
          clientId: IdentityStore.exampleTeamsUser.appId,
          userObjectId: IdentityStore.exampleTeamsUser.userId
        })
        tokens.push(Redacted.value(teams.token))
        yield* Effect.flip(client.getToken({ communicationUserId: "8:acs:missing_user" }, ["chat"]))
        yield* client.deleteUser(created.user)
      }))
    const accessKey = new URLSearchParams(Redacted.value(server.connectionString).replaceAll(";", "&")).get(
      "accesskey"
    )!
    const signatures = wire.requests.flatMap((headers) =>
      headers.authorization === undefined ? [] : [headers.authorization.split("Signature=")[1]!]
    )
    assert.isAbove(signatures.length, 3)
    const secrets = [accessKey, ...signatures, ...tokens, IdentityStore.exampleTeamsUser.token]

    await metricReader.forceFlush()
    const exported = [
      inspect(
        spans.getFinishedSpans().map((span) => ({
          name: span.name,
          attributes: span.attributes,
          events: span.events,
          status: span.status
        })),
        { depth: Infinity }
      ),
      inspect(logs.getFinishedLogRecords().map((record) => ({ body: record.body, attributes: record.attributes })), {
        depth: Infinity
      }),
      JSON.stringify(metricExporter.getMetrics())
    ].join("\n")
    assert.include(exported, "az.client_request_id")
    assert.deepStrictEqual(secrets.filter((secret) => exported.includes(secret)), [])
  }, 30_000)

  it("an Entra token refresh is a debug log record correlated to the call, without the token", async () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
    const jwt = `${part({ alg: "none", typ: "JWT" })}.${
      part({ aud: "https://communication.azure.com", exp: Math.floor(Date.now() / 1000) + 3600 })
    }.sig`
    // its own exporters: disposing this runtime shuts them down
    const spans = new InMemorySpanExporter()
    const logs = new InMemoryLogRecordExporter()
    const entra = ManagedRuntime.make(
      CommunicationIdentityClient.layer({ endpoint: server.url }).pipe(
        Layer.provide(EntraCredential.layer(Effect.succeed(jwt))),
        Layer.provide(Recording),
        Layer.provideMerge(NodeSdk.layer(() => ({
          spanProcessor: new SimpleSpanProcessor(spans),
          logRecordProcessor: new SimpleLogRecordProcessor(logs)
        }))),
        Layer.provideMerge(quietDebug)
      )
    )
    await entra.runPromise(
      Effect.flatMap(CommunicationIdentityClient, (client) => Effect.zip(client.createUser(), client.createUser()))
    )
    const refreshes = logs.getFinishedLogRecords().filter((record) => record.body === "refreshed the Entra token")
    assert.strictEqual(refreshes.length, 1)
    assert.strictEqual(refreshes[0]!.attributes.reason, "none held")
    assert.match(String(refreshes[0]!.attributes.expiresAt), /^\d{4}-\d\d-\d\dT/)
    const [first] = spans.getFinishedSpans()
    assert.strictEqual(refreshes[0]!.attributes.traceId, first!.spanContext().traceId)
    const exported = inspect(
      [
        spans.getFinishedSpans().map((span) => span.attributes),
        logs.getFinishedLogRecords().map((record) => record.attributes)
      ],
      { depth: Infinity }
    )
    assert.notInclude(exported, jwt)
    assert.notInclude(exported, jwt.split(".")[1]!)
    await entra.dispose()
  }, 30_000)
})

describe("examples/opentelemetry.ts (npm run example:otel)", () => {
  it("prints the lifecycle's spans, the retry's event and log record, and the metrics", async () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url))
    const env = { ...process.env }
    delete env.COMMUNICATION_CONNECTION_STRING
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "examples/opentelemetry.ts"],
      { cwd: root, env, timeout: 60_000 }
    )
    for (const method of ["createUser", "getToken", "revokeTokens", "deleteUser"]) {
      assert.include(stdout, `name: 'CommunicationIdentityClient.${method}'`)
    }
    assert.match(stdout, /name: 'retry',\s+attributes: \{[^}]*'error.type': '503'/)
    assert.include(stdout, "body: 'retrying an identity request'")
    for (const metric of ["http.client.request.duration", "acs.identity.operation.duration", "acs.identity.retries"]) {
      assert.include(stdout, `name: '${metric}'`)
    }
    assert.notInclude(stdout, "http.server")
  }, 90_000)
})
