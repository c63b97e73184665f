#!/usr/bin/env node
// Package bin for `acs-identity-mock`: runs the compiled command (build it with `npm run build`).
// In the repository, `npm run mock` runs the TypeScript source with tsx instead.
import "../build/esm/bin.js"
