#!/usr/bin/env node
// Package bin for `acs-identity`: runs the bundle (`npm run bundle -w @acs-identity/cli` makes it).
// In the repository, `npx tsx --conditions=source packages/cli/src/bin.ts` runs the TypeScript source.
import "../build/bundle/bin.js"
