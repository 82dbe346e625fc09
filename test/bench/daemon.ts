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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ReadlineParser } from "@serialport/parser-readline";
import { connect, type MqttClient } from "mqtt";
import { SerialPort } from "serialport";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { buildMtPdus, ModemSimulator, PtyModem } from "../../src/sim/modem/index.js";
import { startBroker, type TestBroker } from "../helpers/broker.js";

const ROOT = join(import.meta.dirname, "../..");
export type Row = [what: string, baseline: string, ours: number, theirs: number];
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

async function measure(n: number, inject: (i: number) => void, next: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    inject(i);
    await next();
    out.push(performance.now() - t0);
  }
  return out;
}

/** The naive agent: what a first script would do, with nothing durable. */
async function naiveAgent(link: string, url: string, topic: string): Promise<() => Promise<void>> {
  const port = new SerialPort({ path: link, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  const mqtt = connect(url);
  await new Promise<void>((r) => mqtt.once("connect", () => r()));
  const lines = port.pipe(new ReadlineParser({ delimiter: "\r\n" }));
  let collect: ((l: string) => void) | undefined;
  const cmd = (c: string) =>
    new Promise<string[]>((resolve) => {
      const got: string[] = [];
      collect = (l) => (l === "OK" || l.includes("ERROR") ? ((collect = undefined), resolve(got)) : void got.push(l));
      port.write(`${c}\r`);
    });
  let busy = Promise.resolve();
  lines.on("data", (l: string) => {
    const m = /^\+CMTI: "(\w+)",(\d+)/.exec(l);
    if (m) {
      busy = busy.then(async () => {
        const r = await cmd(`AT+CMGR=${m[2]}`);
        await mqtt.publishAsync(topic, r.at(-1) ?? "", { qos: 1 });
        await cmd(`AT+CMGD=${m[2]}`);
      });
    } else if (l !== "") collect?.(l);
  });
  for (const c of ["ATE0", "AT+CMGF=0", 'AT+CPMS="ME","ME","ME"', "AT+CNMI=2,1,0,0,0"]) await cmd(c);
  return async () => {
    await busy;
    await mqtt.endAsync();
    await new Promise((r) => port.close(r));
  };
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

export function daemon(main: string, file: string, env: NodeJS.ProcessEnv = {}, flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...flags, main, "run", "--config", file], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
}

export async function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  p.kill("SIGTERM");
  await new Promise((r) => p.once("exit", r));
}

export async function smsToMqtt(n = 200): Promise<Row[]> {
  const main = ensureBuilt();
  const broker = await startBroker();
  const dir = mkdtempSync(join(tmpdir(), "cellgate-bench-sms-"));
  const link = join(dir, "modem.pty");
  const sim = await simulator(link);
  const pdus = Array.from(
    { length: n + 20 },
    (_, i) => buildMtPdus({ from: "+14155550100", text: `bench message ${i}` }, Date.now())[0]!,
  );
  try {
    const sub = await subscribe(broker.url, "cellgate/bench/commands/received");
    const d = daemon(main, config(dir, link, broker));
    sim.inject(pdus[n]!); // warm-up: the first one waits for the daemon to be up
    await sub.next();
    for (let i = 1; i < 10; i++) {
      sim.inject(pdus[n + i]!);
      await sub.next();
    }
    const ours = await measure(n, (i) => sim.inject(pdus[i]!), sub.next);
    await stopChild(d);
    await sub.c.endAsync();

    const naiveSub = await subscribe(broker.url, "bench/naive");
    const stop = await naiveAgent(link, broker.url, "bench/naive");
    for (let i = 0; i < 10; i++) {
      sim.inject(pdus[n + 10 + i]!);
      await naiveSub.next();
    }
    const theirs = await measure(n, (i) => sim.inject(pdus[i]!), naiveSub.next);
    await stop();
    await naiveSub.c.endAsync();
    const base = "naive agent: raw serialport, AT+CMGR, publish QoS 1, AT+CMGD";
    return [
      [`+CMTI → MQTT subscriber over a pty and ${broker.kind}, p50 (ms)`, base, pct(ours, 50), pct(theirs, 50)],
      [`+CMTI → MQTT subscriber over a pty and ${broker.kind}, p99 (ms)`, base, pct(ours, 99), pct(theirs, 99)],
    ];
  } finally {
    await sim.stop();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
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
  const bare = spawn(process.execPath, [...flags, "--input-type=module", "-e", `${imports} setInterval(() => {}, 1000);`], {
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
    baseline: `bare node importing ${BARE_IMPORTS.join(", ").replace("@serialport/", "")}`,
    apiEnv: { TWILIO_ACCOUNT_SID: api.credentials.accountSid, TWILIO_AUTH_TOKEN: api.credentials.authToken },
    async close(d: ChildProcess) {
      await stopChild(d);
      bare.kill();
      bridge.stop();
      await api.close();
      await pty.close();
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const BARE_IMPORTS = ["serialport", "@serialport/parser-readline", "mqtt", "undici", "pino", "yaml", "zod"];

export async function footprint(seconds = Number(process.env.BENCH_FOOTPRINT_S ?? 180)): Promise<Row[]> {
  const main = ensureBuilt();
  const w = await benchWorld("rss");
  const d = daemon(main, config(w.dir, w.link, w.broker, w.api), w.apiEnv);
  try {
    const window = Math.min(60, Math.max(10, Math.floor(seconds / 3)));
    await new Promise((r) => setTimeout(r, (seconds - window) * 1000));
    const [d0, b0] = [procStats(d.pid!), procStats(w.bare.pid!)];
    await new Promise((r) => setTimeout(r, window * 1000));
    const [d1, b1] = [procStats(d.pid!), procStats(w.bare.pid!)];
    const hz = 100; // USER_HZ on Linux
    const cpu = (a: { cpuTicks: number }, b: { cpuTicks: number }) => ((b.cpuTicks - a.cpuTicks) / hz / window) * 100;
    return [
      [`cellgate run after ${seconds} s: RSS (MB)`, w.baseline, d1.rssKb / 1024, b1.rssKb / 1024],
      [`cellgate run, CPU over the last ${window} s (% of one core)`, w.baseline, cpu(d0, d1), cpu(b0, b1)],
    ];
  } finally {
    await w.close(d);
  }
}
