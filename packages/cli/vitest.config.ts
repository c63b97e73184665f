import { mergeConfig } from "vitest/config"
import { shared } from "../../vitest.shared.js"

export default mergeConfig(shared, {
  test: {
    globalSetup: ["test/setup/bundle.ts"],
    // Each case spawns the executable; a loaded machine makes that slow.
    testTimeout: 120_000
  }
})
