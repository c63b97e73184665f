/** Prism 5 in proxy mode with `errors: true`: checks every upstream response against the spec. */
import { Spec } from "@acs-identity/mock-server"
import { createLogger } from "@stoplight/prism-core"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { createServer } from "@stoplight/prism-http-server"
import { Effect } from "effect"

/** Starts a validating Prism proxy in front of `upstream` for the lifetime of the scope. */
export const start = (upstream: string) =>
  Effect.gen(function*() {
    const operations = yield* Effect.promise(() => Effect.runPromise(Spec.locate).then(getHttpOperationsFromSpec))
    const server = createServer(operations, {
      cors: false,
      components: { logger: createLogger("conformance-proxy", { level: "silent" }) },
      config: {
        isProxy: true,
        upstream: new URL(upstream),
        errors: true,
        validateRequest: true,
        validateResponse: true,
        checkSecurity: true,
        upstreamProxy: undefined,
        mock: { dynamic: false, ignoreExamples: false }
      }
    })
    return yield* Effect.acquireRelease(
      Effect.promise(() => server.listen(0, "127.0.0.1")),
      () => Effect.promise(() => server.close().catch(() => undefined))
    )
  })
