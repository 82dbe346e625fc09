import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions } from "../../../src/sim/modem/index.js";
import { telitLe910c1 } from "../../../src/sim/modem/personalities/telit-le910c1.js";
import { onTheWire, reply } from "../../helpers/wire.js";

// The Telit LE910C1 personality, byte for byte, against its fact sheet: the LE910Cx AT Commands Reference
// Guide 80502ST10950A Rev.14, sibling Telit guides, and replies captured from a real LE910C1-EUX ([EUX driver]).
function setup(o: Omit<ModemSimulatorOptions, "personality"> = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: telitLe910c1, ...o });
  return { sim, clock, tx, read };
}

// A DELIVER PDU (SMSC 7 octets + 30-octet TPDU).
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const SUBMIT = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";

describe("LE910C1: identity ([EUX driver]; ME910C1 R2 p.31)", () => {
  it("answers bare +CGMI/+CGMM/+CGMR/+CGSN lines and the four #SWPKGV lines", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGMI\r")).toBe(reply("Telit"));
    expect(tx("AT+CGMM\r")).toBe(reply("LE910C1-EUX"));
    expect(tx("AT+CGMR\r")).toBe(reply("25.30.226"));
    expect(tx("AT#SWPKGV\r")).toBe(reply("25.30.226-P0F.225200", "M0F.223006", "P0F.225200", "A0F.223006"));
    expect(tx("AT+CGSN\r")).toBe(reply("354485417617003"));
    expect(tx("AT+CIMI\r")).toBe(reply("310260123456789"));
    expect(tx("ATI3\r")).toBe(reply("Telit"));
    expect(tx("ATI4\r")).toBe(reply("LE910C1-EUX"));
  });

  it("+CGSN=1 prints the IMEI unquoted (sheet §16)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGSN=1\r")).toBe(reply("+CGSN: 354485417617003"));
  });

  it("#CCID: <ICCID> without quotes or F padding (sheet §6)", () => {
    const { tx } = setup({ sim: { iccid: "8990011916180288209" } });
    tx("ATE0\r");
    expect(tx("AT#CCID\r")).toBe(reply("#CCID: 8990011916180288209"));
    expect(tx("AT+CPIN?\r")).toBe(reply("+CPIN: READY"));
    expect(tx("AT#SIMDET?\r")).toBe(reply("#SIMDET: 2,1"));
  });
});

describe("LE910C1: V.250 and errors (§2.2.2 R14 p.32)", () => {
  it("echoes by default (factory ATE1), stops after ATE0", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
  });

  it("answers ERROR to commands it does not have (other vendors' commands, §2.2.2)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    for (const c of ["AT+QCCID", "AT%XICCID", "AT+UCGED?", "AT+QENG=servingcell", "AT+CCID", "AT+C5GREG?"]) {
      expect(tx(`${c}\r`)).toBe("\r\nERROR\r\n");
    }
  });

  it("+CMEE 0 (factory) / 1 / 2: lower-case 27.007 words in verbose mode", () => {
    const { tx } = setup({ sim: { present: false } });
    tx("ATE0\r");
    expect(tx("AT+CMEE?\r")).toBe(reply("+CMEE: 0"));
    expect(tx("AT#CCID\r")).toBe("\r\nERROR\r\n");
    tx("AT+CMEE=1\r");
    expect(tx("AT#CCID\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=2\r");
    expect(tx("AT#CCID\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
    expect(tx("AT+COPS=9\r")).toBe("\r\n+CME ERROR: operation not allowed\r\n");
  });
});

describe("LE910C1: registration and RAT (LE910 V2 §+CEREG R0 p.60; #PSNT)", () => {
  it("+CEREG per <n> 0–2: quoted tac/ci, AcT 7; n 3 refused", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CEREG=?\r")).toBe(reply("+CEREG: (0-2)"));
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 0,5"));
    tx("AT+CEREG=1\r");
    sim.setNetwork({ eps: 1 });
    expect(read()).toBe("\r\n+CEREG: 1\r\n");
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,1,"2D18","03089F02",7'));
    sim.setNetwork({ tac: 0x00c3 });
    expect(read()).toBe('\r\n+CEREG: 1,"00C3","03089F02",7\r\n');
    expect(tx("AT+CEREG=3\r")).toBe("\r\nERROR\r\n");
  });

  it("+CREG n 0–2 with AcT; on GSM the EPS domain reads not registered and +CREG shows AcT 0", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    tx("AT+CREG=2\r");
    expect(tx("AT+CREG?\r")).toBe(reply('+CREG: 2,5,"2D18","3089F02",7'));
    sim.setNetwork({ rat: "gsm", lac: 0x61ef, ci: 0x44a5 });
    expect(tx("AT+CREG?\r")).toMatch(/^\r\n\+CREG: 2,5,"61EF","44A5",0\r\n/);
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 0,0"));
  });

  it("#PSNT? reports 4 on LTE; #PSNT=1 raises #PSNT: <nt> when the network type changes", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT#PSNT?\r")).toBe(reply("#PSNT: 0,4"));
    tx("AT#PSNT=1\r");
    sim.setNetwork({ rat: "gsm" });
    expect(read()).toBe("\r\n#PSNT: 0\r\n");
    sim.setNetwork({ cs: 2, eps: 2, ps: 2 });
    expect(read()).toBe("\r\n#PSNT: 5\r\n");
  });

  it("+COPS with AcT 7; +WS46 selects the RAT", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+COPS=3,2;+COPS?\r")).toBe(reply('+COPS: 0,2,"310260",7'));
    expect(tx("AT+WS46?\r")).toBe(reply("+WS46: 25"));
    tx("AT+WS46=28\r");
    expect(tx("AT+WS46?\r")).toBe(reply("+WS46: 28"));
    expect(tx("AT+WS46=3\r")).toBe("\r\nERROR\r\n");
  });
});

describe("LE910C1: signal (sheet §7)", () => {
  it("+CSQ on LTE with <ber> 99 ([EUX driver] `+CSQ: 9,99`)", () => {
    const { tx } = setup({ network: { rssiDbm: -95 } });
    tx("ATE0\r");
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 9,99"));
  });

  it("#RFSTS in the real LE910C1-EUX shape: PLMN with a space, hex TAC/CID unquoted ([EUX driver])", () => {
    const network = {
      mcc: "286",
      mnc: "01",
      earfcn: 1795,
      rsrpDbm: -101,
      rssiDbm: -67,
      rsrqDb: -15,
      tac: 0x2242,
      ci: 0x0b5d121,
      longName: "Turkcell",
      band: 3,
      eps: 1,
    };
    const { tx } = setup({ network, sim: { imsi: "286016339612498" } });
    tx("ATE0\r");
    expect(tx("AT#RFSTS\r")).toBe(
      reply('#RFSTS: "286 01",1795,-101,-67,-15,2242,,128,3,1,0B5D121,"286016339612498","Turkcell",3,3,108'),
    );
  });
});

describe("LE910C1: packet domain", () => {
  it("+CGPADDR shows the bearer's address; #SGACT=1,1 answers #SGACT: <ip> ([EUX driver])", () => {
    const { tx } = setup({ network: { ip: "10.20.30.40" } });
    tx("ATE0\r");
    expect(tx("AT+CGATT?\r")).toBe(reply("+CGATT: 1"));
    expect(tx("AT+CGPADDR=1\r")).toBe(reply('+CGPADDR: 1,"10.20.30.40"'));
    expect(tx("AT#SGACT=1,1\r")).toBe(reply("#SGACT: 10.20.30.40"));
  });
});

describe("LE910C1: SMS (R14 p.638; ME910C1 R2 p.85; LE910-SKG p.123)", () => {
  it("stores with +CMTI, reads with +CMGR, deletes with +CMGD", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 0,0,0,0,0"));
    expect(tx("AT+CNMI=2,1,0,0,0\r")).toBe("\r\nOK\r\n");
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "SM", index: 0 });
    expect(read()).toBe('\r\n+CMTI: "SM",0\r\n');
    expect(tx("AT+CMGL=0\r")).toBe(reply("+CMGL: 0,0,,30", PDU));
    expect(tx("AT+CMGR=0\r")).toBe(reply("+CMGR: 1,,30", PDU));
    expect(tx("AT+CMGD=0\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGL=4\r")).toBe("\r\nOK\r\n");
  });

  it("+CNMI: <bm> 0/2 only (ME910C1 p.85)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CNMI=?\r")).toBe(reply("+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)"));
    expect(tx("AT+CNMI=2,1,1\r")).toBe("\r\nERROR\r\n");
  });

  it("+CMT: ,<len> with +CSMS=1 waits for +CNMA; the next +CMT waits too; a missed ack gives up routing", () => {
    const { tx, sim, read, clock } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    tx("AT+CSMS=1\r");
    tx("AT+CNMI=2,2\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(`\r\n+CMT: ,30\r\n${PDU}\r\n`);
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(""); // not delivered until the first is acknowledged
    expect(tx("AT+CNMA\r")).toBe(`\r\nOK\r\n\r\n+CMT: ,30\r\n${PDU}\r\n`);
    clock.advance(15_000);
    expect(read()).toBe("");
    expect(sim.heldByNetwork).toBe(1);
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,0,0,0,0"));
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
  });

  it("with +CSMS=0 the module acknowledges by itself", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CNMI=2,2\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(`\r\n+CMT: ,30\r\n${PDU}\r\n`);
    expect(sim.awaitingAck).toBe(false);
  });

  it("+CNMA test and forms differ between PDU and text mode (R14 p.638)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CNMA=?\r")).toBe(reply("+CNMA: (0-2)"));
    tx("AT+CMGF=1\r");
    expect(tx("AT+CNMA=?\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CNMA=0\r")).toBe("\r\nERROR\r\n");
  });

  it("+CMGS in PDU mode: '<CR><LF>> ' prompt, then +CMGS: <mr>", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    expect(tx(`AT+CMGS=${SUBMIT.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${SUBMIT}\x1a`)).toBe(reply("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: SUBMIT, mr: 1 }]);
  });
});

describe("LE910C1: reset", () => {
  it.each(["AT#REBOOT", "AT+CFUN=1,1"])("%s answers OK, stays silent while it boots, prints no banner", (cmd) => {
    const { tx } = setup();
    tx("ATE0\r");
    tx("AT+CREG=1\r");
    expect(tx(`${cmd}\r`, 50)).toBe("\r\nOK\r\n");
    expect(tx("AT\r", 10)).toBe("");
    expect(tx("", 100)).toBe("");
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("AT+CREG?\r")).toBe("AT+CREG?\r" + reply("+CREG: 0,5"));
  });
});
