import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited } from "../helpers/daemon-proc.js";
import type { E2eWorld } from "../helpers/e2e.js";
import type { Ledger } from "../helpers/ledger.js";
import { type Counts } from "../helpers/ledger.js";
import { matrixRows, matrixWorld, PER_CASE, settle } from "../helpers/matrix.js";
import { waitFor } from "../helpers/pty-modem.js";

// The fault matrix, part 3: the daemon killed with SIGKILL at each step of the SMS path, then
// started again (as systemd would). Each kill is triggered by what the modem or the broker sees
// at that step, so it lands there and not a moment later. Counted per Command: every one handed
// off, run and answered exactly once (fault-matrix.test.ts explains the counting).
const KEY = "fault matrix kill key 0123456789abcdef";
const m = matrixRows("Fault matrix: kill -9 along the SMS path");
let w: E2eWorld;
let ledger: Ledger;

beforeAll(async () => {
  ({ w, ledger } = await matrixWorld({ id: "matrix-kill", key: KEY, modemYaml: ["pollS: 5"] }));
}, 90_000);

afterAll(async () => {
  m.print();
  if (process.env.CELLGATE_MATRIX_LOG) writeFileSync(`${process.env.CELLGATE_MATRIX_LOG}.kill`, w.out.logs);
  await w?.close();
});

/** SIGKILL the daemon now (from inside the event that marks the step), and start it again once it is gone. */
async function killAndRestart(): Promise<void> {
  const d = w.daemon()!;
  if (d.exitCode === null && d.signalCode === null) d.kill("SIGKILL");
  await exited(d);
  const before = w.events("back-online").length;
  w.start();
  await waitFor(() => w.events("back-online").length > before, 60_000, "the restarted daemon back online");
}

/** Kills the daemon the first time the modem hears a line matching `at`. */
function killOn(at: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const off = w.modem.sim.events.on("command", (line) => {
      if (!at.test(line)) return;
      off();
      w.daemon()!.kill("SIGKILL");
      resolve();
    });
  });
}

const row = (fault: string, counts: Counts, note: string) => m.record({ fault, counts, note });

/** One Command, the daemon killed when the modem hears `at` for it, started again; then more Commands. */
async function killedAt(at: RegExp, fault: string): Promise<void> {
  const killed = killOn(at);
  const tags = [ledger.send()];
  await killed;
  await killAndRestart();
  tags.push(...Array.from({ length: PER_CASE - 1 }, () => ledger.send()));
  row(fault, await settle(ledger, tags), `SIGKILL when the modem hears ${at.source.slice(1).replace("\\", "")}`);
}

describe("kill -9 at every step of the SMS path", () => {
  it("before the hand-off: killed as it reads the SMS (AT+CMGR)", async ({ onTestFailed }) => {
    onTestFailed(() => console.log(w.out.logs.slice(-6000)));
    await killedAt(/^AT\+CMGR/, "kill -9 before the hand-off (at AT+CMGR)");
  }, 120_000);

  it("between the hand-off and the delete: killed as it deletes, the delete lost", async ({ onTestFailed }) => {
    onTestFailed(() => console.log(w.out.logs.slice(-6000)));
    const killed = new Promise<void>((resolve) =>
      w.modem.sim.loseNext(/^AT\+CMGD/, () => resolve(void w.daemon()!.kill("SIGKILL"))),
    );
    const tags = [ledger.send()];
    await killed;
    expect(ledger.counts(tags).handedOff).toBe(1);
    expect(w.modem.sim.store.used("ME")).toBe(1); // still on the modem for the restart to find
    await killAndRestart();
    tags.push(...Array.from({ length: PER_CASE - 1 }, () => ledger.send()));
    const counts = await settle(ledger, tags);
    await waitFor(() => w.modem.sim.store.used("ME") === 0, 30_000, "the SMS deleted after the restart");
    row(
      "kill -9 between hand-off and delete",
      counts,
      "SIGKILL as AT+CMGD leaves the daemon; the delete never reaches the modem",
    );
  }, 120_000);

  it("during a Command: killed while modem-reset runs; reported interrupted, not run again", async ({ onTestFailed }) => {
    onTestFailed(() => console.log(w.out.logs.slice(-6000)));
    const killed = killOn(/^AT\+CFUN=1,1/);
    const sid = `DC${"f".repeat(32)}`;
    w.modem.sim.sendFromNetwork({ text: ledger.sign("modem-reset"), sid, sidAt: "end" });
    await killed;
    await killAndRestart();
    const answers = () => ledger.moTexts().filter((t) => t.startsWith("modem-reset "));
    await waitFor(() => answers().length === 1, 30_000, "the interrupted Command's answer");
    const counts = await settle(
      ledger,
      Array.from({ length: PER_CASE - 1 }, () => ledger.send()),
    );
    // The modem-reset itself, counted by hand (it is not a ping): once handed off, started once, answered once.
    expect(answers()).toEqual(["modem-reset interrupted by a restart; not run again"]);
    expect(w.received(sid)).toHaveLength(1);
    expect(w.events("command-run").filter((e) => e.json.verb === "modem-reset")).toEqual([]);
    expect(w.events("command-interrupted").filter((e) => e.json.verb === "modem-reset")).toHaveLength(1);
    const one = (k: "sent" | "handedOff" | "run" | "replied") => counts[k] + 1;
    row(
      "kill -9 during a Command (modem-reset)",
      { ...counts, sent: one("sent"), handedOff: one("handedOff"), run: one("run"), replied: one("replied") },
      "SIGKILL when the modem hears AT+CFUN=1,1; answered `interrupted by a restart; not run again`",
    );
  }, 150_000);

  it("during a reply: killed as the reply's AT+CMGS reaches the modem", async ({ onTestFailed }) => {
    onTestFailed(() => console.log(w.out.logs.slice(-6000)));
    await killedAt(/^AT\+CMGS/, "kill -9 during a reply (at AT+CMGS)");
  }, 120_000);
});
