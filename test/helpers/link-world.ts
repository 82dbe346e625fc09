import { DataFaults, DataPlane } from "../../src/sim/modem/index.js";
import { quietPort } from "./broker.js";
import { e2eWorld, type E2eWorld } from "./e2e.js";
import { waitFor } from "./pty-modem.js";

// The data-path watchdog end to end: `cellgate run` as a child process, the simulated EC25 on a
// pty, the Wireless API simulator, a real broker, and the far end of the data path as a loopback
// TCP port that is open only while the simulated module carries data (DataPlane). Intervals are
// short through the configuration; every wait is for an event, a file or a state.
export const INTERVAL_S = 1;
export const FAILURES = 2;
export const KEY = "link test command key: 0123456789abcdef";

interface Seen {
  at: number;
  json: Record<string, unknown>;
}

/** The `events` topic with the arrival time of each message, and the module's command lines with theirs. */
export function timeline(w: E2eWorld) {
  const events: Seen[] = [];
  const commands: Array<{ at: number; line: string }> = [];
  w.app.client.on("message", (topic, payload) => {
    if (topic === `${w.prefix}/events`)
      events.push({ at: Date.now(), json: JSON.parse(payload.toString()) as Record<string, unknown> });
  });
  w.modem.sim.events.on("command", (line) => commands.push({ at: Date.now(), line: line.toUpperCase() }));
  const mark = () => ({ events: events.length, commands: commands.length, at: Date.now() });
  type Mark = ReturnType<typeof mark>;
  const since = (m: Mark, type?: string) => events.slice(m.events).filter((e) => type === undefined || e.json.type === type);
  const steps = (m: Mark) =>
    since(m, "link-step")
      .filter((e) => e.json.phase === "start")
      .map((e) => e.json.step as string);
  const sent = (m: Mark) => commands.slice(m.commands).map((c) => c.line);
  // On a timeout the error lists what did come, to see where the ladder went instead.
  const until = (m: Mark, type: string, what: string, ms = 60_000) =>
    waitFor(() => since(m, type).length > 0, ms, `${what} (${type})`).then(
      () => since(m, type)[0]!,
      (err: Error) => {
        throw new Error(
          `${err.message}; events since: ${since(m)
            .map((e) => `${String(e.json.type)}: ${String(e.json.detail)}`)
            .join(" | ")}`,
        );
      },
    );
  return { events, mark, since, steps, sent, until };
}

/**
 * A gateway whose probe is a TCP connect to the simulated data plane on `port`, every step allowed
 * again after 1 s (the reboot left out), started with the data flowing. `before` runs before the daemon.
 */
export async function fastLadder(o: { id: string; personality?: string; product?: "super-sim"; before?: (w: E2eWorld) => void }) {
  // Closed for much of the test: outside the ephemeral range, so no other listener can take it meanwhile.
  const port = await quietPort();
  const w = await e2eWorld({
    id: o.id,
    key: KEY,
    ...(o.personality ? { personality: o.personality } : {}),
    ...(o.product ? { product: o.product } : {}),
    yaml: () => [
      "link:",
      "  bearer: module",
      `  probe: tcp://127.0.0.1:${port}`,
      `  intervalS: ${INTERVAL_S}`,
      `  failures: ${FAILURES}`,
      "  recover: [reattach, cfun, modem-reset]",
      "  minIntervalS: { reattach: 1, cfun: 1, modem-reset: 1, reboot: 3600 }",
    ],
  });
  const plane = await DataPlane.start(w.modem.sim, { port });
  const t = timeline(w);
  o.before?.(w);
  const m = t.mark();
  w.start();
  await t.until(m, "started", "the daemon to start", 30_000);
  return { w, plane, faults: new DataFaults(w.modem.sim), t, m };
}

/** Detected within failures × interval, plus the interval a fault may fall into just after a probe, plus a loaded machine's slack. */
export const DETECT_MS = (FAILURES + 1) * INTERVAL_S * 1000 + 3000;
