import { Spec } from "@acs-identity/mock-server"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const packageRoot = fileURLToPath(new URL("..", import.meta.url))
const repositorySpec = fileURLToPath(new URL("../../../spec/communication-identity.yaml", import.meta.url))

describe("Spec", () => {
  it.effect("locates the copy the package ships, not the repository's", () =>
    Effect.gen(function*() {
      const located = yield* Spec.locate
      assert.strictEqual(located, path.join(packageRoot, "spec", "communication-identity.yaml"))
    }))

  it.effect("the shipped copy is the repository's spec byte for byte (run `npm run build` when this fails)", () =>
    Effect.gen(function*() {
      const located = yield* Spec.locate
      assert.isTrue(readFileSync(located).equals(readFileSync(repositorySpec)), `${located} differs from spec/`)
    }))
})
