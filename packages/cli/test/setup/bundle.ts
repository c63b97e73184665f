/**
 * Global setup: bundles the executable once per test run, exactly as the package's bin ships it,
 * into `build/test-bundle/`; the tests spawn that file.
 */
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import { bundle } from "../../scripts/bundle.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled `acs-identity` executable. */
    readonly acsIdentityBin: string
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const outDir = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../build/test-bundle")
  project.provide("acsIdentityBin", await bundle(outDir))
}
