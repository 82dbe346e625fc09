import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PROFILES } from "../../src/modem/index.js";
import { startReplay } from "../helpers/replay-modem.js";
import { allEvents, loadTranscript, TRANSCRIPT_DIR, transcriptFiles } from "../helpers/transcript.js";
import type { ReplayCase } from "./replay/case.js";
import { OTHERS } from "./replay/others.js";
import { QUECTEL } from "./replay/quectel.js";
import { SIMCOM } from "./replay/simcom.js";
import { UBLOX } from "./replay/ublox.js";

/**
 * Real modem byte streams (test/fixtures/transcripts, public debug logs) through the real AtEngine:
 * a scripted far end answers each command the engine writes with what the logged modem sent after
 * the logged host wrote it, chunk by chunk; the engine's own extra lines (its start-up resync `AT`,
 * a resync after a timeout) get a plausible `OK`. Each case says what the engine must make of it.
 */
const CASES: ReplayCase[] = [...QUECTEL, ...SIMCOM, ...UBLOX, ...OTHERS];

describe("transcripts: the loader", () => {
  it("reads every file, each with its source; the exact ones are those the README lists", () => {
    const files = transcriptFiles();
    expect(files).toHaveLength(35);
    const exact = files.flatMap((f) =>
      loadTranscript(f.slice(0, 2)).blocks.flatMap((b, i, all) =>
        b.fidelity === "exact" ? [all.length > 1 ? `${f.slice(0, 2)}${"ab"[i]}` : f.slice(0, 2)] : [],
      ),
    );
    expect(exact).toEqual(["01", "02", "03", "05", "10", "14", "19a", "19b", "21a", "22", "24", "32", "34"]);
    const readme = readFileSync(`${TRANSCRIPT_DIR}README.md`, "utf8");
    expect(readme).toContain(
      "Exact: 01 (rebuilt\nfrom the logged byte counts, every chunk checked), 02, 03, 05, 10, 14, 19, 21 (a), 22, 24, 32, 34.",
    );
    for (const f of files) expect(loadTranscript(f.slice(0, 2)).source).toMatch(/github|lists\.freedesktop\.org|repository/i);
  });

  it("keeps exact bytes, frames line-level lines, and marks what the log does not show", () => {
    const ex = allEvents(loadTranscript("05")).map((e) => e.bytes.toString("latin1"));
    expect(ex.slice(0, 2)).toEqual(["\r\n+CEREG: 2,0\r\n\r", "\nOK\r\n"]);
    const lines = allEvents(loadTranscript("07"));
    expect(lines.slice(0, 3).map((e) => [e.form, e.bytes.toString()])).toEqual([
      ["line", "\r\n+CREG: 2\r\n"],
      ["line", "\r\n"],
      ["line", "\r\n+CEREG: 2,,,,,,,,\r\n"],
    ]);
    const cut = allEvents(loadTranscript("14")).at(-1)!;
    expect([cut.form, cut.bytes.toString(), cut.note]).toEqual([
      "cut",
      "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DON",
      "(excerpt ends)",
    ]);
    const inferred = allEvents(loadTranscript("09"))[3]!;
    expect([inferred.bytes.toString(), inferred.note]).toEqual(["AT+COPS=3,2;+COPS?\r", "(inferred; see above)"]);
    const payload = allEvents(loadTranscript("31")).find((e) => e.dir === "host" && e.form === "placeholder");
    expect(payload?.bytes).toHaveLength(0);
  });

  it("every transcript has a replay case", () => {
    expect(CASES.map((c) => c.id).sort()).toEqual(transcriptFiles().map((f) => f.slice(0, 2)));
  });
});

describe("transcripts: the engine replays them", () => {
  for (const c of CASES) {
    const t = loadTranscript(c.id);
    it(t.title, async () => {
      const r = await startReplay(c.events?.(t) ?? allEvents(t), {
        urcs: PROFILES[c.vendor].urcs,
        ...(c.engine ? { engine: c.engine } : {}),
      });
      const got = [];
      for (const [cmd, , pdu] of c.steps) got.push({ cmd, ...(await r.run(cmd, pdu)) });
      expect(got).toEqual(c.steps.map(([cmd, outcome]) => ({ cmd, ...outcome })));
      expect({ urcs: r.urcs, strays: r.strays }).toEqual({ urcs: c.urcs ?? [], strays: c.strays ?? [] });
      expect({
        extras: r.far.extras,
        unexpected: r.far.unexpected,
        skipped: r.far.skipped,
        unanswered: r.far.unanswered,
      }).toEqual({
        extras: c.extras ?? ["AT"],
        unexpected: [],
        skipped: c.skipped ?? [],
        unanswered: [],
      });
      c.check?.(r.raw, r.urcs);
      await r.engine.close();
    });
  }
});
