/**
 * The OpenAPI document of the ACS Identity API that the mocks serve. The package ships it as
 * `spec/communication-identity.yaml` (a copy of the repository's `spec/` made by the build) and
 * finds it through its own `package.json`, whatever the working folder.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

/**
 * Where the spec sits inside the package.
 *
 * @since 0.1.0
 * @category constants
 */
export const relativePath = "spec/communication-identity.yaml"

/**
 * The spec is missing from the installed package (a broken install or a hand-made copy of `build/`).
 *
 * @since 0.1.0
 * @category errors
 */
export class SpecNotFoundError extends Data.TaggedError("SpecNotFoundError")<{
  readonly cause: unknown
}> {
  /**
   * Names the specifier that could not be resolved.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return `The @acs-identity/mock-server package has no ${relativePath}; reinstall it`
  }
}

/**
 * The absolute path of the spec this package ships.
 *
 * @since 0.1.0
 * @category constructors
 */
export const locate: Effect.Effect<string, SpecNotFoundError> = Effect.try({
  try: () => {
    const manifest = createRequire(import.meta.url).resolve("@acs-identity/mock-server/package.json")
    const resolved = path.join(path.dirname(manifest), relativePath)
    if (!existsSync(resolved)) throw new Error(`${resolved} does not exist`)
    return resolved
  },
  catch: (cause) => new SpecNotFoundError({ cause })
})
