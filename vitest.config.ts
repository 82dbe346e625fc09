import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // serialport's native poller aborts the process inside worker threads:
    // keep the default process-per-file pool.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
