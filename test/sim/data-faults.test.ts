import { describe, expect, it } from "vitest";
import { DataFaults, PERSONALITIES } from "../../src/sim/modem/index.js";
import { onTheWire, reply, urcs } from "../helpers/wire.js";

// Each data-path fault is fixed by its own step and by nothing lighter, on every personality
// (the steps as cellgate's ladder sends them: reattach = +CGACT or +CGATT 0/1, the airplane
// cycle = +CFUN=4/1, the reset = the module's reset line).
type Step = "cgact" | "cgatt" | "cfun" | "reset";
const FAULTS: Array<["dropContext" | "staleAddress" | "blackhole" | "stuckSearching", Step[], Step[]]> = [
  ["dropContext", ["cgatt", "cfun", "reset"], []],
  ["staleAddress", ["cfun", "reset"], ["cgact", "cgatt"]],
  ["blackhole", ["reset"], ["cgact", "cgatt", "cfun"]],
  ["stuckSearching", ["cfun", "reset"], ["cgact", "cgatt"]],
];

function world(id: string) {
  const w = onTheWire({ personality: id });
  const cid = id === "nordic-nrf9160" ? 0 : 1;
  const run = (step: Step) => {
    if (step === "cgact") w.tx(`AT+CGACT=1,${cid}\r`);
    for (const line of step === "cgatt" ? ["AT+CGATT=0", "AT+CGATT=1"] : step === "cfun" ? ["AT+CFUN=4", "AT+CFUN=1"] : [])
      w.tx(`${line}\r`, 5_000);
    // The module's reset line; the nRF91 has none: cellgate's reset for it is +CFUN=0, then the radio on.
    if (step === "reset") {
      w.tx(`${w.sim.personality.resets[0] ?? "AT+CFUN=0"}\r`);
      w.read(60_000);
      start();
    }
  };
  // As cellgate's init: echo off, the radio on where the module boots without it (nRF91: +CFUN: 0).
  const start = () => {
    w.tx("ATE0\r");
    if (w.sim.world.settings.cfun !== 1) w.tx("AT+CFUN=1\r", 5_000);
  };
  start();
  return { ...w, faults: new DataFaults(w.sim, w.clock), run };
}

describe("data-path faults", () => {
  for (const id of Object.keys(PERSONALITIES)) {
    it.each(FAULTS)(`${id}: %s is fixed by %j and not by %j`, (fault, fixes, not) => {
      for (const step of not) {
        const w = world(id);
        w.faults[fault]();
        w.run(step);
        expect(w.sim.dataFlows(), `${step} must not fix ${fault}`).toBe(false);
      }
      for (const step of fixes) {
        const w = world(id);
        expect(w.sim.dataFlows()).toBe(true);
        w.faults[fault]();
        expect(w.sim.dataFlows()).toBe(false);
        w.run(step);
        expect(w.sim.dataFlows(), `${step} must fix ${fault}`).toBe(true);
      }
    });
  }

  it("a dropped context shows as +CGACT: 1,0 and +CGPADDR 0.0.0.0 while +CGATT stays 1 (EC25)", () => {
    const w = world("quectel-ec25");
    w.faults.dropContext();
    expect(w.tx("AT+CGATT?\r")).toContain("+CGATT: 1");
    expect(w.tx("AT+CGACT?\r")).toContain("+CGACT: 1,0");
    expect(w.tx("AT+CGPADDR\r")).toContain('+CGPADDR: 1,"0.0.0.0"');
    w.run("cgact");
    expect(w.sim.dataFlows()).toBe(true);
  });

  it("the network's teardown is announced only after AT+CGEREP=2,1, in the form the manual lists (EC25 §10.12)", () => {
    const w = world("quectel-ec25");
    w.faults.dropContext({ byNetwork: true });
    expect(w.read()).toBe("");
    w.run("cgact");
    expect(w.tx("AT+CGEREP=2,1\r")).toBe(reply());
    w.faults.dropContext({ byNetwork: true });
    expect(w.read()).toBe(urcs(`+CGEV: NW DEACT "IP", "${w.sim.world.net.ip}", 1`));
  });

  it("the nRF91 announces the teardown of its initial PDN after AT+CGEREP=1 (§7.3)", () => {
    const w = world("nordic-nrf9160");
    expect(w.tx("AT+CGEREP=1\r")).toBe(reply());
    w.read();
    w.faults.dropContext({ byNetwork: true });
    expect(w.read()).toBe(urcs("+CGEV: NW PDN DEACT 0"));
  });

  it("RESET LOOP is said only by an nRF91 subscribed with AT%MDMEV=1, and +CFUN=0 drops the subscription", () => {
    const ec25 = world("quectel-ec25");
    expect(ec25.faults.resetLoop()).toBe(false);
    expect(ec25.tx("AT%MDMEV=1\r")).toBe("\r\nERROR\r\n");
    const w = world("nordic-nrf9160");
    expect(w.faults.resetLoop()).toBe(false);
    expect(w.read()).toBe("");
    expect(w.tx("AT%MDMEV=1\r")).toBe(reply());
    expect(w.faults.resetLoop()).toBe(true);
    expect(w.read()).toBe(urcs("%MDMEV: RESET LOOP"));
    w.tx("AT+CFUN=0\r", 5_000);
    w.read();
    expect(w.faults.resetLoop()).toBe(false);
  });

  it("a re-activated SIM stays denied (EMM #7) until a radio cycle", () => {
    const w = world("quectel-ec25");
    w.tx("AT+CEREG=2\r");
    w.faults.rejectSim(7);
    expect(w.sim.dataFlows()).toBe(false);
    w.run("cgatt");
    expect(w.sim.dataFlows()).toBe(false);
    w.run("cfun");
    expect(w.sim.dataFlows()).toBe(true);
  });

  // EF_FPLMN as TS 31.102 §4.2.16 and 24.008 §10.5.1.13 code it (310260 → 13 00 62), read and written
  // with +CRSM (27.007 §8.18); the module reads it when its radio comes on (TS 23.122 §3.1).
  it("the serving network on EF_FPLMN: denied until the list is emptied and the radio comes on again", () => {
    const w = world("quectel-ec25");
    w.tx("AT+CEREG=2\r");
    expect(w.tx("AT+CRSM=176,28539,0,0,12\r")).toBe(reply('+CRSM: 144,0,"FFFFFFFFFFFFFFFFFFFFFFFF"'));
    w.faults.forbidServingNetwork();
    expect(w.read()).toBe(urcs("+CEREG: 3"));
    expect(w.tx("AT+CRSM=176,28539,0,0,12\r")).toBe(reply('+CRSM: 144,0,"130062FFFFFFFFFFFFFFFFFF"'));
    expect(w.tx("AT+COPS=?\r", 5_000)).toContain('(3,"T-Mobile","TMO","310260",7)');
    w.run("cfun");
    expect(w.sim.dataFlows(), "a radio cycle alone reads the same list again").toBe(false);
    expect(w.tx('AT+CRSM=214,28539,0,0,12,"FFFFFFFFFFFFFFFFFFFFFFFF"\r')).toBe(reply('+CRSM: 144,0,""'));
    expect(w.sim.dataFlows(), "the module's copy counts until the radio comes on").toBe(false);
    w.run("cfun");
    expect(w.sim.dataFlows()).toBe(true);
  });

  it("+CRSM on EF_FPLMN refuses a wrong length and a file it does not have (TS 102 221 §10.2.1)", () => {
    const w = world("quectel-ec25");
    expect(w.tx("AT+CRSM=176,28539,0,0,13\r")).toBe(reply("+CRSM: 108,12"));
    expect(w.tx('AT+CRSM=214,28539,0,0,12,"FF"\r')).toBe(reply("+CRSM: 103,0"));
    expect(w.tx("AT+CRSM=176,28542,0,0,12\r")).toBe(reply("+CRSM: 106,130"));
  });

  it.each(["quectel-ec25", "nordic-nrf9160"])(
    "%s locked by hand to a network that rejects the SIM: denied until AT+COPS=0",
    (id) => {
      const w = world(id);
      w.faults.lockOperator("310410");
      expect(w.sim.dataFlows()).toBe(false);
      expect(w.tx("AT+COPS?\r")).toBe(reply("+COPS: 1"));
      w.run("cfun");
      w.run("reset");
      expect(w.sim.dataFlows(), "the lock is kept across a radio cycle and a reset").toBe(false);
      expect(w.tx("AT+COPS=0\r", 5_000)).toBe(reply());
      expect(w.sim.dataFlows()).toBe(true);
    },
  );

  it("a firmware update: START, nothing answered, END, then the module restarts", async () => {
    const w = world("quectel-ec25");
    const done = w.faults.firmwareUpdate(60_000);
    expect(w.read()).toBe(urcs('+QIND: "FOTA","START"'));
    expect(w.tx("AT\r", 30_000)).toBe("");
    w.clock.advance(30_000);
    await done;
    expect(w.read(5_000)).toContain(urcs('+QIND: "FOTA","END",0'));
  });

  it.each([
    ["quectel-ec25", "AT+QNETDEVCTL=1,1,1", reply()],
    ["quectel-ec25", "AT$QCRMCALL=1,1,1,2,1", reply("$QCRMCALL: 1,V4")], // §10.17's example
    ["simcom-sim7600", "AT$QCRMCALL=1,1", reply("$QCRMCALL: 1,V4")],
    ["telit-le910c1", "AT#ECM=1,0", reply()],
  ])("%s brings its own interface up: %s", (id, cmd, answer) => {
    expect(world(id).tx(`${cmd}\r`)).toBe(answer);
  });
});
