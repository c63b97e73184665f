import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

/** Settings every package's vitest project shares: workspace packages resolve to their sources. */
export const shared: ViteUserConfig = {
  resolve: {
    alias: {
      "@acs-identity/sdk": path.join(root, "packages/sdk/src/index.ts"),
      "@acs-identity/mock-server": path.join(root, "packages/mock-server/src/index.ts"),
      "@acs-identity/transport-node": path.join(root, "packages/transport-node/src/index.ts"),
      "@acs-identity/token-credential": path.join(root, "packages/token-credential/src/index.ts")
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
}
