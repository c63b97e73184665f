#!/usr/bin/env node
// Package bin for `acs-identity-mock`: runs the compiled command. In a clone of the repository,
// build first (`npm run build`) or use `npm run mock`, which runs the TypeScript source.
import { existsSync } from "node:fs"

const compiled = new URL("../build/esm/bin.js", import.meta.url)
if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  console.error("acs-identity-mock: this copy is not built; run `npm run build` (or `npm run mock` in the repository)")
  process.exitCode = 1
}
