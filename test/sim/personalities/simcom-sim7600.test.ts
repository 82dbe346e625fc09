import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions } from "../../../src/sim/modem/index.js";
import { simcomSim7600 } from "../../../src/sim/modem/personalities/simcom-sim7600.js";
import { onTheWire, reply } from "../../helpers/wire.js";

// The SIM7600G-H personality byte for byte, no engine. "§x" = A76XX AT Command Manual V1.09 section, as
// docs/modems/simcom-sim7600.md cites it; [CAP] = real SIM7600 output quoted there.
function setup(o: Omit<ModemSimulatorOptions, "personality"> = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: simcomSim7600, ...o });
  return { sim, clock, tx, read };
}

const BANNERS = "\r\nRDY\r\n\r\n+CPIN: READY\r\n\r\nSMS DONE\r\n\r\nPB DONE\r\n";
// An SMS-DELIVER with an SMSC part of 8 octets: <length> 30.
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

describe("SIM7600: identity and V.250", () => {
  it("§2.2.16–19, §2.2.21, §2.2.7: CGMI/CGMM/CGSN bare, CGMR with its prefix, ATI, +GCAP; [CAP] AT+SIMCOMATI", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGMI\r")).toBe(reply("SIMCOM INCORPORATED"));
    expect(tx("AT+CGMM\r")).toBe(reply("SIMCOM_SIM7600G-H"));
    expect(tx("AT+CGMR\r")).toBe(reply("+CGMR: LE20B04SIM7600G22"));
    expect(tx("AT+CGSN\r")).toBe(reply("862636050987658"));
    expect(tx("AT+GCAP\r")).toBe(reply("+GCAP: +CGSM,+FCLASS,+DS"));
    expect(tx("ATI\r")).toBe(
      reply(
        "Manufacturer: SIMCOM INCORPORATED",
        "Model: SIMCOM_SIM7600G-H",
        "Revision: LE20B04SIM7600G22",
        "IMEI: 862636050987658",
        "+GCAP: +CGSM",
      ),
    );
    expect(tx("AT+SIMCOMATI\r")).toContain("\r\nModel: SIMCOM_SIM7600G-H\r\n\r\nRevision: LE20B04SIM7600G22\r\n\r\nQCN: \r\n");
  });

  it("§2.2.8–9: echo is on at power-on, ATE0 turns it off", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
  });

  it("what the module refuses answers plain ERROR (sheet: 'What this module refuses')", () => {
    const { tx } = setup();
    tx("ATE0\r");
    for (const cmd of ["AT+QCCID", "AT+CCID", 'AT+QENG="servingcell"', "AT+C5GREG?", "AT+CEREG=4", "AT+NOPE"]) {
      expect(tx(`${cmd}\r`), cmd).toBe("\r\nERROR\r\n");
    }
  });
});

describe("SIM7600: errors (§3.2.11)", () => {
  it("+CMEE defaults to 2 [CAP]: verbose, then numeric, then plain", () => {
    const { tx } = setup({ sim: { present: false } });
    tx("ATE0\r");
    expect(tx("AT+CMEE?\r")).toBe(reply("+CMEE: 2"));
    expect(tx("AT+CMEE=?\r")).toBe(reply("+CMEE: (0-2)"));
    expect(tx("AT+CICCID\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
    tx("AT+CMEE=1\r");
    expect(tx("AT+CICCID\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=0\r");
    expect(tx("AT+CICCID\r")).toBe("\r\nERROR\r\n");
  });

  it("a malformed AT+CPIN argument is plain ERROR whatever +CMEE says [CAP #77]; a wrong PIN is a +CME", () => {
    const { tx } = setup({ sim: { pin: "1234" } });
    tx("ATE0\r");
    expect(tx("AT+CPIN?\r")).toBe(reply("+CPIN: SIM PIN"));
    expect(tx("AT+CPIN=abc\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CPIN=0000\r")).toBe("\r\n+CME ERROR: incorrect password\r\n");
    expect(tx("AT+CPIN=1234\r")).toBe("\r\nOK\r\n\r\n+CPIN: READY\r\n");
  });
});

describe("SIM7600: SIM, signal, registration", () => {
  it("§6.2.1: AT+CICCID answers +ICCID:, unquoted", () => {
    expect(setup({ sim: { iccid: "89860318760238610932" } }).tx("AT+CICCID\r")).toBe(
      "AT+CICCID\r" + reply("+ICCID: 89860318760238610932"),
    );
    // A 19-digit ICCID as EF_ICCID stores it, F filler kept.
    expect(setup().tx("AT+CICCID\r")).toBe("AT+CICCID\r" + reply("+ICCID: 8988307000012345678F"));
  });

  it("§3.2.2 +CSQ; §4.2.9 +CPSI with LTE levels in tenths [CAP]; §4.2.11 +CNSMOD 8 = LTE", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 21,99"));
    expect(tx("AT+CPSI?\r")).toBe(
      reply("+CPSI: LTE,Online,310-260,0x2D18,50896642,187,EUTRAN-BAND66,66786,5,5,-100,-950,-710,12"),
    );
    expect(tx("AT+CNSMOD?\r")).toBe(reply("+CNSMOD: 0,8"));
    expect(tx("AT+COPS=3,2;+COPS?\r")).toBe(reply('+COPS: 0,2,"310260",7'));
    sim.setNetwork({ cs: 2, ps: 2, eps: 2 });
    expect(tx("AT+CPSI?\r")).toBe(reply("+CPSI: NO SERVICE,Online"));
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 99,99"));
  });

  it("§4.2.1, §5.2.1–2: reads without AcT; the +CEREG n=2 URC adds AcT 7; n is 0–2", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CREG?\r")).toBe(reply("+CREG: 0,5"));
    expect(tx("AT+CEREG=?\r")).toBe(reply("+CEREG: (0-2)"));
    tx("AT+CREG=2;+CGREG=1;+CEREG=2\r");
    expect(tx("AT+CREG?\r")).toBe(reply('+CREG: 2,5,"2D18","03089F02"'));
    expect(tx("AT+CGREG?\r")).toBe(reply("+CGREG: 1,5"));
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,5,"2D18","03089F02"'));
    sim.setNetwork({ tac: 0x1a2b });
    expect(read()).toBe('\r\n+CEREG: 5,"1A2B","03089F02",7\r\n');
    sim.setNetwork({ cs: 1, ps: 1, eps: 1 });
    expect(read()).toBe('\r\n+CREG: 1,"2D18","03089F02"\r\n\r\n+CGREG: 1\r\n\r\n+CEREG: 1,"1A2B","03089F02",7\r\n');
  });

  it("§4.2.11: AT+CNSMOD=1 reports the system mode when it changes", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CNSMOD=1\r");
    sim.setNetwork({ rat: "umts" });
    expect(read()).toContain("\r\n+CNSMOD: 4\r\n");
  });
});

describe("SIM7600: packet domain (§5.2)", () => {
  it("default context, the bearer's address, cid 1 refused by +CGACT on LTE, +CGEV on a detach", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGDCONT?\r")).toBe(reply('+CGDCONT: 1,"IP",""'));
    expect(tx("AT+CGATT?\r")).toBe(reply("+CGATT: 1"));
    expect(tx("AT+CGACT?\r")).toBe(reply("+CGACT: 1,1"));
    expect(tx("AT+CGPADDR=1\r")).toBe(reply('+CGPADDR: 1,"10.64.12.3"'));
    expect(tx("AT+CGACT=0,1\r")).toBe("\r\n+CME ERROR: operation not allowed\r\n");
    expect(tx("AT+CGEREP?\r")).toBe(reply("+CGEREP: 2,0"));
    sim.setNetwork({ attached: false });
    expect(read()).toBe("\r\n+CGEV: NW DETACH\r\n");
  });
});

describe("SIM7600: SMS (§9.2)", () => {
  it("§9.2.9/§9.2.12/§9.2.16: stored with +CMTI (indexes from 1), read with +CMGR, deleted with +CMGD", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,1,0,0,0"));
    expect(tx("AT+CPMS=?\r")).toBe(reply('+CPMS: ("ME","SM"),("ME","SM"),("ME","SM")'));
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "SM", index: 1 });
    expect(read()).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(tx("AT+CPMS?\r")).toBe(reply('+CPMS: "SM",1,50,"SM",1,50,"SM",1,50'));
    expect(tx("AT+CMGD=?\r")).toBe(reply("+CMGD: (1),(0-4)"));
    expect(tx("AT+CMGR=1\r")).toBe(reply("+CMGR: 0,,30", PDU));
    expect(tx("AT+CMGL=4\r")).toBe(reply("+CMGL: 1,1,,30", PDU));
    expect(tx("AT+CMGD=1\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGR=1\r")).toBe("\r\nOK\r\n");
    sim.deliverSms({ pdu: PDU });
    read();
    expect(tx("AT+CMGD=,4\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGL=4\r")).toBe("\r\nOK\r\n");
  });

  it("§9.2.9 +CNMI rules: mt=3 or ds=1 need mode 1, mt=2 needs mode 1 or 2", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CNMI=0,2,0,0,0\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CNMI=2,3,0,0,0\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CNMI=2,0,0,1,0\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CNMI=1,3,0,1,0\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CNMI=2,2,0,0,0\r")).toBe("\r\nOK\r\n");
  });

  it('§9.2.8: +CMT: "",<length> with +CSMS=1 wants a +CNMA; a second one is +CMS ERROR 340', () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CSMS=1\r")).toBe(reply("+CSMS: 1,1,1"));
    tx("AT+CNMI=2,2,0,0,0\r");
    expect(sim.deliverSms({ pdu: PDU })).toBeUndefined();
    expect(read()).toBe(`\r\n+CMT: "",30\r\n${PDU}\r\n`);
    expect(sim.awaitingAck).toBe(true);
    expect(tx("AT+CNMA\r")).toBe("\r\nOK\r\n");
    expect(sim.awaitingAck).toBe(false);
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: no +CNMA acknowledgement expected\r\n");
  });

  it("§9.2.8 / 27.005 §3.4.1: a missed +CNMA leaves the message with the network and turns routing off", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CSMS=1\r");
    tx("AT+CNMI=2,2,0,0,0\r");
    sim.deliverSms({ pdu: PDU });
    read();
    expect(read(15_000)).toBe("");
    expect(sim.heldByNetwork).toBe(1);
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,0,0,0,0"));
    // Storing again: the network delivers what it held.
    expect(tx("AT+CNMI=2,1,0,0,0\r")).toBe('\r\nOK\r\n\r\n+CMTI: "SM",1\r\n');
    expect(sim.heldByNetwork).toBe(0);
  });

  it("§9.2.13: AT+CMGS=<length> prompts with '> ', the PDU and Ctrl-Z send it: +CMGS: <mr>", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    const submit = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";
    expect(tx(`AT+CMGS=${submit.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${submit}\x1a`)).toBe(reply("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: submit, mr: 1 }]);
  });
});

describe("SIM7600: reset (§3.2.6, §3.2.1)", () => {
  it.each(["AT+CRESET", "AT+CFUN=1,1", "AT+CFUN=6"])("%s: OK, then RDY, +CPIN: READY, SMS DONE, PB DONE [CAP]", (cmd) => {
    const { tx } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=0\r");
    expect(tx(`${cmd}\r`, 200)).toBe(`\r\nOK\r\n${BANNERS}`);
    expect(tx("AT+CMEE?\r")).toBe("AT+CMEE?\r" + reply("+CMEE: 2")); // echo and +CMEE back to their defaults
  });

  it("§3.2.1: after AT+CFUN=7 only a reset brings it online", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CFUN=?\r")).toBe(reply("+CFUN: (0-1,4-8),(0-1)"));
    expect(tx("AT+CFUN=7\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CPSI?\r")).toBe(reply("+CPSI: NO SERVICE,Offline"));
    expect(tx("AT+CFUN=1\r")).toBe("\r\n+CME ERROR: operation not allowed\r\n");
    expect(tx("AT+CFUN=6\r", 200)).toBe(`\r\nOK\r\n${BANNERS}`);
  });
});
