import { afterEach, describe, expect, it } from "vitest";
import { AtEngine, openSerialLink, type Urc } from "../../src/at/index.js";
import { isCellgateError } from "../../src/core/index.js";
import { Modem } from "../../src/modem/index.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "../helpers/pty-modem.js";

// The AT engine and the typed modem against the simulator over a real pty and the real
// serialport binding, once per pty helper available (socat on CI, python3 everywhere).
describe.each(PTY_BACKENDS)("over a pty (%s) with the real serialport binding", (backend) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function open(o: Parameters<typeof startPtyModem>[1] = {}, engineOpts: { timeoutMs?: number } = {}) {
    const m = await startPtyModem(backend, o);
    const link = await openSerialLink({ path: m.link });
    const engine = new AtEngine({ link, timeoutMs: engineOpts.timeoutMs ?? 2000, resyncTimeoutMs: 2000 });
    cleanups.push(async () => {
      await engine.close();
      await m.cleanup();
    });
    return { ...m, engine, modem: new Modem({ port: engine }) };
  }

  it.each(["quectel", "simcom"] as const)("init and snapshot of the %s personality", async (personality) => {
    const { modem, sim } = await open({ personality });
    const id = await modem.init();
    expect(id).toMatchObject({
      model: sim.personality.model,
      imei: sim.personality.imei,
      iccid: "8988307000012345678",
      vendor: personality,
    });
    const s = await modem.snapshot();
    expect(s.errors).toEqual({});
    expect(s.registration.eps).toMatchObject({ state: "roaming", tac: 0x2d18 });
    expect(s.operator?.numeric).toBe("310260");
    expect(s.signal?.rsrpDbm).toBe(-95);
  });

  it("a URC in the middle of a reply is not in the response, and URCs keep their order", async () => {
    const { engine, sim } = await open();
    await engine.command("ATE0");
    const urcs: Urc[] = [];
    engine.onUrc((u) => urcs.push(u));
    sim.urcInNextReply('+CMTI: "SM",7');
    sim.emitUrc('+CMTI: "SM",6');
    const r = await engine.command("AT+CSQ");
    expect(r.lines).toEqual(["+CSQ: 21,99"]);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",6', '+CMTI: "SM",7']);
  });

  it("replies dribbled byte by byte, and garbage between commands", async () => {
    const { engine, modem, sim } = await open();
    sim.dribble(true);
    await modem.init();
    sim.dribble(false);
    // Garbage while idle is a stray line (garbage during a command would be an info line,
    // which the command's parser then ignores): wait until it has arrived.
    const strays: string[] = [];
    engine.events.on("stray", (s) => strays.push(s.line));
    sim.garbage(Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a]));
    await waitFor(() => strays.length > 0, 2000, "the garbage line");
    expect((await engine.command("AT+CGATT?")).lines).toEqual(["+CGATT: 1"]);
  });

  it("a late reply after a timeout is not given to the next command", async () => {
    const { engine, sim } = await open({}, { timeoutMs: 500 });
    await engine.command("ATE0");
    sim.stall(1500);
    const err = await engine.command("AT+CSQ").catch((e: unknown) => e);
    expect(isCellgateError(err, "CG_ERR_AT_TIMEOUT")).toBe(true);
    sim.stall(0);
    const absorbed: string[][] = [];
    engine.events.on("resync", (e) => absorbed.push(e.absorbed));
    expect((await engine.command("AT+CGATT?")).lines).toEqual(["+CGATT: 1"]);
    expect(absorbed[0]).toContain("+CSQ: 21,99");
  });

  it("the SMS prompt flow through the pty", async () => {
    const { engine, sim } = await open({ personality: "simcom" });
    await engine.command("ATE0");
    const submit = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";
    const r = await engine.smsCommand(`AT+CMGS=${submit.length / 2 - 1}`, submit);
    expect(r.lines).toEqual(["+CMGS: 1"]);
    expect(sim.sent[0]?.pdu).toBe(submit);
  });

  it("the port yanked mid-command fails the command at once with a coded error", async () => {
    const { engine, sim, pty } = await open({}, { timeoutMs: 10_000 });
    await engine.command("ATE0");
    sim.hang();
    const started = Date.now();
    const pending = engine.command("AT+CSQ").catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await pty.unplug();
    const err = await pending;
    expect(isCellgateError(err, "CG_ERR_AT_CLOSED")).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(engine.isClosed).toBe(true);
  });

  it("a port another process holds is refused with what to do, not a bare lock error", async () => {
    const { link } = await open();
    const err = await openSerialLink({ path: link }).catch((e: unknown) => e);
    expect(isCellgateError(err, "CG_ERR_LINK_OPEN") && err.detail.busy).toBe(true);
    expect((err as Error).message).toMatch(/is held by another process: if cellgate is running, it holds its modem port/);
  });
});
