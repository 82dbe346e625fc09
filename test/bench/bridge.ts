/**
 * 9. The cellular data budget: what crosses the fleet bridge in a day, measured at the connection.
 *
 * Two gateways side by side, each the real `cellgate run` (dist) on its own modem simulator (a
 * pty) and API simulator, its own local mosquitto bridged with the shipped bridge.conf to a fleet
 * mosquitto through a counting loopback proxy (test/helpers/fleet.ts): every MQTT packet both ways
 * (payload, topic, fixed and variable header, PUBACKs, PINGREQ/PINGRESP) is counted by kind. The
 * modem is steady: registered, and its signal wanders as a stationary module's does between reads
 * (RSRP, RSRQ, RSSI ±1 dB, SINR ±2 dB around their means, the same seeded sequence for both).
 *
 * A day is not waited for: the run polls, samples and heartbeats faster (pollS 1, telemetryS 1,
 * heartbeatS 10, bridge keepalive 5 s) so each kind of message is seen many times, and a day is
 * then each kind's measured bytes per message × its count per day — the interval's count for
 * the periodic ones (86,400 / the setting) and, for the change-only snapshots, the share of
 * polls that republished in the run × the polls of a day at the default pollS.
 *
 * cellgate: its defaults (`mqtt.deadband`, telemetry and heartbeat intervals) and the shipped
 * bridge's keepalive. Baseline, in the same run: the same gateway with every snapshot change
 * republished (deadband 0 dB, usage step 1 byte), a 60-s telemetry and 300-s heartbeat, and
 * mosquitto's default bridge keepalive (60 s).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { configSchema } from "../../src/config/index.js";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { ModemSimulator, PtyModem } from "../../src/sim/modem/index.js";
import { fleetPair, shippedLines, type Traffic } from "../helpers/fleet.js";
import { daemon, ensureBuilt, stopChild, type Row } from "./daemon.js";

const DAY_S = 86_400;
const RUN = { pollS: 1, telemetryS: 1, heartbeatS: 10, refreshS: 60, keepaliveS: 5 };

/** The settings a day is computed for. */
interface DaySettings {
  name: string;
  pollS: number;
  refreshS: number;
  telemetryS: number;
  heartbeatS: number;
  keepaliveS: number;
  yaml: string[];
}

function defaults(): DaySettings {
  const c = configSchema.parse({});
  const keepalive = Number(shippedLines("bridge.conf", ["keepalive_interval"])[0]?.split(/\s+/)[1]);
  return {
    name: "cellgate",
    pollS: c.modem.pollS,
    refreshS: c.api.refreshS,
    telemetryS: c.mqtt.telemetryS,
    heartbeatS: c.mqtt.heartbeatS,
    keepaliveS: keepalive,
    yaml: [],
  };
}

const BASELINE: DaySettings = {
  name: "baseline",
  pollS: 30,
  refreshS: 900,
  telemetryS: 60,
  heartbeatS: 300,
  keepaliveS: 60,
  yaml: ["deadband:", "  signalDb: 0", "  usageBytes: 1"],
};

/** A small seeded PRNG (mulberry32), so both gateways see the same signal. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One gateway: modem and API simulators, the real daemon, its local broker bridged to a fleet one through the proxy. */
async function gateway(main: string, s: DaySettings) {
  const id = `budget-${s.name}`;
  const dir = mkdtempSync(join(tmpdir(), `cellgate-bench-${id}-`));
  const link = join(dir, "modem.pty");
  const modem = new ModemSimulator();
  const pty = await PtyModem.serve(modem, link);
  const api = await ApiSimulator.start({ iccid: modem.world.sim.iccid });
  // 10 KB every 10 s: 60 KB between two refreshes of the run, what a gateway moving 6 MB a day
  // uses between two refreshes at the default api.refreshS. The first tick opens the data
  // session before the daemon starts, as a steady gateway's is.
  const traffic = new ModemBridge(api, modem, { trafficEveryMs: 10_000 });
  traffic.tick();
  const pair = await fleetPair(id, { keepaliveS: RUN.keepaliveS });
  const file = join(dir, "cellgate.yaml");
  writeFileSync(
    file,
    [
      `gateway:\n  id: ${id}`,
      `modem:\n  port: ${link}\n  pollS: ${RUN.pollS}`,
      `mqtt:\n  url: ${pair.local.url}\n  telemetryS: ${RUN.telemetryS}\n  heartbeatS: ${RUN.heartbeatS}`,
      ...s.yaml.map((l) => `  ${l}`),
      `api:\n  baseUrl: ${api.baseUrl}\n  refreshS: ${RUN.refreshS}`,
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      "log:\n  level: warn\n",
    ].join("\n"),
  );
  const d = daemon(main, file, { TWILIO_ACCOUNT_SID: api.credentials.accountSid, TWILIO_AUTH_TOKEN: api.credentials.authToken });
  return {
    id,
    s,
    modem,
    pair,
    close: async () => {
      await stopChild(d);
      await pair.close();
      traffic.stop();
      await api.close();
      await pty.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Breakdown {
  kind: string;
  perDay: number;
  bytesEach: number;
}

/** A day of traffic from what the run counted: per kind, bytes each × count a day at `s`. */
export function day(t: Traffic, runS: number, prefix: string, s: DaySettings): Breakdown[] {
  const get = (k: string) => t.packets.get(k) ?? { count: 0, bytes: 0 };
  const each = (k: string) => (get(k).count > 0 ? get(k).bytes / get(k).count : 0);
  const polls = runS / RUN.pollS;
  const rows: Breakdown[] = [
    { kind: "telemetry", perDay: DAY_S / s.telemetryS, bytesEach: each(`PUBLISH ${prefix}/telemetry`) },
    { kind: "status (heartbeat)", perDay: DAY_S / s.heartbeatS, bytesEach: each(`PUBLISH ${prefix}/status`) },
  ];
  // Snapshots are compared after each poll (sim: after each API refresh): the share that
  // republished in the run, times the polls (refreshes) of a day.
  const refreshes = runS / RUN.refreshS;
  for (const topic of ["network", "health", "modem", "events", "sim"]) {
    const [n, perDay] = topic === "sim" ? [refreshes, DAY_S / s.refreshS] : [polls, DAY_S / s.pollS];
    const key = `PUBLISH ${prefix}/${topic}`;
    rows.push({ kind: `${topic} (on change)`, perDay: (get(key).count / n) * perDay, bytesEach: each(key) });
  }
  const qos1 = rows.filter((r) => r.kind !== "telemetry").reduce((n, r) => n + r.perDay, 0);
  rows.push({ kind: "PUBACK (fleet → gateway, one per QoS 1 message)", perDay: qos1, bytesEach: each("PUBACK") || 4 });
  rows.push({
    kind: "PINGREQ + PINGRESP (bridge keepalive)",
    perDay: DAY_S / s.keepaliveS,
    bytesEach: (each("PINGREQ") || 2) + (each("PINGRESP") || 2),
  });
  return rows;
}

const total = (b: Breakdown[]) => b.reduce((n, r) => n + r.perDay * r.bytesEach, 0);
/** Bytes a packet costs below MQTT: 29 (TLS 1.2 AES-GCM record) + 52 (TCP/IPv4 with timestamps) + 52 (the ACK). */
const WIRE_OVERHEAD = 29 + 52 + 52;
/** MQTT packets a day: a PINGREQ + PINGRESP row is two. */
const packets = (b: Breakdown[]) => b.reduce((n, r) => n + r.perDay * (r.kind.startsWith("PINGREQ") ? 2 : 1), 0);
const wire = (b: Breakdown[]) => total(b) + packets(b) * WIRE_OVERHEAD;
const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** Steady signal: each value its mean plus a small random step, applied to both modems at once. */
function wander(
  modems: Array<{
    world: { net: { rsrpDbm: number | null; rsrqDb: number | null; rssiDbm: number | null; sinrDb: number | null } };
  }>,
) {
  const rnd = prng(14);
  const step = (n: number) => Math.round(rnd() * 2 * n) - n;
  const timer = setInterval(() => {
    const v = { rsrpDbm: -95 + step(1), rsrqDb: -10 + step(1), rssiDbm: -71 + step(1), sinrDb: 12 + step(2) };
    for (const m of modems) Object.assign(m.world.net, v);
  }, 250);
  return () => clearInterval(timer);
}

export async function bridgeBudget(runS = Number(process.env.BENCH_BUDGET_S ?? 120)): Promise<{ rows: Row[]; report: string[] }> {
  const main = ensureBuilt();
  const gws = [await gateway(main, defaults()), await gateway(main, BASELINE)];
  const stop = wander(gws.map((g) => g.modem));
  try {
    // Warm-up: the start (CONNECTs, every retained snapshot once) is not a day's traffic.
    for (const g of gws) {
      const key = `PUBLISH cellgate/${g.id}/telemetry`;
      for (let i = 0; (g.pair.proxy.traffic.packets.get(key)?.count ?? 0) < 5; i++) {
        if (i > 1200) throw new Error(`${g.id}: no telemetry crossed the bridge in 120 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (const g of gws) g.pair.proxy.reset();
    await new Promise((r) => setTimeout(r, runS * 1000)); // the measurement window
    const days = gws.map((g) => day(g.pair.proxy.traffic, runS, `cellgate/${g.id}`, g.s));
    const [ours, base] = days as [Breakdown[], Breakdown[]];
    const report = [
      `\nbridge budget: a day at each side's settings, MQTT bytes both ways at the connection (${runS} s measured, steady modem)`,
      "| message | cellgate /day | bytes each | cellgate bytes/day | baseline /day | baseline bytes/day |",
      "|---|---:|---:|---:|---:|---:|",
      ...ours.map((r, i) => {
        const b = base[i]!;
        const f = (x: number) => Math.round(x).toLocaleString("en-US");
        const cells = [
          r.kind,
          f(r.perDay),
          r.bytesEach.toFixed(0),
          f(r.perDay * r.bytesEach),
          f(b.perDay),
          f(b.perDay * b.bytesEach),
        ];
        return `| ${cells.join(" | ")} |`;
      }),
      `| total | | | ${Math.round(total(ours)).toLocaleString("en-US")} | | ${Math.round(total(base)).toLocaleString("en-US")} |`,
      `sim: besides, one republish per mqtt.deadband.usageBytes of the SIM's own data (a 1-MB step is rarely crossed in ${runS} s).`,
      `Estimated, not measured: with TCP/IP and TLS around each MQTT packet (${WIRE_OVERHEAD} B: a TLS 1.2 GCM record,`,
      `TCP/IPv4 headers and the peer's ACK) a day is ${kb(wire(ours))} KB for cellgate and ${kb(wire(base))} KB for the baseline.`,
    ];
    const rows: Row[] = [
      [
        "fleet bridge, a day at default settings, steady modem (KB of MQTT)",
        "every change republished, 60-s telemetry, 300-s heartbeat, 60-s bridge keepalive",
        total(ours) / 1000,
        total(base) / 1000,
      ],
    ];
    return { rows, report };
  } finally {
    stop();
    for (const g of gws) await g.close();
  }
}

// `tsx test/bench/bridge.ts` runs this one measurement alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows, report } = await bridgeBudget();
  console.log(rows, report.join("\n"));
}
