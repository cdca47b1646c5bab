import { defineConfig } from "vitest/config";

// Unit tests: no browser, no node.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    testTimeout: 10_000,
  },
});
