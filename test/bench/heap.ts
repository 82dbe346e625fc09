/**
 * 8. Heap over time: does `cellgate run` keep objects it should let go? The daemon works hard —
 *    a modem poll and a telemetry sample every second, an SMS through the inbox every two — and
 *    V8 heap snapshots (--heapsnapshot-signal, which collects garbage first) are taken after a
 *    warm-up and again a while later. Compiled code, hidden classes and other engine-internal
 *    nodes are left out: they grow while V8 warms up and are not ours to free. Baseline: a bare
 *    node process importing the same packages, snapshotted at the same moments.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchWorld, busyWork, config, daemon, type Row } from "./daemon.js";

const ROOT = join(import.meta.dirname, "../..");
const ENGINE_TYPES = new Set(["code", "hidden", "object shape", "synthetic"]);

/** Bytes of the snapshot's nodes that are program data (not compiled code or engine internals). */
function dataBytes(file: string): number {
  const s = JSON.parse(readFileSync(file, "utf8")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [iType, iSize] = [fields.indexOf("type"), fields.indexOf("self_size")];
  let bytes = 0;
  for (let i = 0; i < s.nodes.length; i += fields.length)
    if (!ENGINE_TYPES.has(types[s.nodes[i + iType]!]!)) bytes += s.nodes[i + iSize]!;
  return bytes;
}

/** Asks `p` for a heap snapshot (SIGUSR2) into `dir` and waits until it is written. */
async function snapshot(p: ChildProcess, dir: string): Promise<number> {
  const before = new Set(readdirSync(dir));
  p.kill("SIGUSR2");
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const file = readdirSync(dir).find((f) => f.endsWith(".heapsnapshot") && !before.has(f));
    if (file === undefined) continue;
    const size = statSync(join(dir, file)).size;
    await new Promise((r) => setTimeout(r, 500));
    if (statSync(join(dir, file)).size !== size || size === 0) continue;
    const bytes = dataBytes(join(dir, file));
    rmSync(join(dir, file));
    return bytes;
  }
  throw new Error("no heap snapshot written");
}

export async function heapGrowth(warmupS: number, windowS: number): Promise<Row[]> {
  const main = join(ROOT, "dist/cli/main.js"); // built by the earlier daemon benchmarks
  const tmp = mkdtempSync(join(tmpdir(), "cellgate-bench-snapshots-"));
  const flags = ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${tmp}`];
  const w = await benchWorld("heap", flags);
  const work = busyWork(w);
  const d = daemon(main, config(w.dir, w.link, w.broker, w.api, { busy: true }), w.apiEnv, flags);
  try {
    await new Promise((r) => setTimeout(r, warmupS * 1000));
    const [d0, b0] = [await snapshot(d, tmp), await snapshot(w.bare, tmp)];
    const sms0 = work.sent();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const [d1, b1] = [await snapshot(d, tmp), await snapshot(w.bare, tmp)];
    return [
      [
        `cellgate run, JS heap (program data) after ${warmupS} s of 1-s polls and telemetry (KB)`,
        `${w.baseline}, same moments`,
        d0 / 1024,
        b0 / 1024,
      ],
      [
        `… its growth over the next ${windowS} s: ${windowS} polls, ${work.sent() - sms0} SMS, seen-set full (KB)`,
        "the same bare node process",
        (d1 - d0) / 1024,
        (b1 - b0) / 1024,
        { valueAtMost: 0 },
      ],
    ];
  } finally {
    work.stop();
    await w.close(d);
    rmSync(tmp, { recursive: true, force: true });
  }
}
