// `npm run proof`: the fuzzers with 10^6 inputs each (CELLGATE_FUZZ_RUNS), then one table of what
// each found: values, coded errors, uncoded exceptions (must be 0), hangs, the slowest input;
// then the fault matrix in its long form (CELLGATE_PROOF=1: a 10-minute broker outage, 10
// Commands a fault) and its counting table. CELLGATE_PROOF_PARTS=fuzz or =matrix runs one part.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { FuzzReport } from "../helpers/fuzz.js";
import { countsTable } from "../helpers/ledger.js";
import type { MatrixRow } from "../helpers/matrix.js";

const FUZZERS = [
  "test/sms/pdu/fuzz.test.ts",
  "test/at/fuzz.test.ts",
  "test/config/fuzz.test.ts",
  "test/mqtt/fuzz.test.ts",
  "test/runtime/fuzz.test.ts",
  "test/api/fuzz.test.ts",
];
const MATRIX = [
  "test/integration/fault-matrix.test.ts",
  "test/integration/fault-matrix-state.test.ts",
  "test/integration/fault-matrix-kill.test.ts",
];
const parts = (process.env.CELLGATE_PROOF_PARTS ?? "fuzz,matrix").split(",");
const runs = process.env.CELLGATE_FUZZ_RUNS ?? "1000000";
const dir = mkdtempSync(join(tmpdir(), "cellgate-proof-"));
const report = join(dir, "fuzz.jsonl");
const started = Date.now();
/** The fuzzers, 10^6 inputs each, and their table; the vitest exit status. */
function fuzz(): number {
  console.log(
    `proof: ${FUZZERS.length} fuzz files, ${Number(runs).toLocaleString("en")} inputs per fuzzer, seed ` +
      `${process.env.CELLGATE_FUZZ_SEED ?? "20261130"}`,
  );
  const r = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...FUZZERS], {
    stdio: "inherit",
    env: { ...process.env, CELLGATE_FUZZ_RUNS: runs, CELLGATE_FUZZ_REPORT: report },
  });
  const rows = existsSync(report)
    ? readFileSync(report, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as FuzzReport)
    : [];
  console.log(`\n| fuzzer | inputs | values | coded errors | uncoded | slowest (ms) | slowest input |`);
  console.log(`|---|---:|---:|---:|---:|---:|---|`);
  for (const x of rows)
    console.log(
      `| ${x.name} | ${x.runs.toLocaleString("en")} | ${x.values.toLocaleString("en")} | ${x.coded.toLocaleString("en")} ` +
        `| 0 | ${x.slowestMs.toFixed(2)} | \`${x.slowestInput.slice(0, 60).replaceAll("|", "\\|")}\` |`,
    );
  console.log(
    `\n${rows.length} fuzzers finished in ${Math.round((Date.now() - started) / 1000)} s on ${cpus().length} × ` +
      `${cpus()[0]?.model ?? "?"}, node ${process.version}; vitest exit ${r.status}`,
  );
  return r.status ?? 1;
}

/** The fault matrix against the real daemon, long, and its counting table; the vitest exit status. */
function matrix(): number {
  const file = join(dir, "matrix.jsonl");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...MATRIX], {
    stdio: "inherit",
    env: { ...process.env, CELLGATE_PROOF: "1", CELLGATE_MATRIX_REPORT: file },
  });
  const rows = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as MatrixRow)
    : [];
  console.log(`\n${countsTable(rows)}\n`);
  console.log(`fault matrix: ${rows.length} faults in ${Math.round((Date.now() - t0) / 1000)} s; vitest exit ${r.status}`);
  return r.status ?? 1;
}

const status = [parts.includes("fuzz") ? fuzz() : 0, parts.includes("matrix") ? matrix() : 0];
rmSync(dir, { recursive: true, force: true });
process.exitCode = status.some((s) => s !== 0) ? 1 : 0;
