import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions } from "../../../src/sim/modem/index.js";
import { quectelBg95 } from "../../../src/sim/modem/personalities/quectel-bg95.js";
import { onTheWire, reply, urcs } from "../../helpers/wire.js";

// The BG95-M3 personality driven byte for byte, no engine. Its manual was not readable, so each test
// names the source the fact sheet (docs/modems/quectel-bg95.md) took the fact from: CAP (a
// BG95-M3 capture), MT77 (MikroTik's BG77 guide), ATAT (a BG9x driver quoting the manual), RAK96, LOG96,
// FIN (BG96/BG77 logs), LJ (BG95 manual §4.7 +QCSQ), or "EC2x hint" (the EC2x manual, per the sheet).

function setup(o: Omit<ModemSimulatorOptions, "personality" | "clock"> = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: quectelBg95, ...o });
  const quiet = () => expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
  return { sim, clock, tx, read, quiet };
}

// MT77's LMT network: LTE-M on band 20, EARFCN 6300.
const LMT = { longName: "LMT", shortName: "LMT", mcc: "247", mnc: "01", band: 20, earfcn: 6300 };

// A DELIVER PDU (SMSC +31624000000, from +31641600986, "How are you?"): TPDU 30 octets.
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const PDU_LEN = PDU.length / 2 - 8;

describe("Quectel BG95-M3: identity and V.250", () => {
  it("CAP: ATI three lines and AT+QGMR; ATAT: bare +CGMR; FIN: bare +GSN; CAP: +CGMM is the ATI model", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("ATI\r")).toBe(reply("Quectel", "BG95-M3", "Revision: BG95M3LAR02A03"));
    expect(tx("AT+QGMR\r")).toBe(reply("BG95M3LAR02A03_01.011.01.011"));
    expect(tx("AT+CGMR\r")).toBe(reply("BG95M3LAR02A03"));
    expect(tx("AT+CGMM\r")).toBe(reply("BG95-M3"));
    expect(tx("AT+GSN\r")).toBe(reply("864678051234563"));
    expect(tx("AT+CGSN=1\r")).toBe(reply("+CGSN: 864678051234563")); // EC2x hint
  });

  it("EC2x hint: echo on at power-on, ATE0 off; MT77: lower case accepted; invalid → ERROR", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("at+cpin?\r")).toBe(reply("+CPIN: READY"));
    expect(tx("AT+NOPE\r")).toBe("\r\nERROR\r\n");
  });

  it("LJ: no AT+QENG on BG95 → ERROR, also with +CMEE=2; no 5G", () => {
    const { tx, quiet } = setup();
    quiet();
    tx("AT+CMEE=2\r");
    expect(tx('AT+QENG="servingcell"\r')).toBe("\r\nERROR\r\n");
    expect(tx("AT+C5GREG?\r")).toBe("\r\nERROR\r\n");
  });

  it("MT77: +CME ERROR: SIM not inserted at +CMEE=2; EC2x hint: default 1, numeric 10", () => {
    const { tx, quiet } = setup({ sim: { present: false } });
    quiet();
    expect(tx("AT+CMEE?\r")).toBe(reply("+CMEE: 1"));
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=0\r");
    expect(tx("AT+CPIN?\r")).toBe("\r\nERROR\r\n");
    tx("AT+CMEE=2\r");
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
  });
});

describe("Quectel BG95-M3: SIM", () => {
  it("MT77: +CPIN: SIM PIN when locked; EC2x hint: OK then +CPIN: READY; LOG96: +QUSIM: 1, SMS DONE", () => {
    const { tx, quiet } = setup({ sim: { pin: "0000" } });
    quiet();
    expect(tx("AT+CPIN?\r")).toBe(reply("+CPIN: SIM PIN"));
    expect(tx("AT+CPIN=0000\r")).toBe(reply() + urcs("+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"));
  });

  it("ATAT: AT+QCCID → +QCCID: <ICCID> (EC2x hint form)", () => {
    const { tx, quiet } = setup({ sim: { iccid: "89860025128306012474" } });
    quiet();
    expect(tx("AT+QCCID\r")).toBe(reply("+QCCID: 89860025128306012474"));
  });
});

describe("Quectel BG95-M3: signal", () => {
  it("MT77: +CSQ: 25,99; FIN: 99,99 without service", () => {
    const { tx, sim, quiet } = setup({ network: { rssiDbm: -63 } });
    quiet();
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 25,99"));
    sim.setNetwork({ cs: 2, ps: 2, eps: 2 });
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 99,99"));
  });

  it('LJ/MT77 (manual §4.7): +QCSQ: "eMTC",-62,-87,111,-12 — SINR as an index (dB = value/5 − 20)', () => {
    const { tx, sim, quiet } = setup({ network: { rssiDbm: -62, rsrpDbm: -87, sinrDb: 2.2, rsrqDb: -12 } });
    quiet();
    expect(tx("AT+QCSQ\r")).toBe(reply('+QCSQ: "eMTC",-62,-87,111,-12'));
    sim.setNetwork({ rat: "nb-iot" });
    expect(tx("AT+QCSQ\r")).toBe(reply('+QCSQ: "NBIoT",-62,-87,111,-12'));
    sim.setNetwork({ cs: 2, ps: 2, eps: 2 });
    expect(tx("AT+QCSQ\r")).toBe(reply('+QCSQ: "NOSERVICE"'));
  });

  it('MT77: +QNWINFO: "eMTC","24701","LTE BAND 20",6300 — operator quoted', () => {
    const { tx, quiet } = setup({ network: LMT });
    quiet();
    expect(tx("AT+QNWINFO\r")).toBe(reply('+QNWINFO: "eMTC","24701","LTE BAND 20",6300'));
  });
});

describe("Quectel BG95-M3: registration and operator (AcT 8 eMTC, 9 NB-IoT)", () => {
  it("FIN: +CEREG: 0,5 and +CREG: 0,5 while roaming on LTE-M; RAK96: +CREG: (0-2)", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 0,5"));
    expect(tx("AT+CREG?\r")).toBe(reply("+CREG: 0,5"));
    expect(tx("AT+CREG=?\r")).toBe(reply("+CREG: (0-2)"));
  });

  it("MT77: n=2 gives area code, cell id and AcT 8 on LTE-M, 9 on NB-IoT; URCs per <n>", () => {
    const { tx, sim, read, quiet } = setup({ network: { eps: 1, tac: 0x2b5c, ci: 0x1a2d101 } });
    quiet();
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,1,"2B5C","1A2D101",8'));
    sim.setNetwork({ rat: "nb-iot" });
    expect(read()).toBe(urcs('+CEREG: 1,"2B5C","1A2D101",9'));
    tx("AT+CEREG=1\r");
    sim.setNetwork({ eps: 2 });
    expect(read()).toBe(urcs("+CEREG: 2"));
  });

  it('MT77: +COPS: 0,0,"LMT",8 and the +COPS=? list form', () => {
    const { tx, sim, quiet } = setup({ network: LMT });
    quiet();
    expect(tx("AT+COPS?\r")).toBe(reply('+COPS: 0,0,"LMT",8'));
    expect(tx("AT+COPS=?\r")).toBe(reply('+COPS: (2,"LMT","LMT","24701",8),,(0,1,2,3,4),(0,1,2)'));
    sim.setNetwork({ rat: "nb-iot" });
    expect(tx("AT+COPS?\r")).toBe(reply('+COPS: 0,0,"LMT",9'));
  });

  it('MT77/CAP: AT+QCFG="iotopmode" read 2, set with <effect>; test form', () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx('AT+QCFG="iotopmode"\r')).toBe(reply('+QCFG: "iotopmode",2'));
    expect(tx('AT+QCFG="iotopmode",0,1\r')).toBe(reply());
    expect(tx('AT+QCFG="iotopmode"\r')).toBe(reply('+QCFG: "iotopmode",0'));
    expect(tx('AT+QCFG="band"\r')).toBe(reply('+QCFG: "band",0xf,0x100002000000000f0e189f,0x100042000000000000081a'));
    expect(tx("AT+QCFG=?\r")).toContain('+QCFG: "iotopmode",(0-2),(0,1)');
  });
});

describe("Quectel BG95-M3: attach, APN, address", () => {
  it('SORACOM: +CGPADDR: 1,"<ip>" quoted; RAK96/FIN: +QIACT=1, +QIACT? lists, again → ERROR', () => {
    const { tx, quiet } = setup({ network: { ip: "10.100.32.119" } });
    quiet();
    expect(tx("AT+CGATT?\r")).toBe(reply("+CGATT: 1"));
    expect(tx('AT+QICSGP=1,1,"iot.1nce.net","","",0\r')).toBe(reply());
    expect(tx("AT+CGDCONT?\r")).toBe(reply('+CGDCONT: 1,"IP","iot.1nce.net","0.0.0.0",0,0,0,0'));
    expect(tx("AT+CGPADDR=1\r")).toBe(reply('+CGPADDR: 1,"10.100.32.119"'));
    expect(tx("AT+QIACT=1\r")).toBe(reply());
    expect(tx("AT+QIACT?\r")).toBe(reply('+QIACT: 1,1,1,"10.100.32.119"'));
    expect(tx("AT+QIACT=1\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+QIDEACT=1\r")).toBe(reply());
    expect(tx("AT+QIACT?\r")).toBe(reply());
  });

  it("RAK96: +CTZU: (0,1,3), default 1", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("AT+CTZU=?\r")).toBe(reply("+CTZU: (0,1,3)"));
    expect(tx("AT+CTZU?\r")).toBe(reply("+CTZU: 1"));
  });
});

describe("Quectel BG95-M3: SMS (CAP: smsincoming exists; EC2x hint for the rest)", () => {
  it("+CMTI into ME, then +CMGR and +CMGD", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    expect(tx("AT+CPMS?\r")).toBe(reply('+CPMS: "ME",0,255,"ME",0,255,"ME",0,255'));
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(urcs('+CMTI: "ME",0'));
    expect(tx("AT+CMGR=0\r")).toBe(reply(`+CMGR: 0,,${PDU_LEN}`, PDU));
    expect(tx("AT+CMGD=0\r")).toBe(reply());
    expect(tx("AT+CMGL=4\r")).toBe(reply());
  });

  it("+CSMS=1: +CMT: ,<len> acknowledged with +CNMA; a missed ack turns routing off; 340 when nothing is owed", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    expect(tx("AT+CSMS=1\r")).toBe(reply("+CSMS: 1,1,1"));
    tx("AT+CNMI=2,2,0,0,0\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(`\r\n+CMT: ,${PDU_LEN}\r\n${PDU}\r\n`);
    expect(tx("AT+CNMA\r")).toBe(reply());
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
    sim.deliverSms({ pdu: PDU });
    expect(read(20_000)).toBe(`\r\n+CMT: ,${PDU_LEN}\r\n${PDU}\r\n`);
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,0,0,0,0"));
    expect(sim.heldByNetwork).toBe(1);
  });

  it('27.005 §3.5.1: +CMGS=<length> → "> ", then +CMGS: <mr>', () => {
    const { tx, sim, quiet } = setup();
    quiet();
    const submit = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";
    expect(tx(`AT+CMGS=${submit.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${submit}\x1a`)).toBe(reply("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: submit, mr: 1 }]);
  });
});

describe("Quectel BG95-M3: reset", () => {
  it("MT77/ATAT: AT+CFUN=1,1 restarts; LOG96: RDY, +CFUN: 1, APP RDY, +CPIN: READY, +QUSIM: 1, SMS DONE", () => {
    const { tx, read, quiet } = setup();
    quiet();
    expect(tx("AT+CFUN=1,1\r")).toBe(reply());
    expect(read(100)).toBe(urcs("RDY", "+CFUN: 1", "APP RDY", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE"));
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
  });

  it("MT77: +CFUN: 4 is flight mode: not registered, +CEREG URC at n=1", () => {
    const { tx, quiet } = setup();
    quiet();
    tx("AT+CEREG=1\r");
    expect(tx("AT+CFUN=4\r")).toBe(reply() + urcs("+CEREG: 0"));
    expect(tx("AT+CFUN?\r")).toBe(reply("+CFUN: 4"));
    expect(tx("AT+CFUN=1\r")).toBe(reply() + urcs("+CEREG: 5"));
  });
});
