/**
 * Where the OpenAPI document of the ACS Identity API lives in this repository.
 *
 * @module
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { existsSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** Path of the spec relative to the repository root. */
export const relativePath = "spec/communication-identity.yaml"

/** The spec could not be found in any folder above this module. */
export class SpecNotFoundError extends Data.TaggedError("SpecNotFoundError")<{
  readonly searchedFrom: string
}> {
  override get message(): string {
    return `Could not find ${relativePath} in ${this.searchedFrom} or any folder above it`
  }
}

/**
 * Finds `spec/communication-identity.yaml` by walking up from `from` (default: the folder of this
 * module). The walk makes the same code work from `src/` under tsx/vitest and from `build/esm/`.
 */
export const locate = (from?: string): Effect.Effect<string, SpecNotFoundError> =>
  Effect.suspend(() => {
    const start = from ?? path.dirname(fileURLToPath(import.meta.url))
    let dir = path.resolve(start)
    for (;;) {
      const candidate = path.join(dir, relativePath)
      if (existsSync(candidate)) return Effect.succeed(candidate)
      const parent = path.dirname(dir)
      if (parent === dir) return Effect.fail(new SpecNotFoundError({ searchedFrom: start }))
      dir = parent
    }
  })
