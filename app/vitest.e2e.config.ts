import { defineConfig } from "vitest/config";

// Browser tests: Debian's Chromium driven by playwright-core, against a dev node and the built
// app that scripts/test.sh started (MEDCHAIN_APP_URL, MEDCHAIN_NODE_WS).
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    globalSetup: ["tests/e2e/global-setup.ts"],
    pool: "forks",
  },
});
