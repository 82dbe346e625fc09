/**
 * npm run bench: each cellgate measurement beside a named baseline in the same run, as ratios.
 *
 *  1. AT round trip over a pty (the simulator in its own process, `--latency 0`):
 *     cellgate's AtEngine.command("AT") against a minimal loop on the same pty — raw
 *     serialport + @serialport/parser-readline, write "AT\r", wait for the "OK" line. The
 *     baseline does nothing cellgate must do (URC split, echo strip, timeouts, resync).
 *  2. Framing + classification of a realistic reply stream: LineFramer + classifyLine
 *     against the naive chain (split on /\r?\n/, a list of regexes).
 *  3. SMS PDU decoding of the 62 reference vectors: cellgate's decodePdu against node-pdu
 *     (JulianWowra/node-pdu 2.x, the maintained Node PDU library; devDependency), with the
 *     number of vectors each gets right (valid: type, number and text as the source asserts;
 *     malformed: an error).
 *
 *  0. CLI start, the built `dist/cli/main.js` beside `node -e 0` (test/bench/cli.ts).
 *  4-5. The running daemon: start to READY (ready.ts), +CMTI → MQTT latency and where its
 *     milliseconds go (daemon.ts, breakdown.ts), the same under a quarter of a core (quota.ts),
 *     RSS and CPU after `--window` seconds (default 600) of busy work (daemon.ts).
 *  6-7. A Command's authentication and its reply (test/bench/commands.ts).
 *  8. The daemon's JS heap over that window, from V8 heap snapshots (test/bench/heap.ts).
 *  9-10. `cellgate remote` asking a fleet: SIMs per second against the ceiling the account's
 *     concurrency limit sets; a 10,000-SIM fleet in one process (test/bench/fleet.ts).
 *  11. The fleet bridge's bytes a day on the cellular link, by message kind (test/bench/bridge.ts).
 *  12. The data-path probe's bytes on the link, against a ping (test/bench/probe.ts).
 *
 * Rounds alternate between contender and baseline; medians are reported. For times, memory
 * and CPU lower is better; for rates higher is.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { ReadlineParser } from "@serialport/parser-readline";
import { SerialPort } from "serialport";
import { readFileSync } from "node:fs";
import * as nodePdu from "node-pdu";
import { AtEngine, classifyLine, LineFramer, openSerialLink } from "../../src/at/index.js";
import { decodePdu } from "../../src/sms/pdu/index.js";
import { bridgeBudget } from "./bridge.js";
import { commandPath } from "./commands.js";
import { breakdown } from "./breakdown.js";
import { cliStart } from "./cli.js";
import { footprint, latencyRows, smsToMqtt, type Row } from "./daemon.js";
import { fleetRows } from "./fleet.js";
import { verdict } from "./goals.js";
import { cpuQuota } from "./quota.js";
import { startToReady } from "./ready.js";
import { heapGrowth } from "./heap.js";
import { probeRows } from "./probe.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

async function startSimulator(link: string): Promise<() => Promise<void>> {
  const cli = join(import.meta.dirname, "../../src/cli/main.ts");
  const child = spawn(process.execPath, ["--import", "tsx", cli, "simulate", "modem", "--link", link, "--latency", "0"], {
    stdio: "ignore",
  });
  for (let i = 0; !existsSync(link); i++) {
    if (i > 500) throw new Error("simulator did not start");
    await new Promise((r) => setTimeout(r, 10));
  }
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  };
}

async function cellgateRoundTrips(link: string, n: number): Promise<number> {
  const engine = new AtEngine({ link: await openSerialLink({ path: link }) });
  await engine.command("ATE0");
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await engine.command("AT");
  const ms = performance.now() - t0;
  await engine.close();
  return (n / ms) * 1000;
}

async function rawRoundTrips(link: string, n: number): Promise<number> {
  const port = new SerialPort({ path: link, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  const lines = port.pipe(new ReadlineParser({ delimiter: "\r\n" }));
  let waiting: (() => void) | undefined;
  lines.on("data", (l: string) => {
    if (l === "OK") waiting?.();
  });
  const roundTrip = (cmd: string) =>
    new Promise<void>((res) => {
      waiting = res;
      port.write(`${cmd}\r`);
    });
  await roundTrip("ATE0");
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await roundTrip("AT");
  const ms = performance.now() - t0;
  await new Promise((r) => port.close(r));
  return (n / ms) * 1000;
}

function replyStream(): Buffer {
  const one =
    '\r\n+CSQ: 21,99\r\n\r\nOK\r\n\r\n+CEREG: 2,5,"2D18","3089F02",7\r\n\r\nOK\r\n\r\n+CMTI: "SM",3\r\n' +
    '\r\n+QENG: "servingcell","NOCONN","LTE","FDD",310,260,3089F02,187,66786,66,5,5,2D18,-95,-10,-71,12,30\r\n\r\nOK\r\n' +
    "\r\n+CME ERROR: 10\r\n\r\nERROR\r\n";
  return Buffer.from(one.repeat(2000), "latin1");
}

function cellgateFraming(buf: Buffer, chunk: number): number {
  const framer = new LineFramer();
  let finals = 0;
  const t0 = performance.now();
  for (let i = 0; i < buf.length; i += chunk) {
    for (const t of framer.push(buf.subarray(i, i + chunk)))
      if (t.kind === "line" && classifyLine(t.text).kind !== "info") finals++;
  }
  return (buf.length / (performance.now() - t0)) * 1000 + finals * 0;
}

const NAIVE = [/^OK$/, /^ERROR$/, /^\+CME ERROR: .+$/, /^\+CMS ERROR: .+$/, /^NO CARRIER$/, /^BUSY$/, /^NO ANSWER$/, /^CONNECT/];
function naiveFraming(buf: Buffer, chunk: number): number {
  let pending = "";
  let finals = 0;
  const t0 = performance.now();
  for (let i = 0; i < buf.length; i += chunk) {
    const parts = (pending + buf.subarray(i, i + chunk).toString("latin1")).split(/\r?\n/);
    pending = parts.pop() ?? "";
    for (const l of parts) if (l !== "" && NAIVE.some((re) => re.test(l))) finals++;
  }
  return (buf.length / (performance.now() - t0)) * 1000 + finals * 0;
}

interface Vector {
  id: string;
  pdu: string;
  has_smsc: boolean;
  malformed?: boolean;
  pdu_type?: string;
  sender?: string;
  recipient?: string;
  text?: string;
}
const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/pdu/sms-pdus.json"), "utf8")) as Vector[];
const digits = (s: string | undefined | null) => (s ?? "").replace(/^\+/, "");

function cellgateRight(v: Vector): boolean {
  try {
    const p = decodePdu(v.pdu, { smsc: v.has_smsc });
    if (v.malformed) return false;
    const type = { "SMS-DELIVER": "deliver", "SMS-SUBMIT": "submit", "SMS-STATUS-REPORT": "status-report" }[v.pdu_type ?? ""];
    if (type !== undefined && p.type !== type) return false;
    const number = p.type === "deliver" ? p.sender : p.recipient;
    if (
      (v.sender ?? v.recipient) !== undefined &&
      p.type !== "status-report" &&
      digits(number) !== digits(v.sender ?? v.recipient)
    )
      return false;
    const text = p.type === "status-report" ? undefined : (p.text ?? Buffer.from(p.data ?? []).toString("latin1"));
    return v.text === undefined || p.type === "status-report" || text === v.text;
  } catch {
    return v.malformed === true;
  }
}

function nodePduRight(v: Vector): boolean {
  try {
    // node-pdu always expects the SMSC part.
    const p = nodePdu.parse(v.has_smsc ? v.pdu : `00${v.pdu}`);
    if (v.malformed) return false;
    const type = p instanceof nodePdu.Deliver ? "SMS-DELIVER" : p instanceof nodePdu.Submit ? "SMS-SUBMIT" : "SMS-STATUS-REPORT";
    if (v.pdu_type !== undefined && type !== v.pdu_type) return false;
    if (
      (v.sender ?? v.recipient) !== undefined &&
      type !== "SMS-STATUS-REPORT" &&
      digits(p.address.phone) !== digits(v.sender ?? v.recipient)
    )
      return false;
    if (v.text === undefined || type === "SMS-STATUS-REPORT") return true;
    return "data" in p && (p as nodePdu.Deliver).data.getText() === v.text;
  } catch {
    return v.malformed === true;
  }
}

function decodeAll(decode: (v: Vector) => unknown, rounds: number): number {
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const v of VECTORS) {
      try {
        decode(v);
      } catch {
        // malformed vectors throw in both
      }
    }
  }
  return ((rounds * VECTORS.length) / (performance.now() - t0)) * 1000;
}

/** `--window S`: the busy workload's window for the RSS and heap rows (default 600 s, 10 minutes; 60 for a quick run). */
function windowArg(): number {
  const i = process.argv.indexOf("--window");
  const s = i >= 0 ? Number(process.argv[i + 1]) : 600;
  if (!Number.isInteger(s) || s < 30) throw new Error("--window takes whole seconds, at least 30");
  return s;
}

const machine = () => `${cpus()[0]?.model.trim() ?? "?"} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const load0 = loadavg().map((l) => l.toFixed(1));

/**
 * The running daemon's rows: start to READY, +CMTI → MQTT and where its milliseconds go, the same
 * under a quarter of a core, then RSS and heap over `window` seconds of busy work (the two in
 * parallel, each daemon in its own world: a heap snapshot would disturb the RSS one).
 */
async function daemonRows(window: number): Promise<Row[]> {
  const rows: Row[] = [...(await startToReady())];
  rows.push(...latencyRows(await smsToMqtt(), "", { valueAtMost: 10, ratioAtMost: 2 }));
  const trace = join(mkdtempSync(join(tmpdir(), "cellgate-bench-trace-")), "trace.json");
  await smsToMqtt({ n: 100, blocks: 1, trace });
  rows.push(...breakdown(trace, "+CMTI → MQTT inside cellgate"));
  rmSync(dirname(trace), { recursive: true, force: true });
  const quota = cpuQuota();
  if (quota === undefined) console.error("no CPU quota possible here (no systemd, no writable cgroup): Pi-shaped rows left out");
  else
    try {
      const where = ` under a quarter core (${quota.how})`;
      rows.push(...(await startToReady({ wrap: quota.wrap, where })));
      rows.push(...latencyRows(await smsToMqtt({ n: 100, blocks: 2, wrap: quota.wrap }), where));
    } finally {
      quota.remove();
    }
  const warmup = Math.min(60, Math.floor(window / 4));
  const [rss, heap] = await Promise.all([footprint(warmup + window), heapGrowth(warmup, window)]);
  return [...rows, ...rss, ...heap];
}

async function main(): Promise<void> {
  const window = windowArg();
  const rows: Row[] = [...(await cliStart())];

  const dir = mkdtempSync(join(tmpdir(), "cellgate-bench-"));
  const link = join(dir, "modem.pty");
  const stop = await startSimulator(link);
  try {
    const n = 2000;
    const ours: number[] = [];
    const base: number[] = [];
    await cellgateRoundTrips(link, 200); // warm-up
    await rawRoundTrips(link, 200);
    for (let round = 0; round < 5; round++) {
      ours.push(await cellgateRoundTrips(link, n));
      base.push(await rawRoundTrips(link, n));
    }
    rows.push([
      "AT round trip over a pty (round trips/s)",
      "raw serialport + parser-readline loop",
      median(ours),
      median(base),
      { ratioAtLeast: 0.9 },
    ]);
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const buf = replyStream();
  for (const chunk of [64, 4096]) {
    const ours: number[] = [];
    const base: number[] = [];
    for (let round = 0; round < 7; round++) {
      ours.push(cellgateFraming(buf, chunk));
      base.push(naiveFraming(buf, chunk));
    }
    rows.push([
      `framing + classifying replies, ${chunk}-byte reads (bytes/s)`,
      "split(/\\r?\\n/) + regex chain",
      median(ours),
      median(base),
    ]);
  }

  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < 7; round++) {
    ours.push(decodeAll((v) => decodePdu(v.pdu, { smsc: v.has_smsc }), 200));
    theirs.push(decodeAll((v) => nodePdu.parse(v.has_smsc ? v.pdu : `00${v.pdu}`), 200));
  }
  rows.push(["SMS PDU decode, the 62 reference vectors (PDUs/s)", "node-pdu 2.x parse()", median(ours), median(theirs)]);
  const right = [VECTORS.filter(cellgateRight).length, VECTORS.filter(nodePduRight).length];
  rows.push(...(await daemonRows(window)));
  rows.push(...commandPath());
  rows.push(...(await fleetRows()));
  const budget = await bridgeBudget();
  rows.push(...budget.rows);
  rows.push(...(await probeRows()));

  const load = loadavg().map((l) => l.toFixed(1));
  console.log(
    `cellgate bench — ${machine()}, node ${process.version}, ${process.platform}/${process.arch}; ` +
      `load average at the start ${load0.join(" ")}, at the end ${load.join(" ")}\n`,
  );
  console.log("| measurement | cellgate | baseline | baseline value | ratio cellgate/baseline | goal (issue 16) |");
  console.log("|---|---:|---|---:|---:|---|");
  for (const [what, baseline, ours, theirs, goal] of rows) {
    const n = (x: number) => (x < 100 ? x.toFixed(1) : fmt(x));
    // An idle baseline (0 % CPU) has no meaningful ratio.
    const ratio = theirs > 0 ? (ours / theirs).toFixed(2) : "—";
    console.log(`| ${what} | ${n(ours)} | ${baseline} | ${n(theirs)} | ${ratio} | ${verdict(goal, ours, theirs)} |`);
  }
  console.log(
    `\nreference PDU vectors right (of ${VECTORS.length}; valid: type, number, text; malformed: refused): cellgate ` +
      `${right[0]}, node-pdu ${right[1]}`,
  );
  console.log(
    `  cellgate wrong: ${
      VECTORS.filter((v) => !cellgateRight(v))
        .map((v) => v.id)
        .join(", ") || "none"
    } (strict: refuses a UDL larger than the data; --lenient decodes it)`,
  );
  console.log(
    `  node-pdu wrong: ${
      VECTORS.filter((v) => !nodePduRight(v))
        .map((v) => v.id)
        .join(", ") || "none"
    }`,
  );
  console.log(budget.report.join("\n"));
}

await main();
