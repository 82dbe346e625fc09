import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // serialport's native poller aborts the process inside worker threads:
    // keep the default process-per-file pool.
    pool: "forks",
    // Bounds for a loaded 2-core machine, not expectations of speed: tests wait for conditions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
