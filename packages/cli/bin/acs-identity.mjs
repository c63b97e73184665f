#!/usr/bin/env node
// Package bin for `acs-identity`: runs the compiled command (build it with `npm run build`).
// In the repository, `npx tsx --conditions=source packages/cli/src/bin.ts` runs the TypeScript source.
import "../build/esm/bin.js"
