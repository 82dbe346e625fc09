import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AtEngine, classifyLine, createLinkPair, LineFramer } from "../../src/at/index.js";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import { drive } from "../helpers/drive.js";
import { fuzz, fuzzTimeout } from "../helpers/fuzz.js";
import { ScriptedModem } from "../helpers/scripted-modem.js";

// Random bytes, biased towards the tokens that matter to the framer and classifier.
const TOKENS = [
  "\r",
  "\n",
  "\r\n",
  "OK",
  "ERROR",
  "+CME ERROR:",
  "+CMS ERROR: 5",
  " ",
  ">",
  "> ",
  "+CMT: ,24",
  "+CDS: 5",
  "\x1a",
  "\x1b",
  "RDY",
  "+CREG: 1",
  "CONNECT",
  "MODEM ERROR: x",
  "\xff\xfe",
];
const chunk = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
  fc.constantFrom(...TOKENS).map((t) => Buffer.from(t, "latin1")),
);
const garbage = fc.array(chunk, { maxLength: 30 });

describe("fuzz: framer and classifier", () => {
  it(
    "random bytes in random chunks never throw and never lose a terminated line",
    () => {
      fuzz(
        "AT line framer and classifier",
        garbage,
        (chunks) => {
          const framer = new LineFramer(256);
          for (const c of chunks) {
            for (const tok of framer.push(c)) {
              if (tok.kind === "line") {
                const kind = classifyLine(tok.text);
                expect(["ok", "connect", "error", "cme", "cms", "info"]).toContain(kind.kind);
              }
            }
          }
          // Whatever came before, a clean OK after a terminator is always framed and final.
          const tail = framer.push(Buffer.from("\r\nOK\r\n"));
          expect(tail.some((t) => t.kind === "line" && classifyLine(t.text).kind === "ok")).toBe(true);
        },
        { codes: ["CG_ERR_AT_FRAME"] },
      );
    },
    fuzzTimeout(0.3),
  );
});

describe("fuzz: the queue never wedges", () => {
  it("garbage in a reply ends the command with a value or a coded error, and the next command still works", async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (chunks) => {
        const [host, far] = createLinkPair();
        const clock = new ManualClock();
        let reply: Buffer[] = [];
        const modem = new ScriptedModem(far, (cmd) => {
          if (cmd === "AT") return "\r\nOK\r\n";
          if (cmd === "AT+CGMI") {
            for (const c of reply) void far.write(c);
            return "\r\nOK\r\n";
          }
          if (cmd === "AT+CSQ") return "\r\n+CSQ: 18,99\r\n\r\nOK\r\n";
          return undefined;
        });
        void modem;
        const engine = new AtEngine({ link: host, clock, timeoutMs: 500, resyncQuietMs: 50 });
        reply = chunks;
        try {
          await drive(engine.command("AT+CGMI"), clock);
        } catch (err) {
          expect(err).toBeInstanceOf(CellgateError);
        }
        const r = await drive(engine.command("AT+CSQ"), clock);
        expect(r.lines).toEqual(["+CSQ: 18,99"]);
        await engine.close();
      }),
      { numRuns: 300 },
    );
  });
});
