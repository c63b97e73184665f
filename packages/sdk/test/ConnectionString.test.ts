import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as fc from "fast-check"
import { parseConnectionString } from "../src/index.js"

const key = "bm90LWEtcmVhbC1hY3Mta2V5LTAxMjM0NTY3ODlhYmNkZWY="

describe("connection strings", () => {
  it.effect("parses the documented form, with keys in any case and order", () =>
    Effect.gen(function*() {
      for (
        const text of [
          `endpoint=https://contoso.communication.azure.com/;accesskey=${key}`,
          `Endpoint=https://contoso.communication.azure.com;AccessKey=${key}`,
          `accesskey=${key};endpoint=https://contoso.communication.azure.com/`,
          ` endpoint=https://contoso.communication.azure.com:443/ ; accesskey=${key} ;`,
          `endpoint=https://contoso.communication.azure.com/;accesskey=${key};extra=1`
        ]
      ) {
        const parsed = yield* parseConnectionString(Redacted.make(text))
        assert.strictEqual(parsed.endpoint.origin, "https://contoso.communication.azure.com", text)
        assert.strictEqual(Redacted.value(parsed.accessKey), key)
      }
      const local = yield* parseConnectionString(`endpoint=http://127.0.0.1:4010/;accesskey=${key}`)
      assert.strictEqual(local.endpoint.host, "127.0.0.1:4010")
    }))

  it.effect("rejects hostile and malformed strings with a clear message", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["", "empty"],
        [`accesskey=${key}`, "no endpoint"],
        ["endpoint=https://x.communication.azure.com/", "no accesskey"],
        [`endpoint=https://x.communication.azure.com/;endpoint=https://y/;accesskey=${key}`, "twice"],
        [`endpoint=ftp://x/;accesskey=${key}`, "endpoint is not"],
        [`endpoint=https://x.communication.azure.com/path;accesskey=${key}`, "endpoint is not"],
        [`endpoint=https://x.communication.azure.com/?q=1;accesskey=${key}`, "endpoint is not"],
        [`endpoint=https://user:pw@x/;accesskey=${key}`, "endpoint is not"],
        [`endpoint=https://x/;accesskey=${key};garbage`, "key=value"],
        ["endpoint=https://x/;accesskey=", "no accesskey"]
      ]
      for (const [text, expected] of cases) {
        const error = yield* Effect.flip(parseConnectionString(text))
        assert.strictEqual(error._tag, "InvalidConnectionStringError")
        assert.include(error.message, expected, text)
        assert.include(error.message, "endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>")
      }
    }))

  it.effect("never echoes any part of a rejected string (property)", () =>
    Effect.sync(() =>
      fc.assert(
        fc.property(fc.string({ minLength: 12 }), fc.string(), (secret, noise) => {
          const marker = `S3cr3t${secret.replace(/[;=]/g, "")}`
          for (
            const text of [
              `${noise};accesskey=${marker}`,
              `endpoint=${marker};accesskey=${marker}`,
              marker,
              `${marker}=1;${marker}=2;endpoint=https://x/;accesskey=${marker}`
            ]
          ) {
            const exit = Effect.runSyncExit(parseConnectionString(text))
            if (exit._tag === "Failure") {
              assert.notInclude(JSON.stringify(exit.cause), marker)
              assert.notInclude(String(exit.cause), marker)
            }
          }
        }),
        { numRuns: 300 }
      )
    ))
})
