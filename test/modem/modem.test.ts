import { describe, expect, it } from "vitest";
import { AtEngine, createLinkPair, type AtCommandOptions } from "../../src/at/index.js";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import { Modem, type Registration } from "../../src/modem/index.js";
import { ModemSimulator, serveInProcess, type ModemSimulatorOptions } from "../../src/sim/modem/index.js";
import { drive, flush } from "../helpers/drive.js";

// The typed modem against the simulator, in process (the pty + serialport runs are in test/integration).
function setup(o: ModemSimulatorOptions = {}, modemOpts: { pin?: string } = {}) {
  const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
  const [host, far] = createLinkPair();
  const sim = new ModemSimulator({ clock, ...o });
  serveInProcess(sim, far);
  const engine = new AtEngine({ link: host, clock });
  const modem = new Modem({ port: engine, clock, ...modemOpts });
  return { clock, sim, engine, modem, run: <T>(p: Promise<T>) => drive(p, clock, 5) };
}

describe.each(["quectel", "simcom"] as const)("Modem on the %s simulator", (personality) => {
  it("init: echo off, identity, ICCID in the vendor's form, vendor profile", async () => {
    const { modem, run, sim } = setup({ personality });
    const id = await run(modem.init());
    expect(id).toEqual({
      manufacturer: sim.personality.manufacturer,
      model: sim.personality.model,
      revision: sim.personality.revision,
      imei: sim.personality.imei,
      iccid: "8988307000012345678",
      imsi: "310260123456789",
      vendor: personality,
    });
    expect(sim.world.settings.echo).toBe(false);
    expect(sim.world.settings.cmee).toBe(1);
    expect([sim.world.settings.cregN, sim.world.settings.cgregN, sim.world.settings.ceregN]).toEqual([2, 2, 2]);
  });

  it("snapshot: SIM, signal, serving cell, registration, operator, attach, PDP, time", async () => {
    const { modem, run, sim } = setup({ personality });
    await run(modem.init());
    const s = await run(modem.snapshot());
    expect(s.errors).toEqual({});
    expect(s.sim).toBe("ready");
    expect(s.signal?.rssiDbm).toBe(-71);
    expect(s.signal).toMatchObject({ rsrpDbm: -95, rsrqDb: -10 });
    expect(s.servingCell).toMatchObject({ rat: "LTE", mcc: "310", mnc: "260", tac: 0x2d18, ci: 0x3089f02 });
    // SIMCom's +CEREG? read has no <AcT> (A76XX §5.2.2): the radio comes from +CPSI instead.
    expect(s.registration.eps).toMatchObject({ state: "roaming", roaming: true, tac: 0x2d18, ci: 0x3089f02 });
    expect(s.registration.eps?.act).toBe(personality === "quectel" ? "lte" : undefined);
    expect(s.rat).toBe("lte");
    expect(s.registration.cs).toMatchObject({ state: "roaming", lac: 0x2d18 });
    expect(s.operator).toEqual({ mode: 0, name: "T-Mobile", numeric: "310260", mcc: "310", mnc: "260", act: "lte" });
    expect(s.attached).toBe(true);
    // The APN is whatever the module was left with (the SIM7600's default context has none).
    expect(s.pdp).toEqual([{ cid: 1, type: "IP", apn: sim.world.settings.pdp[0]!.apn, address: "10.64.12.3" }]);
    expect(s.networkTime?.tzMinutes).toBe(-480);
    expect(s.networkTime?.epochMs).toBe(Date.parse("2026-11-26T12:00:00Z"));
  });

  it("what the modem lacks is learned once per boot: refused, not asked again until it restarts", async () => {
    const { modem, run, sim } = setup({ personality });
    const asked: string[] = [];
    sim.events.on("command", (c) => asked.push(c));
    await run(modem.init());
    const first = await run(modem.snapshot());
    expect(first.rat).toBe("lte");
    expect(first.capabilities).toContainEqual(expect.objectContaining({ command: "AT+C5GREG?", state: "unsupported" }));
    expect(first.capabilities).toContainEqual({ command: "AT+CEREG?", state: "supported" });
    await run(modem.snapshot());
    expect(asked.filter((c) => c === "AT+C5GREG?")).toHaveLength(1);
    await run(modem.init()); // a restart: asked again
    await run(modem.snapshot());
    expect(asked.filter((c) => c === "AT+C5GREG?")).toHaveLength(2);
  });

  it("registration URCs become typed events", async () => {
    const { modem, run, sim, clock } = setup({ personality });
    await run(modem.init());
    const seen: Registration[] = [];
    modem.events.on("registration", (r) => seen.push(r));
    sim.setNetwork({ eps: 2, cs: 2, ps: 2 });
    await flush();
    clock.advance(10);
    await flush();
    expect(seen.map((r) => [r.domain, r.state])).toEqual([
      ["cs", "searching"],
      ["ps", "searching"],
      ["eps", "searching"],
    ]);
  });
});

describe("Modem: SIM states", () => {
  it("enters the configured PIN, masked on the wire log", async () => {
    const { modem, run, sim } = setup({ sim: { pin: "4321" } }, { pin: "4321" });
    const id = await run(modem.init());
    expect(sim.world.sim.unlocked).toBe(true);
    expect(id.imsi).toBe("310260123456789");
  });

  it("a locked SIM without a configured PIN: identity still reads, IMSI is null", async () => {
    const { modem, run } = setup({ sim: { pin: "4321" } });
    const id = await run(modem.init());
    expect(id.imsi).toBeNull();
    expect(await run(modem.simState())).toBe("sim-pin");
  });

  it("no SIM: +CME ERROR: 10 is the state `absent`, and the ICCID is null", async () => {
    const { modem, run } = setup({ sim: { present: false } });
    const id = await run(modem.init());
    expect(id.iccid).toBeNull();
    expect(await run(modem.simState())).toBe("absent");
  });
});

describe("Modem: a freshly booted modem", () => {
  it("vendor URCs arriving in the middle of AT+CGMI are not taken for the manufacturer", async () => {
    const { modem, run, sim, engine } = setup();
    const urcs: string[] = [];
    engine.onUrc((u) => urcs.push(u.line));
    sim.events.on("command", (c) => {
      if (c === "AT+CGMI") sim.urcInNextReply("+QIND: SMS DONE");
    });
    const id = await run(modem.init());
    expect(id.manufacturer).toBe("Quectel");
    expect(urcs).toContain("+QIND: SMS DONE");
  });

  it("the context's address comes from +CGPADDR (+CGDCONT? shows 0.0.0.0); a modem without +CGPADDR keeps +CGDCONT?'s", async () => {
    const { modem, run, sim } = setup();
    await run(modem.init());
    expect(await run(modem.port.command("AT+CGDCONT?"))).toMatchObject({
      lines: ['+CGDCONT: 1,"IP","wireless.twilio.com","0.0.0.0",0,0,0,0'],
    });
    expect(await run(modem.pdpContexts())).toEqual([{ cid: 1, type: "IP", apn: "wireless.twilio.com", address: "10.64.12.3" }]);
    sim.setNetwork({ attached: false });
    expect(await run(modem.pdpContexts())).toEqual([{ cid: 1, type: "IP", apn: "wireless.twilio.com" }]);
    // An older modem: ERROR to +CGPADDR, the dynamic address shown in +CGDCONT?.
    const port = modem.port;
    const old = new Modem({
      port: {
        command: (cmd: string, o?: AtCommandOptions) =>
          cmd === "AT+CGPADDR"
            ? Promise.reject(new CellgateError("CG_ERR_AT_ERROR", `${cmd}: ERROR`))
            : cmd === "AT+CGDCONT?"
              ? Promise.resolve({ command: cmd, lines: ['+CGDCONT: 1,"IP","wireless.twilio.com","10.1.2.3",0,0'], final: "OK" })
              : port.command(cmd, o),
        smsCommand: (cmd, payload, o) => port.smsCommand(cmd, payload, o),
        onUrc: (cb) => port.onUrc(cb),
        addUrcs: (specs) => port.addUrcs(specs),
      },
    });
    expect(await run(old.pdpContexts())).toEqual([{ cid: 1, type: "IP", apn: "wireless.twilio.com", address: "10.1.2.3" }]);
  });

  it("a Quectel BG95 (no +QENG): the serving cell from +QCSQ and +QNWINFO, the radio LTE-M, +QENG not asked again", async () => {
    const { modem, run, sim } = setup({ personality: "quectel-bg95" });
    const asked: string[] = [];
    sim.events.on("command", (c) => asked.push(c));
    await run(modem.init());
    const s = await run(modem.snapshot());
    expect(s.servingCell).toMatchObject({ source: "+QCSQ", rat: "eMTC", rsrpDbm: -95, rsrqDb: -10, sinrDb: 12, band: "B66" });
    expect(s.rat).toBe("lte-m");
    expect(s.registration.eps).toMatchObject({ state: "roaming", act: "ec-gsm-iot" }); // BG9x: <AcT> 8 is Cat-M1
    await run(modem.snapshot());
    expect(asked.filter((c) => c.startsWith("AT+QENG"))).toHaveLength(1);
  });
});
