// `npm run soak -- --minutes 60`: the real daemon (pty + the serialport binding, mosquitto, the
// API simulator) with a signed Command every few seconds, telemetry, and a random fault every
// minute from those it gets over by itself. Every 30 s: the daemon's RSS and heap (control
// socket status) and the Command counters, into a CSV and an SVG plot. At the end: the memory
// growth after the warm-up (goal ≤ 5 %), and every Command answered once (0 lost, 0 twice).
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { controlRequest } from "../../src/runtime/index.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { Ledger, mdRow } from "../helpers/ledger.js";
import { waitFor } from "../helpers/pty-modem.js";
import { SOAK_FAULTS, type SoakFault } from "./faults.js";
import { growthPct, toCsv, toSvg, type Sample } from "./plot.js";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "60" },
    out: { type: "string", default: "docs" },
    "command-every-s": { type: "string", default: "5" },
    "fault-every-s": { type: "string", default: "60" },
    "sample-every-s": { type: "string", default: "30" },
    seed: { type: "string", default: "20261130" },
  },
});
const MINUTES = Number(args.minutes);
const EVERY = {
  command: Number(args["command-every-s"]),
  fault: Number(args["fault-every-s"]),
  sample: Number(args["sample-every-s"]),
};
/** Memory is compared after this: the first sixth of the run, at most 10 minutes. */
const WARMUP_S = Math.min(600, (MINUTES * 60) / 6);
/** A Command not answered this long after it was sent is overdue (a fault may hold it a while). */
const GRACE_S = 240;
const KEY = "soak command key: 0123456789abcdef";
/** The code under test is the one at the start (a commit made during the run is not in it). */
const COMMIT = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();

/** A small seeded generator (mulberry32), so a run's fault sequence can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Run {
  w: E2eWorld;
  ledger: Ledger;
  started: number;
  sentAt: Map<number, number>;
  samples: Sample[];
  fault: string;
  faultLog: Array<{ tS: number; name: string; tookS: number }>;
  stop: boolean;
}

async function sampleOnce(r: Run): Promise<Sample> {
  const pid = r.w.daemon()!.pid!;
  let mem: { rss: number; heapUsed: number | null; heapTotal: number | null };
  try {
    const s = await controlRequest(join(r.w.dir, "control.sock"), "status", {}, 20_000);
    mem = { rss: s.process.rssBytes, heapUsed: s.process.heapUsedBytes, heapTotal: s.process.heapTotalBytes };
  } catch {
    // the daemon busy with a hung modem: RSS from the kernel, no heap this time
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    mem = { rss: kb * 1024, heapUsed: null, heapTotal: null };
  }
  const c = r.ledger.counts();
  const now = Date.now();
  const answered = new Set(r.ledger.replies().keys());
  const overdue = [...r.sentAt].filter(([tag, at]) => now - at > GRACE_S * 1000 && !answered.has(tag)).length;
  const mb = (b: number | null) => (b === null ? null : b / 1048576);
  return {
    tS: Math.round((now - r.started) / 1000),
    rssMb: mb(mem.rss)!,
    heapUsedMb: mb(mem.heapUsed),
    heapTotalMb: mb(mem.heapTotal),
    sent: c.sent,
    handedOff: c.handedOff,
    run: c.run,
    replied: c.replied,
    overdue: Math.max(0, overdue - c.refused),
    duplicates: c.duplicates,
    fault: r.fault,
  };
}

async function commandLoop(r: Run): Promise<void> {
  while (!r.stop) {
    const tag = r.ledger.send();
    r.sentAt.set(tag, Date.now());
    await sleep(EVERY.command * 1000);
  }
}

/** Faults in random order, each once per round (a shuffled bag), so every kind comes up in a run. */
async function faultLoop(r: Run, rnd: () => number): Promise<void> {
  const used = new Map<string, number>();
  const hours = Math.max(1, MINUTES / 60);
  let bag: SoakFault[] = [];
  while (!r.stop) {
    await sleep(EVERY.fault * 1000);
    if (r.stop) return;
    if (bag.length === 0) bag = [...SOAK_FAULTS].sort(() => rnd() - 0.5);
    const f = bag.shift()!;
    if ((used.get(f.name) ?? 0) >= (f.maxPerHour ?? Infinity) * hours) continue;
    used.set(f.name, (used.get(f.name) ?? 0) + 1);
    const t0 = Date.now();
    r.fault = f.name;
    console.log(`[soak ${min(r)}] fault: ${f.name}`);
    await f.apply(r.w, r.ledger).catch((err: unknown) => console.log(`[soak] fault ${f.name} failed to apply: ${String(err)}`));
    r.faultLog.push({ tS: Math.round((t0 - r.started) / 1000), name: f.name, tookS: Math.round((Date.now() - t0) / 1000) });
  }
}

async function sampleLoop(r: Run): Promise<void> {
  while (!r.stop) {
    await sleep(EVERY.sample * 1000);
    if (r.w.daemon()!.exitCode !== null || r.w.daemon()!.signalCode !== null)
      throw new Error(`the daemon exited:\n${r.w.out.logs.slice(-4000)}`);
    const s = await sampleOnce(r);
    r.samples.push(s);
    r.fault = "";
    const heap = `${s.heapUsedMb?.toFixed(1) ?? "?"}/${s.heapTotalMb?.toFixed(1) ?? "?"}`;
    const counts = `sent ${s.sent} handed off ${s.handedOff} run ${s.run} replied ${s.replied} overdue ${s.overdue} twice ${s.duplicates}`;
    console.log(`[soak ${min(r)}] rss ${s.rssMb.toFixed(1)} MB heap ${heap} MB · ${counts}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const min = (r: Run) => `${((Date.now() - r.started) / 60_000).toFixed(1)} min`;

async function main(): Promise<void> {
  const w = await e2eWorld({
    id: "soak-gw",
    key: KEY,
    logLevel: "info",
    persistentApp: true,
    modemYaml: ["pollS: 10"],
    mqtt: ["telemetryS: 10"],
  });
  await w.app.client.subscribeAsync(`${w.prefix}/telemetry`, { qos: 0 });
  const ledger = new Ledger({ key: KEY, sim: w.modem.sim, messages: () => w.app.got, prefix: w.prefix });
  w.start();
  await waitFor(() => w.events("back-online").length === 1, 60_000, "the daemon to be back online");
  const r: Run = { w, ledger, started: Date.now(), sentAt: new Map(), samples: [], fault: "", faultLog: [], stop: false };
  console.log(
    `[soak] ${MINUTES} min: a Command every ${EVERY.command} s, a fault every ${EVERY.fault} s, a sample every ${EVERY.sample} s`,
  );
  const loops = [commandLoop(r), faultLoop(r, random(Number(args.seed))), sampleLoop(r)];
  const timer = setTimeout(() => (r.stop = true), MINUTES * 60_000);
  try {
    await Promise.all(loops);
    await drain(r);
    report(r);
  } finally {
    clearTimeout(timer);
    r.stop = true;
    const log = join(tmpdir(), `cellgate-soak-daemon-${process.pid}.log`);
    writeFileSync(log, w.out.logs);
    console.log(`[soak] the daemon's log: ${log}`);
    await w.close();
  }
}

/** The last Commands get their answers: faults stopped, up to 5 minutes. */
async function drain(r: Run): Promise<void> {
  const all = () => r.ledger.counts();
  await waitFor(() => all().lost === 0, 300_000, "every Command answered").catch(() => {});
  await sleep(5000); // anything sent twice would show now
  r.samples.push(await sampleOnce(r));
}

function report(r: Run): void {
  const c = r.ledger.counts();
  const after = r.samples.filter((s) => s.tS >= WARMUP_S);
  const rss = growthPct(after.map((s) => s.rssMb));
  const heapSamples = after.map((s) => s.heapUsedMb).filter((v): v is number => v !== null);
  const heap = growthPct(heapSamples);
  const telemetry = r.w.app.on(`${r.w.prefix}/telemetry`).length;
  const title = `cellgate soak, ${MINUTES} min, commit ${COMMIT}, ${new Date().toISOString().slice(0, 10)}`;
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, "soak.csv"), toCsv(r.samples));
  writeFileSync(join(args.out, "soak.svg"), toSvg(r.samples, title, WARMUP_S));
  const faults = new Map<string, number>();
  for (const f of r.faultLog) faults.set(f.name, (faults.get(f.name) ?? 0) + 1);
  const ok = c.lost === 0 && c.duplicates === 0 && rss <= 5 && heap <= 5;
  console.log(
    [
      "",
      `${title}; ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`,
      "",
      mdRow([
        "minutes",
        "Commands sent",
        "handed off",
        "run",
        "replied",
        "refused",
        "lost",
        "twice",
        "telemetry messages",
        "faults",
      ]),
      mdRow(["--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]),
      mdRow([MINUTES, c.sent, c.handedOff, c.run, c.replied, c.refused, c.lost, c.duplicates, telemetry, r.faultLog.length]),
      "",
      mdRow(["", "after the warm-up", "at the end", "growth (goal ≤ 5 %)"]),
      mdRow(["---", "--:", "--:", "--:"]),
      mdRow(["RSS (MB)", first(after, "rssMb"), last(after, "rssMb"), pct(rss)]),
      mdRow(["heap used (MB)", first(after, "heapUsedMb"), last(after, "heapUsedMb"), pct(heap)]),
      "",
      "| fault | times |",
      "|---|--:|",
      ...[...faults].sort((a, b) => b[1] - a[1]).map(([n, k]) => `| ${n} | ${k} |`),
      "",
      `Warm-up ${WARMUP_S / 60} min; growth: the mean of the last quarter of the samples after it against the first quarter.`,
      `${ok ? "PASS" : "FAIL"}: ${c.lost} lost, ${c.duplicates} twice, RSS ${pct(rss)}, heap ${pct(heap)} (goal ≤ 5 %)`,
      `wrote ${join(args.out, "soak.csv")} and ${join(args.out, "soak.svg")}`,
    ].join("\n"),
  );
  process.exitCode = ok ? 0 : 1;
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)} %`;
const first = (xs: Sample[], k: "rssMb" | "heapUsedMb") => xs.find((s) => s[k] !== null)?.[k]?.toFixed(1) ?? "?";
const last = (xs: Sample[], k: "rssMb" | "heapUsedMb") => xs.findLast((s) => s[k] !== null)?.[k]?.toFixed(1) ?? "?";

main().then(
  () => process.exit(),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
