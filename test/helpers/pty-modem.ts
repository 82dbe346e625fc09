import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AtEngine, openSerialLink } from "../../src/at/index.js";
import { Modem } from "../../src/modem/index.js";
import {
  availableBackends,
  ModemSimulator,
  PtyModem,
  type ModemSimulatorOptions,
  type PtyBackend,
} from "../../src/sim/modem/index.js";
import { Inbox, type InboundMessage } from "../../src/sms/index.js";

/** The pty helpers this machine has (CI installs socat, a bare machine still has python3); CELLGATE_PTY picks one. */
export const PTY_BACKENDS: PtyBackend[] = process.env.CELLGATE_PTY
  ? [process.env.CELLGATE_PTY as PtyBackend]
  : availableBackends();

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

/**
 * Polls `cond` every 10 ms until it holds (real I/O: there is no clock to drive); `refresh`, when
 * given, runs before each look (a query whose answer `cond` reads).
 */
export async function waitFor(
  cond: () => boolean,
  ms = 5000,
  what = "condition",
  refresh?: () => Promise<unknown>,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    await refresh?.();
    if (cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The receiving side of a gateway over a pty: the simulator, the real engine and Modem, and an
 * Inbox (not started) whose consumer collects what it hands off. Cleanups go on `cleanups`.
 */
export async function startPtyInbox(
  backend: PtyBackend,
  cleanups: Array<() => Promise<void> | void>,
  o: { product?: "programmable-wireless" | "super-sim"; personality?: string } = {},
) {
  const product = o.product ?? "programmable-wireless";
  const m = await startPtyModem(backend, o.personality ? { personality: o.personality } : {});
  cleanups.push(m.cleanup);
  const engine = new AtEngine({ link: await openSerialLink({ path: m.link }) });
  cleanups.push(() => engine.close());
  const modem = new Modem({ port: engine });
  await modem.init();
  const stateDir = mkdtempSync(join(tmpdir(), "cellgate-state-"));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const got: InboundMessage[] = [];
  const inbox = await Inbox.open({
    device: modem.sms,
    stateDir,
    product,
    reassemblyTimeoutMs: 30 * 60_000,
    sweepIntervalMs: 5 * 60_000,
    consumer: (msg) => Promise.resolve(void got.push(msg)),
  });
  cleanups.push(() => inbox.stop());
  return { ...m, modem, inbox, got };
}
