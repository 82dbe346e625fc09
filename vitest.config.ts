import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // serialport's native poller aborts the process inside worker threads:
    // keep the default process-per-file pool.
    pool: "forks",
    // The end-to-end files mostly wait (on daemons, ptys, the broker), so one more file than there
    // are cores runs beside them; each uses its own ports, pty and state directory.
    maxWorkers: Math.max(3, availableParallelism() + 1),
    // Bounds for a loaded 2-core machine, not expectations of speed: tests wait for conditions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
