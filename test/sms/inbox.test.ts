import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AtEngine, createLinkPair } from "../../src/at/index.js";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import { ModemSms } from "../../src/modem/index.js";
import { ModemSimulator, serveInProcess } from "../../src/sim/modem/index.js";
import { Inbox, Spool, type Consumer, type InboundMessage, type Product } from "../../src/sms/index.js";
import { drive, flush } from "../helpers/drive.js";

const SID = "DC0123456789abcdef0123456789abcdef";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The inbox against the simulator in process, time driven by a manual clock. */
async function setup(
  o: { product?: Product; consumer?: Consumer; stateDir?: string; personality?: string; retryMs?: number } = {},
) {
  const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
  const [host, far] = createLinkPair();
  const sim = new ModemSimulator({ clock, personality: o.personality ?? "quectel" });
  serveInProcess(sim, far);
  const engine = new AtEngine({ link: host, clock });
  const sms = new ModemSms(engine);
  const stateDir = o.stateDir ?? mkdtempSync(join(tmpdir(), "cellgate-inbox-"));
  if (!o.stateDir) dirs.push(stateDir);
  const got: InboundMessage[] = [];
  const consumer: Consumer = o.consumer ?? ((m) => Promise.resolve(void got.push(m)));
  const inbox = await Inbox.open({
    device: sms,
    stateDir,
    product: o.product ?? "programmable-wireless",
    clock,
    consumer,
    reassemblyTimeoutMs: 60_000,
    sweepIntervalMs: 5 * 60_000,
    retryMs: o.retryMs ?? 5_000,
  });
  const run = <T>(p: Promise<T>) => drive(p, clock, 5);
  /** Lets the inbox work until `cond` holds (URC → read → hand off → delete). */
  const until = (cond: () => boolean) =>
    run(
      (async () => {
        while (!cond()) await new Promise((r) => setImmediate(r));
      })(),
    );
  return { clock, sim, engine, sms, inbox, got, stateDir, run, until };
}

describe("Inbox: Commands from 2936", () => {
  it("a Command with IncludeSid at the end reaches the consumer once, SID stripped, and leaves storage", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    sim.sendFromNetwork({ text: "status", sid: SID, sidAt: "end" });
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
    expect(got[0]).toMatchObject({
      id: `sid:${SID}`,
      kind: "command",
      sender: "2936",
      text: "status",
      sid: SID,
      encoding: "gsm7",
      smsc: "+12063130004",
    });
    expect(got[0]!.pdus).toHaveLength(1);
    await run(inbox.stop());
  });

  it("IncludeSid at the start; the same Command re-sent by the network is not handed off again", async () => {
    const { sim, inbox, got, run, until, clock } = await setup();
    const duplicates: string[] = [];
    inbox.events.on("duplicate", (d) => duplicates.push(d.id));
    await run(inbox.start());
    sim.sendFromNetwork({ text: "ping 8.8.8.8", sid: SID, sidAt: "start" });
    await until(() => got.length === 1);
    clock.advance(60_000);
    sim.sendFromNetwork({ text: "ping 8.8.8.8", sid: SID, sidAt: "start" }); // a later SCTS, same SID
    await until(() => duplicates.length === 1 && sim.store.used("ME") === 0);
    expect(got.map((m) => m.text)).toEqual(["ping 8.8.8.8"]);
    await run(inbox.stop());
  });

  it("matches the sender leniently: +2936, national or unknown type of address", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    sim.sendFromNetwork({ from: "+2936", text: "a" });
    sim.sendFromNetwork({ from: "2936", fromToa: 0xa1, text: "b" });
    await until(() => got.length === 2);
    expect(got.map((m) => [m.kind, m.sender, m.text])).toEqual([
      ["command", "+2936", "a"],
      ["command", "2936", "b"],
    ]);
  });

  it("Super SIM Commands come from 000; 2936 is then a foreign sender", async () => {
    const { sim, inbox, got, run, until } = await setup({ product: "super-sim" });
    await run(inbox.start());
    sim.sendFromNetwork({ from: "000", text: "reboot" });
    sim.sendFromNetwork({ from: "2936", text: "reboot" });
    await until(() => got.length === 2);
    expect(got.map((m) => [m.sender, m.kind])).toEqual([
      ["000", "command"],
      ["2936", "foreign"],
    ]);
  });

  it("a binary Command is carried as bytes", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    sim.sendFromNetwork({ data: Uint8Array.from([0, 1, 2, 0xff]) });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ kind: "command", encoding: "8bit", dataBase64: "AAEC/w==" });
    expect(got[0]!.text).toBeUndefined();
  });
});

describe("Inbox: other messages", () => {
  it("a foreign sender is handed off as foreign, never as a Command", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    sim.sendFromNetwork({ from: "+14155550100", text: "reboot now", sid: SID });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ kind: "foreign", sender: "+14155550100", text: `reboot now ${SID}` });
    expect(got[0]!.sid).toBeUndefined();
  });

  it("an undecodable PDU is handed off raw with its error, then deleted", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    const bad = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD0"; // one octet short
    sim.deliverSms({ pdu: bad });
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
    expect(got[0]).toMatchObject({ kind: "undecodable", pdus: [bad], error: { code: "CG_ERR_PDU_DECODE" } });
  });

  it("UCS2 and multipart in reverse order are reassembled", async () => {
    const { sim, inbox, got, run, until } = await setup();
    await run(inbox.start());
    const text = "Привет! ".repeat(20); // 160 UCS2 units: three parts
    sim.sendFromNetwork({ from: "+79642161111", text, order: "reverse" });
    await until(() => got.length === 1 && inbox.heldParts === 0);
    expect(got[0]).toMatchObject({ kind: "foreign", encoding: "ucs2", text, concat: { total: 3, parts: [1, 2, 3] } });
    expect(got[0]!.pdus).toHaveLength(3);
    expect(inbox.heldParts).toBe(0);
  });
});

describe("Inbox: never lose one", () => {
  it("what was stored before start is swept; a full storage is drained and the network's held message arrives", async () => {
    // A Telit LE910C1 keeps messages in its SIM's 30 slots: they fill up before cellgate runs,
    // and one more waits at the network.
    const { sim, inbox, got, run, until } = await setup({ personality: "telit-le910c1" });
    for (let i = 0; i < sim.store.capacity("SM"); i++) sim.sendFromNetwork({ from: "+15550001", text: `old ${i}` });
    expect(sim.sendFromNetwork({ text: "status", sid: SID })).toEqual(["held"]);
    await run(inbox.start());
    await until(() => got.length === 31);
    expect(got.filter((m) => m.kind === "command").map((m) => m.text)).toEqual(["status"]);
    expect(sim.heldByNetwork).toBe(0);
    expect(sim.store.used("SM") + sim.store.used("ME")).toBe(0);
  });

  it("a consumer that fails leaves the SMS in storage; it is handed off on the retry", async () => {
    let fail = true;
    const got: InboundMessage[] = [];
    const { sim, inbox, run, until, clock } = await setup({
      consumer: (m) => {
        if (fail) return Promise.reject(new Error("broker down"));
        got.push(m);
        return Promise.resolve();
      },
    });
    const failed: string[] = [];
    inbox.events.on("failed", (f) => failed.push(f.error));
    await run(inbox.start());
    sim.sendFromNetwork({ text: "status" });
    await until(() => failed.length === 1);
    expect(sim.store.used("ME")).toBe(1);
    fail = false;
    clock.advance(5_000);
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
  });

  it("parts survive a restart of the agent", async () => {
    const first = await setup();
    await first.run(first.inbox.start());
    first.sim.sendFromNetwork({ from: "+15550002", text: "x".repeat(200), order: [2], ref: 9 });
    await first.until(() => first.inbox.heldParts === 1 && first.sim.store.used("ME") === 0);
    await first.run(first.inbox.stop());

    const second = await setup({ stateDir: first.stateDir });
    await second.run(second.inbox.start());
    second.sim.sendFromNetwork({ from: "+15550002", text: "x".repeat(200), order: [1], ref: 9 });
    await second.until(() => second.got.length === 1);
    expect(second.got[0]).toMatchObject({ text: "x".repeat(200), concat: { ref: 9, total: 2, parts: [1, 2] } });
  });

  it("an incomplete message is handed off, flagged, when it expires", async () => {
    const { sim, inbox, got, run, until, clock } = await setup();
    await run(inbox.start());
    sim.sendFromNetwork({ from: "+15550003", text: "y".repeat(400), order: [1, 3], ref: 4 }); // 153 + 153 + 94 septets
    await until(() => inbox.heldParts === 2);
    clock.advance(61_000);
    await run(inbox.sweep());
    await flush();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ incomplete: true, concat: { ref: 4, total: 3, parts: [1, 3] } });
    expect(inbox.heldParts).toBe(0);
  });

  it("without a consumer, messages go to the spool in the state directory", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cellgate-spool-"));
    dirs.push(stateDir);
    const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
    const [host, far] = createLinkPair();
    const sim = new ModemSimulator({ clock });
    serveInProcess(sim, far);
    const inbox = await Inbox.open({
      device: new ModemSms(new AtEngine({ link: host, clock })),
      stateDir,
      product: "programmable-wireless",
      clock,
      reassemblyTimeoutMs: 30 * 60_000,
      sweepIntervalMs: 5 * 60_000,
    });
    await drive(inbox.start(), clock, 5);
    sim.sendFromNetwork({ text: "status", sid: SID });
    await drive(
      (async () => {
        while (sim.store.used("ME") > 0 || readdirSync(join(stateDir, "spool")).length === 0)
          await new Promise((r) => setImmediate(r));
      })(),
      clock,
      5,
    );
    expect((await new Spool(join(stateDir, "spool")).list()).map((m) => [m.id, m.text])).toEqual([[`sid:${SID}`, "status"]]);
  });
});

describe("Inbox: +CMS ERROR: 322", () => {
  it("a memory-full error on a read drains storage at once", async () => {
    // The ordinary retry is an hour away: only the drain on 322 can deliver in time.
    const { sim, inbox, got, run, until, sms } = await setup({ retryMs: 3_600_000 });
    await run(inbox.start());
    // The modem answers the +CMTI read with memory full; the sweep that follows still gets it.
    const realRead = sms.read.bind(sms);
    let refused = false;
    sms.read = (index, memory, signal) => {
      if (!refused) {
        refused = true;
        return Promise.reject(new CellgateError("CG_ERR_AT_CMS", "+CMS ERROR: 322", { errorCode: 322 }));
      }
      return realRead(index, memory, signal);
    };
    sim.sendFromNetwork({ text: "status" });
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
    expect(refused).toBe(true);
  });
});

describe("Inbox: a state directory that cannot be written", () => {
  it("a part that cannot be held durably stays on the modem and is not held in memory; it is taken once it can be", async () => {
    const { sim, inbox, got, run, until, clock, stateDir } = await setup();
    const failed: string[] = [];
    inbox.events.on("failed", (f) => failed.push(f.error));
    // parts.json is a non-empty directory: renaming the new file over it fails, even for root.
    mkdirSync(join(stateDir, "parts.json", "x"), { recursive: true });
    await run(inbox.start());
    sim.sendFromNetwork({ from: "+15550009", text: "z".repeat(200), ref: 7 });
    await until(() => failed.length >= 2);
    expect(failed[0]).toMatch(/^CG_ERR_STATE_IO: cannot write .*parts\.json/);
    expect(sim.store.used("ME")).toBe(2);
    expect(inbox.heldParts).toBe(0);
    rmSync(join(stateDir, "parts.json"), { recursive: true });
    clock.advance(5_000);
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
    expect(got[0]).toMatchObject({ text: "z".repeat(200), concat: { ref: 7, total: 2, parts: [1, 2] } });
  });
});

describe("Inbox: +CMTI storms", () => {
  it("repeated +CMTI for one slot are merged: a storm costs a read or two, and a real Command behind it is not delayed", async () => {
    const { sim, inbox, got, run, until, sms } = await setup();
    let reads = 0;
    const realRead = sms.read.bind(sms);
    sms.read = (index, memory, signal) => {
      reads++;
      return realRead(index, memory, signal);
    };
    await run(inbox.start());
    for (let i = 0; i < 5000; i++) sim.emitUrc('+CMTI: "ME",7'); // an empty slot, announced 5,000 times
    sim.sendFromNetwork({ text: "status", sid: SID });
    await until(() => got.length === 1 && sim.store.used("ME") === 0);
    expect(got[0]).toMatchObject({ text: "status", sid: SID });
    expect(reads).toBeLessThanOrEqual(4); // the storm's slot once or twice (a repeat after its read began), the Command's slot
  });
});
