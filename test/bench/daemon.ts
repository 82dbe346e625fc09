/**
 * Benchmarks of the running daemon, each beside a baseline in the same run:
 *
 *  4. +CMTI → MQTT latency: the modem simulator in its own process on a pty (an SMS injected
 *     through its control stdin), `cellgate run` (the built dist) publishing commands/received to
 *     a real broker, a subscriber timing the arrival. Baseline: a naive agent on the same pty and
 *     broker — raw serialport + parser-readline, on +CMTI: AT+CMGR, publish the PDU at QoS 1,
 *     AT+CMGD — with none of cellgate's work (decode, reassembly, seen-set, durable hand-off).
 *  5. Footprint: RSS and CPU of `cellgate run` after a few minutes of normal work (modem
 *     polls, API refreshes, telemetry) beside a bare node process importing the same packages.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { connect, type MqttClient } from "mqtt";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { buildMtPdus, ModemSimulator, PtyModem } from "../../src/sim/modem/index.js";
import { startBroker, type TestBroker } from "../helpers/broker.js";
import type { Goal } from "./goals.js";
import { UNIT, UNIT_NOTE } from "./unit.js";

const ROOT = join(import.meta.dirname, "../..");
/** A table row; `goal` is what issue 16 asks of it (goals.ts). */
export type Row = [what: string, baseline: string, ours: number, theirs: number, goal?: Goal];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export function ensureBuilt(): string {
  const main = join(ROOT, "dist/cli/main.js");
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/build.ts")], { stdio: "inherit" });
  if (r.status !== 0 || !existsSync(main)) throw new Error("build failed");
  return main;
}

/** The modem simulator in its own process, steered through --control on stdin. */
async function simulator(link: string): Promise<{ proc: ChildProcess; inject(pduHex: string): void; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [join(ROOT, "dist/cli/main.js"), "simulate", "modem", "--link", link, "--latency", "0", "--control"],
    { stdio: ["pipe", "ignore", "inherit"] },
  );
  for (let i = 0; !existsSync(link); i++) {
    if (i > 500) throw new Error("simulator did not start");
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    proc,
    inject: (pdu) => proc.stdin.write(`sms ${pdu}\n`),
    stop: async () => {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

async function subscribe(url: string, topic: string): Promise<{ c: MqttClient; next(): Promise<void> }> {
  const c = connect(url);
  await new Promise<void>((r) => c.once("connect", () => r()));
  await c.subscribeAsync(topic, { qos: 1 });
  let waiter: (() => void) | undefined;
  let queued = 0;
  c.on("message", () => (waiter ? (waiter(), (waiter = undefined)) : queued++));
  return { c, next: () => (queued > 0 ? (queued--, Promise.resolve()) : new Promise((r) => (waiter = r))) };
}

/** The daemon's config for a benchmark; `busy` polls the modem and samples telemetry every second. */
export function config(dir: string, link: string, broker: TestBroker, api?: ApiSimulator, o: { busy?: boolean } = {}): string {
  const file = join(dir, "cellgate.yaml");
  const apiPart = api ? `api:\n  baseUrl: ${api.baseUrl}\n  refreshS: 60` : "api:\n  provider: none";
  const [modemBusy, mqttBusy] = o.busy ? ["\n  pollS: 1", "\n  telemetryS: 1\n  heartbeatS: 10"] : ["", ""];
  writeFileSync(
    file,
    [
      `gateway:\n  id: bench`,
      `modem:\n  port: ${link}${modemBusy}`,
      `mqtt:\n  url: ${broker.url}${mqttBusy}`,
      apiPart,
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      "log:\n  level: warn\n",
    ].join("\n"),
  );
  return file;
}

export function daemon(
  main: string,
  file: string,
  env: NodeJS.ProcessEnv = {},
  flags: string[] = [],
  wrap: Wrap = (a) => a,
): ChildProcess {
  const argv = wrap([process.execPath, ...UNIT.flags, ...flags, main, "run", "--config", file]);
  return spawn(argv[0]!, argv.slice(1), {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...UNIT.env, ...env },
  });
}

export async function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  p.kill("SIGTERM");
  await new Promise((r) => p.once("exit", r));
}

/** The naive agent (naive-agent.ts) in its own process; resolves once it is set up. */
async function startNaive(link: string, url: string, topic: string, wrap: Wrap): Promise<ChildProcess> {
  const argv = wrap([process.execPath, "--import", "tsx", join(ROOT, "test/bench/naive-agent.ts"), link, url, topic]);
  const p = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    p.stdout.on("data", (b: Buffer) => b.toString().includes("ready") && resolve());
    p.once("exit", (code) => reject(new Error(`the naive agent exited ${code}`)));
  });
  return p;
}

/** Latencies of `n` SMS, one at a time: each injected once the previous one's hand-off had time to end (PACE_MS). */
async function paced(n: number, inject: (i: number) => void, next: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, PACE_MS));
    const t0 = performance.now();
    inject(i);
    await next();
    out.push(performance.now() - t0);
  }
  return out;
}

// SMS arrive seconds apart on a gateway: 50 ms lets the previous one's PUBACK, seen-set write and
// AT+CMGD end, so each latency is that of one SMS, not of a queue (the same for both contenders).
const PACE_MS = 50;

export type Wrap = (argv: string[]) => string[];
export interface SmsRun {
  ours: number[];
  theirs: number[];
  broker: string;
}

/**
 * +CMTI → MQTT subscriber, cellgate and the naive agent in alternating blocks on the same
 * simulator and broker; `wrap` runs both under the same CPU quota; `trace` preloads
 * trace-daemon.ts into cellgate, which writes its timeline to that file when it exits.
 */
export async function smsToMqtt(o: { n?: number; blocks?: number; wrap?: Wrap; trace?: string } = {}): Promise<SmsRun> {
  const { n = 200, blocks = 4, wrap = (a: string[]) => a } = o;
  const main = ensureBuilt();
  const broker = await startBroker();
  const dir = mkdtempSync(join(tmpdir(), "cellgate-bench-sms-"));
  const link = join(dir, "modem.pty");
  const sim = await simulator(link);
  let k = 0;
  const pdu = () => buildMtPdus({ from: "+14155550100", text: `bench message ${k++}` }, Date.now())[0]!;
  const per = Math.ceil(n / blocks);
  const run: SmsRun = { ours: [], theirs: [], broker: broker.kind };
  const traceFlags = o.trace ? ["--import", "tsx", "--import", join(ROOT, "test/bench/trace-daemon.ts")] : [];
  try {
    for (let b = 0; b < blocks; b++) {
      const sub = await subscribe(broker.url, "cellgate/bench/commands/received");
      const d = daemon(main, config(dir, link, broker), o.trace ? { CELLGATE_BENCH_TRACE: o.trace } : {}, traceFlags, wrap);
      for (let i = 0; i < 5; i++) {
        sim.inject(pdu()); // warm-up: the first one waits for the daemon to be up
        await sub.next();
      }
      run.ours.push(...(await paced(per, () => sim.inject(pdu()), sub.next)));
      await stopChild(d);
      await sub.c.endAsync();
      if (o.trace) continue;
      const naiveSub = await subscribe(broker.url, "bench/naive");
      const naive = await startNaive(link, broker.url, "bench/naive", wrap);
      for (let i = 0; i < 5; i++) {
        sim.inject(pdu());
        await naiveSub.next();
      }
      run.theirs.push(...(await paced(per, () => sim.inject(pdu()), naiveSub.next)));
      await stopChild(naive);
      await naiveSub.c.endAsync();
    }
    return run;
  } finally {
    await sim.stop();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const NAIVE = "naive agent: raw serialport, AT+CMGR, publish QoS 1, AT+CMGD (own process)";

/** p50 and p99; `goal` for the p99 (issue 16: ≤ 10 ms and ≤ 2× the naive agent, on the full machine). */
export function latencyRows(r: SmsRun, where = "", goal?: Goal): Row[] {
  return [
    [`+CMTI → MQTT subscriber over a pty and ${r.broker}${where}, p50 (ms)`, NAIVE, pct(r.ours, 50), pct(r.theirs, 50)],
    [`+CMTI → MQTT subscriber over a pty and ${r.broker}${where}, p99 (ms)`, NAIVE, pct(r.ours, 99), pct(r.theirs, 99), goal],
  ];
}

function procStats(pid: number): { rssKb: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKb, cpuTicks: Number(f[11]) + Number(f[12]) }; // utime + stime (fields 14, 15)
}

/**
 * What a daemon benchmark runs against: the modem simulator on a pty, the API simulator joined to
 * it, a broker — and the baseline, a bare node process importing the same packages (with `flags`).
 */
export async function benchWorld(name: string, flags: string[] = []) {
  const broker = await startBroker();
  const dir = mkdtempSync(join(tmpdir(), `cellgate-bench-${name}-`));
  const link = join(dir, "modem.pty");
  const modem = new ModemSimulator();
  const pty = await PtyModem.serve(modem, link);
  const api = await ApiSimulator.start({ iccid: modem.world.sim.iccid });
  const bridge = new ModemBridge(api, modem, { trafficEveryMs: 10_000 });
  const imports = BARE_IMPORTS.map((p) => `await import(${JSON.stringify(p)});`).join(" ");
  const argv = [...UNIT.flags, ...flags, "--input-type=module", "-e", `${imports} setInterval(() => {}, 1000);`];
  const bare = spawn(process.execPath, argv, {
    env: { ...process.env, ...UNIT.env },
    cwd: ROOT,
    stdio: "ignore",
  });
  return {
    dir,
    link,
    modem,
    api,
    broker,
    bare,
    baseline: `bare node importing ${BARE_IMPORTS.join(", ").replace("@serialport/", "")} (both: ${UNIT_NOTE}, as the unit runs node)`,
    apiEnv: { TWILIO_ACCOUNT_SID: api.credentials.accountSid, TWILIO_AUTH_TOKEN: api.credentials.authToken },
    async close(d?: ChildProcess) {
      if (d) await stopChild(d);
      bare.kill();
      bridge.stop();
      await api.close();
      await pty.close();
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const BARE_IMPORTS = ["serialport", "@serialport/parser-readline", "mqtt", "undici", "pino", "yaml", "zod"];

/**
 * The bench's busy workload on a world: a modem poll and a telemetry sample every second (the
 * `busy` config), an SMS through the inbox every two, and a seen-set already full (10,000 ids,
 * its cap) so each SMS replaces the oldest id as on a gateway that has run for weeks: "warm".
 * Returns the stop function and the count of SMS sent.
 */
export function busyWork(w: Awaited<ReturnType<typeof benchWorld>>): { stop(): void; sent(): number } {
  const state = join(w.dir, "state");
  mkdirSync(state, { recursive: true });
  const now = Date.now();
  const ids = Array.from({ length: 10_000 }, (_, i) => [`h:${randomBytes(16).toString("hex")}`, now - (10_000 - i) * 1000]);
  writeFileSync(join(state, "seen.json"), JSON.stringify(Object.fromEntries(ids)));
  let sms = 0;
  const sender = setInterval(() => w.modem.sendFromNetwork({ from: "+14155550100", text: `busy bench ${sms++}` }), 2_000);
  return { stop: () => clearInterval(sender), sent: () => sms };
}

/** RSS after `seconds` of the busy workload, and CPU over the last minute, beside the bare process. */
export async function footprint(seconds: number): Promise<Row[]> {
  const main = ensureBuilt();
  const w = await benchWorld("rss");
  const work = busyWork(w);
  const d = daemon(main, config(w.dir, w.link, w.broker, w.api, { busy: true }), w.apiEnv);
  try {
    const window = Math.min(60, Math.max(10, Math.floor(seconds / 3)));
    await new Promise((r) => setTimeout(r, (seconds - window) * 1000));
    const [d0, b0] = [procStats(d.pid!), procStats(w.bare.pid!)];
    await new Promise((r) => setTimeout(r, window * 1000));
    const [d1, b1] = [procStats(d.pid!), procStats(w.bare.pid!)];
    const hz = 100; // USER_HZ on Linux
    const cpu = (a: { cpuTicks: number }, b: { cpuTicks: number }) => ((b.cpuTicks - a.cpuTicks) / hz / window) * 100;
    const what = `${seconds} s of 1-s polls and telemetry, an SMS every 2 s, ${work.sent()} in all`;
    return [
      [`cellgate run after ${what}: RSS (MB)`, w.baseline, d1.rssKb / 1024, b1.rssKb / 1024, { ratioAtMost: 1.2 }],
      [`cellgate run, CPU over the last ${window} s of that (% of one core)`, w.baseline, cpu(d0, d1), cpu(b0, b1)],
    ];
  } finally {
    work.stop();
    await w.close(d);
  }
}
