import { appendFileSync } from "node:fs";
import fc from "fast-check";
import { isCellgateError, type ErrorCode } from "../../src/core/index.js";

/** Inputs per fuzzer: 10^4 in `npm test`; `npm run proof` sets 10^6 (CELLGATE_FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.CELLGATE_FUZZ_RUNS ?? 10_000);
/** Fixed, so a failure is reproducible; CELLGATE_FUZZ_SEED explores others. */
export const FUZZ_SEED = Number(process.env.CELLGATE_FUZZ_SEED ?? 20_261_130);
/** A test's time bound: generous per input on a loaded machine, never under two minutes. */
export const fuzzTimeout = (perInputMs: number): number => Math.max(120_000, Math.ceil(FUZZ_RUNS * perInputMs));

export interface FuzzReport {
  name: string;
  runs: number;
  seed: number;
  values: number;
  coded: number;
  slowestMs: number;
  slowestInput: string;
}

interface FuzzOptions {
  /** The codes a refusal may carry; anything else thrown (a TypeError, an uncoded Error, another code) fails the run. */
  codes: readonly ErrorCode[];
  /** One input taking longer than this is a hang. */
  hangMs?: number;
  runs?: number;
}

/** Tracks one fuzzer's outcome: values, coded refusals, and its slowest input. */
class Tally<T> {
  readonly report: FuzzReport;
  constructor(
    name: string,
    runs: number,
    readonly o: FuzzOptions,
  ) {
    this.report = { name, runs, seed: FUZZ_SEED, values: 0, coded: 0, slowestMs: 0, slowestInput: "" };
  }

  settle(input: T, started: number, err: unknown, threw: boolean): void {
    const ms = performance.now() - started;
    if (threw) {
      if (!isCellgateError(err) || !this.o.codes.includes(err.code)) throw err;
      this.report.coded++;
    } else this.report.values++;
    if (ms > this.report.slowestMs) {
      this.report.slowestMs = ms;
      this.report.slowestInput = preview(input);
    }
    if (ms > (this.o.hangMs ?? 2000)) throw new Error(`one input took ${Math.round(ms)} ms (a hang): ${preview(input)}`);
  }

  print(): FuzzReport {
    const r = this.report;
    console.log(
      `[fuzz] ${r.name}: ${r.runs} inputs (seed ${r.seed}): ${r.values} values, ${r.coded} coded errors, 0 uncoded; ` +
        `slowest ${r.slowestMs.toFixed(2)} ms: ${r.slowestInput}`,
    );
    if (process.env.CELLGATE_FUZZ_REPORT) appendFileSync(process.env.CELLGATE_FUZZ_REPORT, `${JSON.stringify(r)}\n`);
    return r;
  }
}

/** Runs `fn` on generated inputs: each must give a value or a coded CellgateError, in bounded time. */
export function fuzz<T>(name: string, arb: fc.Arbitrary<T>, fn: (input: T) => unknown, o: FuzzOptions): FuzzReport {
  const runs = o.runs ?? FUZZ_RUNS;
  const t = new Tally<T>(name, runs, o);
  fc.assert(
    fc.property(arb, (input) => {
      const started = performance.now();
      let err: unknown;
      let threw = false;
      try {
        fn(input);
      } catch (e) {
        [err, threw] = [e, true];
      }
      t.settle(input, started, err, threw);
    }),
    { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true },
  );
  return t.print();
}

/** As fuzz, for a function that resolves or rejects. */
export async function fuzzAsync<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  fn: (input: T) => Promise<unknown>,
  o: FuzzOptions,
): Promise<FuzzReport> {
  const runs = o.runs ?? FUZZ_RUNS;
  const t = new Tally<T>(name, runs, o);
  await fc.assert(
    fc.asyncProperty(arb, async (input) => {
      const started = performance.now();
      let err: unknown;
      let threw = false;
      try {
        await fn(input);
      } catch (e) {
        [err, threw] = [e, true];
      }
      t.settle(input, started, err, threw);
    }),
    // A promise that never settles (an endless page loop) fails the run here instead of hanging it.
    { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true, timeout: o.hangMs ?? 2000 },
  );
  return t.print();
}

function preview(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v, bytesAsHex) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 160 ? `${s.slice(0, 160)}… (${s.length} chars)` : s;
}

/** Bytes read better as hex than as {"0":1,"1":2…} or {"type":"Buffer","data":[…]}. */
function bytesAsHex(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return `hex:${Buffer.from(v).toString("hex")}`;
  const b = v as { type?: unknown; data?: unknown } | null;
  if (b && b.type === "Buffer" && Array.isArray(b.data)) return `hex:${Buffer.from(b.data as number[]).toString("hex")}`;
  return v;
}
