import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableBackends, ModemSimulator, PtyModem, type ModemSimulatorOptions, type PtyBackend } from "../../src/sim/modem/index.js";

/** The pty helpers this machine has (CI installs socat, a bare machine still has python3); CELLGATE_PTY picks one. */
export const PTY_BACKENDS: PtyBackend[] = process.env.CELLGATE_PTY ? [process.env.CELLGATE_PTY as PtyBackend] : availableBackends();

/**
 * The modem simulator behind a real pseudo-terminal, for tests that open it with the real
 * serialport binding. Says in the test output which pty helper carried it.
 */
export async function startPtyModem(backend: PtyBackend, o: ModemSimulatorOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cellgate-pty-"));
  const link = join(dir, "modem.pty");
  const sim = new ModemSimulator({ bootMs: 300, ...o });
  const pty = await PtyModem.serve(sim, link, backend);
  console.log(`[real parts] pseudo-terminal via ${pty.backend} at ${link}, opened with the serialport native binding`);
  return {
    sim,
    pty,
    link,
    async cleanup() {
      await pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `cond` every 10 ms until it holds (real I/O: there is no clock to drive). */
export async function waitFor(cond: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
