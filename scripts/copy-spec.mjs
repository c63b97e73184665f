// Copies the repository's spec (the single source) into the mock-server package, which ships it.
// Run by `npm run build`; packages/mock-server/test/Spec.test.ts fails when the copy is stale.
import { copyFileSync, mkdirSync } from "node:fs"

const from = new URL("../spec/communication-identity.yaml", import.meta.url)
const to = new URL("../packages/mock-server/spec/", import.meta.url)
mkdirSync(to, { recursive: true })
copyFileSync(from, new URL("communication-identity.yaml", to))
