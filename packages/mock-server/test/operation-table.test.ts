/**
 * The SDK's operation table and the spec describe the same service: every operation of one is in the
 * other with the same method and path, the exchanges use the user's bearer scheme, x-preview-only
 * matches the table's versions, and the spec's api-version list is the SDK's.
 */
import { Spec } from "@acs-identity/mock-server"
import { ApiVersion } from "@acs-identity/sdk"
import { Operations } from "@acs-identity/sdk/testing"
import { assert, describe, it } from "@effect/vitest"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { Effect } from "effect"

const specOperations = Effect.flatMap(Spec.locate, (path) => Effect.promise(() => getHttpOperationsFromSpec(path)))

describe("the operation table and the spec", () => {
  it.effect("name the same operations, methods and paths", () =>
    Effect.gen(function*() {
      const inSpec = (yield* specOperations).map((o) => `${o.iid} ${o.method.toUpperCase()} ${o.path}`).sort()
      const inTable = Operations.operationIds.map((id) => {
        const d = Operations.operations[id]
        return `${d.operationId} ${d.method} ${d.path}`
      }).sort()
      assert.deepStrictEqual(inTable, inSpec)
    }))

  it.effect("agree on authentication, preview-only operations and api-versions", () =>
    Effect.gen(function*() {
      const all = yield* specOperations
      for (const id of Operations.operationIds) {
        const definition = Operations.operations[id]
        const operation = all.find((o) => o.iid === definition.operationId)!
        const schemes = (operation.security ?? []).flat().map((scheme) => scheme.key)
        assert.deepStrictEqual(
          schemes,
          definition.authentication === "user" ? ["entraUser"] : ["hmac", "entra"],
          definition.operationId
        )
        const previewOnly = definition.versions.length === 1 && definition.versions[0] === ApiVersion.previewApiVersion
        assert.strictEqual(
          (operation as { readonly extensions?: Record<string, unknown> }).extensions?.["x-preview-only"] === true,
          previewOnly,
          `${definition.operationId} x-preview-only`
        )
        const version = operation.request?.query?.find((q) => q.name === "api-version")
        assert.deepStrictEqual(version?.schema?.enum, [...ApiVersion.ApiVersion.literals], definition.operationId)
      }
    }))
})
