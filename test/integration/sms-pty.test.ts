import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sendMoSms } from "../../src/sms/index.js";
import { PTY_BACKENDS, startPtyInbox, startPtyModem, waitFor } from "../helpers/pty-modem.js";

const SID = "DC5c7a3f0e9b1d4c2a8e6f0b3d5a7c9e1f";

// SMS and Commands end to end: the simulator on a pty, the real serialport binding, the inbox.
describe.each(PTY_BACKENDS)("SMS over a pty (%s)", (backend) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const agent = () => startPtyInbox(backend, cleanups);

  it("a Command injected into the modem reaches the consumer exactly once, SID stripped", async () => {
    const { sim, inbox, got } = await agent();
    await inbox.start();
    sim.sendFromNetwork({ text: "status", sid: SID, sidAt: "end" });
    await waitFor(() => got.length === 1 && sim.store.used("ME") === 0, 5000, "the Command");
    sim.sendFromNetwork({ text: "status", sid: SID, sidAt: "end" }); // the network delivers it again
    await waitFor(() => sim.store.used("ME") === 0 && sim.store.list("ME", 4).length === 0, 5000, "the repeat to be cleared");
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ kind: "command", sender: "2936", text: "status", sid: SID, id: `sid:${SID}` });
  });

  it("multipart in reverse order is reassembled; a foreign sender is not a Command", async () => {
    const { sim, inbox, got } = await agent();
    await inbox.start();
    const long = "The quick brown fox jumps over the lazy dog. ".repeat(8);
    sim.sendFromNetwork({ from: "+14155550123", text: long, order: "reverse" });
    await waitFor(() => got.length === 1, 5000, "the reassembled message");
    expect(got[0]).toMatchObject({ kind: "foreign", text: long, concat: { total: 3, parts: [1, 2, 3] } });
  });

  it("a full storage is drained and the message the network held arrives", async () => {
    // A Telit LE910C1: its SIM memory (30 slots) is where messages go at boot.
    const { sim, inbox, got } = await startPtyInbox(backend, cleanups, { personality: "telit-le910c1" });
    const room = sim.store.capacity("SM");
    expect(room).toBe(30);
    for (let i = 0; i < room; i++) sim.sendFromNetwork({ from: "+14155550100", text: `backlog ${i}` });
    expect(sim.sendFromNetwork({ text: "status", sid: SID })).toEqual(["held"]);
    await inbox.start();
    await waitFor(() => got.length === room + 1, 15_000, "the drain");
    expect(got.filter((m) => m.kind === "command").map((m) => m.sid)).toEqual([SID]);
    expect(sim.heldByNetwork).toBe(0);
  });

  it("an MO Command is captured by the simulator as the SUBMIT PDU to 2936", async () => {
    const { sim, modem } = await agent();
    await modem.port.command("AT+CMGF=0");
    const r = await sendMoSms({ text: "status ok" }, { sender: modem.sms, product: "programmable-wireless" });
    expect(r.mr).toBe(1);
    // Worked out by hand: SMSC 00, SUBMIT 01, MR 00, DA 04 81 9263, PID 00, DCS 00, UDL 09, 7-bit packed.
    expect(sim.sent).toEqual([{ pdu: "00010004819263000009737A985E9F83DE6B", mr: 1 }]);
  });
});

describe.each(PTY_BACKENDS)("crash safety over a pty (%s)", (backend) => {
  it("killed after reading a Command and before hand-off: after restart it is handed off once and leaves storage", async () => {
    const m = await startPtyModem(backend);
    const dir = mkdtempSync(join(tmpdir(), "cellgate-crash-"));
    const deliveries = join(dir, "deliveries.jsonl");
    const script = join(import.meta.dirname, "../fixtures/agents/inbox-agent.ts");
    const run = (flag?: string) =>
      new Promise<{ signal: NodeJS.Signals | null; out: string; child: ReturnType<typeof spawn> }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", script, m.link, join(dir, "state"), deliveries, ...(flag ? [flag] : [])],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          if (out.includes("swept")) resolve({ signal: null, out, child });
        });
        child.once("exit", (_code, signal) => resolve({ signal, out, child }));
      });
    try {
      m.sim.sendFromNetwork({ text: "reboot CONFIRM", sid: SID });
      const crashed = await run("--crash-before-ack");
      expect(crashed.signal).toBe("SIGKILL");
      expect(existsSync(deliveries)).toBe(false);
      const stored = () => m.sim.store.used("SM") + m.sim.store.used("ME");
      expect(stored()).toBe(1); // nothing was deleted

      const second = await run();
      await waitFor(() => stored() === 0, 5000, "the delete");
      second.child.kill("SIGTERM");
      await new Promise((r) => second.child.once("exit", r));
      const third = await run(); // and a further restart finds nothing to hand off
      third.child.kill("SIGTERM");
      await new Promise((r) => third.child.once("exit", r));

      const lines = readFileSync(deliveries, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; text: string });
      expect(lines).toEqual([{ id: `sid:${SID}`, kind: "command", text: "reboot CONFIRM" }]);
    } finally {
      await m.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
