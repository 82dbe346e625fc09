import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { e2eWorld, type E2eWorld } from "./e2e.js";
import { countsTable, Ledger, type Counts } from "./ledger.js";
import { waitFor } from "./pty-modem.js";

/**
 * The fault matrix's common parts: its rows, the table each file prints, and the report file
 * `npm run proof` collects them in (CELLGATE_MATRIX_REPORT, one JSON row a line).
 */
export interface MatrixRow {
  fault: string;
  counts: Counts;
  note?: string;
}

/** `npm run proof` sets it: the long version (a broker outage of 10 minutes, more Commands per fault). */
export const PROOF = process.env.CELLGATE_PROOF === "1";
/** How long the broker stays down in the long-outage case (s). */
export const OUTAGE_S = Number(process.env.CELLGATE_OUTAGE_S ?? (PROOF ? 600 : 5));
/** Commands per case: a few in `npm test`, more in the proof. */
export const PER_CASE = PROOF ? 10 : 3;

export function matrixRows(title: string) {
  const rows: MatrixRow[] = [];
  return {
    rows,
    /** Records a case's counts (also in the proof's report file), then asserts its invariant. */
    record(row: MatrixRow, expected: { refused?: number } = {}): void {
      rows.push(row);
      const report = process.env.CELLGATE_MATRIX_REPORT;
      if (report) appendFileSync(report, `${JSON.stringify(row)}\n`);
      expect(row.counts.duplicates, `${row.fault}: duplicates`).toBe(0);
      expect(row.counts.lost, `${row.fault}: lost`).toBe(0);
      expect(row.counts.refused, `${row.fault}: refused`).toBe(expected.refused ?? 0);
      expect(row.counts.run + row.counts.refused, `${row.fault}: run or refused`).toBe(row.counts.sent);
      expect(row.counts.handedOff, `${row.fault}: handed off`).toBe(row.counts.sent);
    },
    print(): void {
      console.log(`\n${title}\n\n${countsTable(rows)}\n`);
    },
  };
}

/**
 * Waits until every one of `tags` is answered (a reply, or a refusal) and handed off, then a
 * moment for anything that would come twice, and returns the counts.
 */
export async function settle(ledger: Ledger, tags: number[], ms = 60_000, what = "every Command answered"): Promise<Counts> {
  await waitFor(
    () => {
      const c = ledger.counts(tags);
      return c.lost === 0 && c.handedOff === c.sent && c.run + c.refused === c.sent;
    },
    ms,
    what,
  ).catch((err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(ledger.counts(tags))}; the modem sent ${JSON.stringify(ledger.moTexts())}`);
  });
  await new Promise((r) => setTimeout(r, 1500)); // a second run or reply would be on its way by now
  return ledger.counts(tags);
}

/** Sends `n` Commands and returns their tags. */
export function burst(ledger: Ledger, n = PER_CASE, o: { signedAt?: number } = {}): number[] {
  return Array.from({ length: n }, () => ledger.send(o));
}

/** A matrix file's world: the daemon started and back online, and the ledger that counts its Commands. */
export async function matrixWorld(o: Parameters<typeof e2eWorld>[0]): Promise<{ w: E2eWorld; ledger: Ledger }> {
  const w = await e2eWorld({ ...o, persistentApp: true });
  const journal = join(w.dir, "state", "commands", "journal.json");
  const ledger = new Ledger({ key: o.key, sim: w.modem.sim, messages: () => w.app.got, prefix: w.prefix, journal });
  w.start();
  await waitFor(() => w.events("back-online").length === 1, 60_000, "the daemon to be back online");
  return { w, ledger };
}
