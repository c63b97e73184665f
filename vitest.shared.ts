import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

/** Settings every package's vitest project shares: workspace packages resolve to their sources. */
export const shared: ViteUserConfig = {
  resolve: {
    alias: [
      { find: /^@acs-identity\/sdk$/, replacement: path.join(root, "packages/sdk/src/index.ts") },
      {
        find: /^@acs-identity\/sdk\/HttpClientTransport$/,
        replacement: path.join(root, "packages/sdk/src/HttpClientTransport.ts")
      },
      { find: /^@acs-identity\/sdk\/testing$/, replacement: path.join(root, "packages/sdk/src/testing/index.ts") },
      { find: /^@acs-identity\/mock-server$/, replacement: path.join(root, "packages/mock-server/src/index.ts") },
      { find: /^@acs-identity\/transport-node$/, replacement: path.join(root, "packages/transport-node/src/index.ts") },
      { find: /^@acs-identity\/cli$/, replacement: path.join(root, "packages/cli/src/index.ts") },
      {
        find: /^@acs-identity\/token-credential$/,
        replacement: path.join(root, "packages/token-credential/src/index.ts")
      }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
}
