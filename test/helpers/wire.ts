import { ManualClock } from "../../src/core/index.js";
import { ModemSimulator, type ModemSimulatorOptions } from "../../src/sim/modem/index.js";

/**
 * A simulated module and what it puts on the wire, byte for byte, with no engine in between:
 * `tx` writes bytes and returns what came back within `ms` of simulated time, `read` what came
 * since (URCs, late answers), `chunks` every write as it was made.
 */
export function onTheWire(o: ModemSimulatorOptions) {
  const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
  const sim = new ModemSimulator({ clock, latencyMs: 1, bootMs: 100, ...o });
  let wire = "";
  const chunks: string[] = [];
  sim.connect((b) => {
    wire += b.toString("latin1");
    chunks.push(b.toString("latin1"));
  });
  const read = (ms = 5) => {
    clock.advance(ms);
    const out = wire;
    wire = "";
    return out;
  };
  const tx = (text: string, ms = 5) => {
    wire = "";
    sim.input(Buffer.from(text, "latin1"));
    return read(ms);
  };
  return { sim, clock, tx, read, chunks };
}

/** Information lines then OK, each framed `\r\n…\r\n` (V.250 §5.7.1, verbose results). */
export const reply = (...lines: string[]) => [...lines, "OK"].map((l) => `\r\n${l}\r\n`).join("");
/** Unsolicited lines, each framed `\r\n…\r\n`. */
export const urcs = (...lines: string[]) => lines.map((l) => `\r\n${l}\r\n`).join("");
