import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions } from "../../../src/sim/modem/index.js";
import { quectelEc25 } from "../../../src/sim/modem/personalities/quectel-ec25.js";
import { onTheWire, reply, urcs } from "../../helpers/wire.js";

// The EC25 personality driven byte for byte, no engine: each test names the section of the Quectel
// EC2x&EG9x&EG2x-G&EM05 AT Commands Manual V2.0 (per docs/modems/quectel-ec25.md) it checks.

function setup(o: Omit<ModemSimulatorOptions, "personality" | "clock"> = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: quectelEc25, ...o });
  /** Echo off, then the reply to each line. */
  const quiet = () => expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
  return { sim, clock, tx, read, quiet };
}

/** 27.005 §3.4.1: `+CMT: …<CR><LF><pdu>`, the PDU right after the header's CR LF. */
const cmt = (len: number, pdu: string) => `\r\n+CMT: ,${len}\r\n${pdu}\r\n`;

// A DELIVER PDU (SMSC +31624000000, from +31641600986, "How are you?"): TPDU 30 octets.
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const PDU_LEN = PDU.length / 2 - 8;

describe("Quectel EC25: identity and V.250", () => {
  it("§2.1–§2.9: ATI three lines, bare +CGMI/+CGMM/+CGMR/+GSN, prefixed =<snt> forms", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("ATI\r")).toBe(reply("Quectel", "EC25", "Revision: EC25EFAR02A09M4G"));
    expect(tx("AT+CGMI\r")).toBe(reply("Quectel"));
    expect(tx("AT+GMI\r")).toBe(reply("Quectel"));
    expect(tx("AT+CGMM\r")).toBe(reply("EC25"));
    expect(tx("AT+CGMR\r")).toBe(reply("EC25EFAR02A09M4G")); // no "Revision: " (§2.7)
    expect(tx("AT+GSN\r")).toBe(reply("861672034123459"));
    expect(tx("AT+CGSN\r")).toBe(reply("861672034123459"));
    expect(tx("AT+CGSN=1\r")).toBe(reply("+CGSN: 861672034123459"));
    expect(tx("AT+CGSN=0\r")).toMatch(/^\r\n\+CGSN: \S+\r\n\r\nOK\r\n$/);
    expect(tx("AT+CGMI=?\r")).toBe(reply());
    expect(tx("AT+CGSN=7\r")).toBe("\r\n+CMS ERROR: 302\r\n"); // §2.9: the error form is +CMS ERROR
  });

  it("§15.1/§2.16: echo on at power-on, ATE0 turns it off; §1.4: AT alone → OK, lower case accepted", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
    expect(tx("at+cgmm\r")).toBe(reply("EC25"));
    expect(tx("ATE1\r")).toBe("\r\nOK\r\n");
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
  });

  it("§1.4: an invalid command answers plain ERROR whatever +CMEE says", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("AT+CMEE=2\r")).toBe(reply());
    for (const cmd of ["AT+CESQ", "AT+CCID", "AT+CICCID", "AT+ICCID", "AT+C5GREG?", "AT+CPSI?", "AT+CNMP?", "AT+NOPE"]) {
      expect(tx(`${cmd}\r`), cmd).toBe("\r\nERROR\r\n");
    }
  });

  it("§1.4: chained commands answer once; §15.4: a failure ends the line", () => {
    const { tx, quiet } = setup({ network: { rssiDbm: -57 } });
    quiet();
    expect(tx("AT+CSQ;+CREG?\r")).toBe(reply("+CSQ: 28,99", "+CREG: 0,5"));
    expect(tx("AT+CSQ;+NOPE;+CREG?\r")).toBe("\r\nERROR\r\n");
  });
});

describe("Quectel EC25: errors per +CMEE (§2.23)", () => {
  it("default 1 (numeric); 0 → ERROR; 2 → verbose; only 0–2", () => {
    const { tx, quiet } = setup({ sim: { present: false } });
    quiet();
    expect(tx("AT+CMEE?\r")).toBe(reply("+CMEE: 1"));
    expect(tx("AT+CMEE=?\r")).toBe(reply("+CMEE: (0-2)"));
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=0\r");
    expect(tx("AT+CPIN?\r")).toBe("\r\nERROR\r\n");
    tx("AT+CMEE=2\r");
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
    expect(tx("AT+CMEE=3\r")).toBe("\r\nERROR\r\n");
  });

  it("§2.22: after +CFUN=0, +CPIN? is +CME ERROR: 13 and +COPS? is +COPS: 0", () => {
    const { tx, quiet } = setup();
    quiet();
    expect(tx("AT+CFUN=0\r")).toBe(reply());
    expect(tx("AT+CFUN?\r")).toBe(reply("+CFUN: 0"));
    expect(tx("AT+CPIN?\r")).toBe("\r\n+CME ERROR: 13\r\n");
    expect(tx("AT+COPS?\r")).toBe(reply("+COPS: 0"));
    expect(tx("AT+CFUN=?\r")).toBe(reply("+CFUN: (0,1,4),(0,1)"));
  });
});

describe("Quectel EC25: SIM (§5)", () => {
  it("§5.3: +CPIN: READY unquoted; a PIN-locked card: SIM PIN, then OK and +CPIN: READY and the SIM URCs", () => {
    const { tx, read, quiet } = setup({ sim: { pin: "1234" } });
    quiet();
    expect(tx("AT+CPIN?\r")).toBe(reply("+CPIN: SIM PIN"));
    expect(tx("AT+CIMI\r")).toBe("\r\n+CME ERROR: 11\r\n");
    expect(tx("AT+CPIN=1234\r")).toBe(
      reply() + urcs("+CPIN: READY", "+QUSIM: 1", "+QIND: PB DONE", "+QIND: SMS DONE"), // §2.22 example order
    );
    expect(read()).toBe("");
    expect(tx("AT+CPIN?\r")).toBe(reply("+CPIN: READY"));
  });

  it("§5.7: +QCCID: <ICCID> unquoted; §5.1: bare IMSI", () => {
    const { tx, quiet } = setup({ sim: { iccid: "89860025128306012474", imsi: "460023210226023" } });
    quiet();
    expect(tx("AT+QCCID\r")).toBe(reply("+QCCID: 89860025128306012474"));
    expect(tx("AT+QCCID=?\r")).toBe(reply());
    expect(tx("AT+CIMI\r")).toBe(reply("460023210226023"));
  });

  it("§2.22: +CFUN=1 after +CFUN=0 starts the SIM again: +CPIN: READY, +QUSIM: 1, PB DONE, SMS DONE", () => {
    const { tx, quiet } = setup();
    quiet();
    tx("AT+CFUN=0\r");
    expect(tx("AT+CFUN=1\r")).toBe(reply() + urcs("+CPIN: READY", "+QUSIM: 1", "+QIND: PB DONE", "+QIND: SMS DONE"));
  });
});

describe("Quectel EC25: signal and serving cell", () => {
  it("§6.3: +CSQ: <rssi>,<ber> (−57 dBm → 28), 99,99 without service, the test form", () => {
    const { tx, sim, quiet } = setup({ network: { rssiDbm: -57 } });
    quiet();
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 28,99"));
    expect(tx("AT+CSQ=?\r")).toBe(reply("+CSQ: (0-31,99),(0-7,99)"));
    sim.setNetwork({ cs: 2, ps: 2, eps: 2 });
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 99,99"));
  });

  it('§6.17: AT+QENG="servingcell" reproduces the manual\'s LTE example; SEARCH without a cell', () => {
    const network = {
      mcc: "460",
      mnc: "00",
      ci: 0x82e8c80,
      pci: 87,
      earfcn: 38400,
      band: 39,
      tac: 0x550a,
      rsrpDbm: -93,
      rsrqDb: -13,
      rssiDbm: -59,
      sinrDb: -4,
    };
    const { tx, sim, quiet } = setup({ network });
    quiet();
    expect(tx('AT+QENG="servingcell"\r')).toBe(
      reply('+QENG: "servingcell","NOCONN","LTE","TDD",460,00,82E8C80,87,38400,39,5,5,550A,-93,-13,-59,-4,46'),
    );
    sim.setNetwork({ cs: 2, ps: 2, eps: 2 });
    expect(tx('AT+QENG="servingcell"\r')).toBe(reply('+QENG: "servingcell","SEARCH"'));
  });

  it("§6.17: the GSM form has no space after the colon and '-' for invalid fields", () => {
    const { tx, quiet } = setup({
      network: { rat: "gsm", mcc: "460", mnc: "01", lac: 0x5504, ci: 0x2b55, earfcn: 123, rssiDbm: -111 },
    });
    quiet();
    expect(tx('AT+QENG="servingcell"\r')).toBe(
      reply('+QENG:"servingcell","NOCONN","GSM",460,01,5504,2B55,-,123,-,-111,-,-,-,-,-,-,-,-,-,-,-,-,-,-,-,"-"'),
    );
  });

  it('§6.9: +QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650 — operator unquoted', () => {
    const { tx, quiet } = setup({ network: { mcc: "460", mnc: "11", band: 3, earfcn: 1650 } });
    quiet();
    expect(tx("AT+QNWINFO\r")).toBe(reply('+QNWINFO: "FDD LTE",46011,"LTE BAND 3",1650'));
  });

  it('§4.3: AT+QINDCFG="act",1 reports the RAT at once, then on change; "csq" on change', () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    expect(tx('AT+QINDCFG="act",1\r')).toBe(reply() + urcs('+QIND: "act","LTE"'));
    sim.setNetwork({ rat: "gsm" });
    expect(read()).toBe(urcs('+QIND: "act","GSM"'));
    expect(tx('AT+QINDCFG="csq",1\r')).toBe(reply());
    sim.setNetwork({ rssiDbm: -57 });
    expect(read()).toBe(urcs('+QIND: "csq",28,99'));
    tx('AT+QINDCFG="all",0\r'); // the master switch
    sim.setNetwork({ rat: "lte", rssiDbm: -71 });
    expect(read()).toBe("");
  });
});

describe("Quectel EC25: registration (§6.2, §10.11, §10.14)", () => {
  const home = { cs: 1, ps: 1, eps: 1, lac: 0xd509, tac: 0xd509, ci: 0x80d413d };

  it("read forms per <n>: location only at n=2, LAC quoted 4 hex, ci quoted unpadded, AcT 7 on LTE", () => {
    const { tx, quiet } = setup({ network: home });
    quiet();
    expect(tx("AT+CREG?\r")).toBe(reply("+CREG: 0,1"));
    tx("AT+CREG=2\r");
    expect(tx("AT+CREG?\r")).toBe(reply('+CREG: 2,1,"D509","80D413D",7'));
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,1,"D509","80D413D",7'));
    expect(tx("AT+CGREG=1\r")).toBe(reply());
    expect(tx("AT+CGREG?\r")).toBe(reply("+CGREG: 1,1"));
  });

  it('URCs: n=1 `+CREG: <stat>`; n=2 `+CGREG: 2` then `+CGREG: 1,"D504","80428B5",7`', () => {
    const { tx, sim, read, quiet } = setup({ network: home });
    quiet();
    tx("AT+CREG=1\r");
    tx("AT+CGREG=2\r");
    sim.setNetwork({ cs: 2, ps: 2 });
    expect(read()).toBe(urcs("+CREG: 2", "+CGREG: 2"));
    sim.setNetwork({ cs: 1, ps: 1, lac: 0xd504, ci: 0x80428b5 });
    expect(read()).toBe(urcs("+CREG: 1", '+CGREG: 1,"D504","80428B5",7'));
  });

  it("§6.1: AcT 0 on GSM and 2 on UMTS in +CREG and +COPS", () => {
    const { tx, sim, quiet } = setup({ network: home });
    quiet();
    tx("AT+CREG=2\r");
    sim.setNetwork({ rat: "gsm", ci: 0x2b55 });
    expect(tx("AT+CREG?\r")).toBe(reply('+CREG: 2,1,"D509","2B55",0'));
    sim.setNetwork({ rat: "umts" });
    expect(tx("AT+COPS?\r")).toBe(reply('+COPS: 0,0,"T-Mobile",2'));
  });

  it("§6.1: +COPS? with the operator and AcT 7; +COPS=? list, two commas, modes and formats", () => {
    const { tx, quiet } = setup({ network: { longName: "CHN-UNICOM", shortName: "UNICOM", mcc: "460", mnc: "01" } });
    quiet();
    expect(tx("AT+COPS?\r")).toBe(reply('+COPS: 0,0,"CHN-UNICOM",7'));
    expect(tx("AT+COPS=?\r")).toBe(reply('+COPS: (2,"CHN-UNICOM","UNICOM","46001",7),,(0,1,2,3,4),(0,1,2)'));
  });
});

describe("Quectel EC25: attach, APN and address (§10)", () => {
  it("§10.1 +CGATT?, §10.2 +CGDCONT?, §10.9 +CGPADDR quoted", () => {
    const { tx, quiet } = setup({ network: { ip: "10.76.51.180" } });
    quiet();
    expect(tx("AT+CGATT?\r")).toBe(reply("+CGATT: 1"));
    expect(tx('AT+CGDCONT=1,"IP","iot.example"\r')).toBe(reply());
    expect(tx("AT+CGDCONT?\r")).toBe(reply('+CGDCONT: 1,"IP","iot.example","0.0.0.0",0,0,0,0'));
    expect(tx("AT+CGPADDR=1\r")).toBe(reply('+CGPADDR: 1,"10.76.51.180"'));
    expect(tx("AT+CGACT?\r")).toBe(reply("+CGACT: 1,1"));
  });

  it('§6.8: +QLTS: "yyyy/MM/dd,hh:mm:ss±zz,dst" with dst inside the quotes; "" before NITZ; §13.2 +CCLK', () => {
    const { tx, sim, quiet } = setup({ network: { nitzTzMinutes: 480 } });
    quiet();
    expect(tx("AT+QLTS\r")).toBe(reply('+QLTS: "2026/11/26,12:00:00+32,0"'));
    expect(tx("AT+QLTS=2\r")).toBe(reply('+QLTS: "2026/11/26,20:00:00+32,0"'));
    expect(tx("AT+CCLK?\r")).toBe(reply('+CCLK: "26/11/26,20:00:00+32"'));
    sim.setNetwork({ nitzTzMinutes: null });
    expect(tx("AT+QLTS\r")).toBe(reply('+QLTS: ""'));
  });
});

describe("Quectel EC25: SMS (§9)", () => {
  it("§9.4/§15.1: ME is the default memory (255); +CMTI then +CMGR and +CMGD", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    expect(tx("AT+CPMS?\r")).toBe(reply('+CPMS: "ME",0,255,"ME",0,255,"ME",0,255'));
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,1,0,0,0"));
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "ME", index: 0 });
    expect(read()).toBe(urcs('+CMTI: "ME",0'));
    expect(tx("AT+CMGR=0\r")).toBe(reply(`+CMGR: 0,,${PDU_LEN}`, PDU));
    expect(tx("AT+CMGL=4\r")).toBe(reply(`+CMGL: 0,1,,${PDU_LEN}`, PDU));
    expect(tx("AT+CMGD=0\r")).toBe(reply());
    expect(tx("AT+CMGR=0\r")).toBe(reply());
    expect(tx('AT+CPMS="SM","SM","SM"\r')).toBe(reply("+CPMS: 0,50,0,50,0,50"));
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(urcs('+CMTI: "SM",0'));
  });

  it("§9.6: AT+CMGL with no <stat> lists the unread messages", () => {
    const { tx, sim, quiet } = setup();
    quiet();
    sim.deliverSms({ pdu: PDU });
    expect(tx("AT+CMGL\r")).toBe(reply(`+CMGL: 0,0,,${PDU_LEN}`, PDU));
    expect(tx("AT+CMGL\r")).toBe(reply());
  });

  it("§9.1/§9.12: after +CSMS=1 a +CMT: ,<len> is acknowledged with +CNMA; a second ack is +CMS ERROR: 340", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    expect(tx("AT+CSMS=?\r")).toBe(reply("+CSMS: (0,1)"));
    expect(tx("AT+CSMS=1\r")).toBe(reply("+CSMS: 1,1,1"));
    expect(tx("AT+CSMS?\r")).toBe(reply("+CSMS: 1,1,1,1"));
    expect(tx("AT+CNMI=2,2,0,0,0\r")).toBe(reply());
    expect(sim.deliverSms({ pdu: PDU })).toBeUndefined();
    expect(read()).toBe(cmt(PDU_LEN, PDU));
    expect(sim.awaitingAck).toBe(true);
    expect(tx("AT+CNMA\r")).toBe(reply());
    expect(sim.awaitingAck).toBe(false);
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
  });

  it("§9.12: no ack in time → routing off (<mt>, <ds> 0), no URC; the network delivers again later", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    tx("AT+CSMS=1\r");
    tx("AT+CNMI=2,2,0,1,0\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(cmt(PDU_LEN, PDU));
    expect(read(20_000)).toBe("");
    expect(sim.awaitingAck).toBe(false);
    expect(sim.heldByNetwork).toBe(1);
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 2,0,0,0,0"));
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
    expect(tx("AT+CNMI=2,1,0,0,0\r")).toBe(reply() + urcs('+CMTI: "ME",0'));
  });

  it("§9.12: with +CSMS=0 the +CMT needs no ack, and +CNMA answers +CMS ERROR: 340", () => {
    const { tx, sim, read, quiet } = setup();
    quiet();
    tx("AT+CNMI=2,2,0,0,0\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(cmt(PDU_LEN, PDU));
    expect(sim.awaitingAck).toBe(false);
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
  });

  it('§9.8: +CMGS=<length> → "> ", the PDU and Ctrl-Z → +CMGS: <mr>; a <length> past any SUBMIT → +CMS ERROR', () => {
    const { tx, sim, quiet } = setup();
    quiet();
    const submit = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";
    expect(tx(`AT+CMGS=${submit.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${submit}\x1a`)).toBe(reply("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: submit, mr: 1 }]);
    // 140 octets of user data (§9.8) fit in a 153-octet TPDU: accepted; past 164 is no SUBMIT at all.
    expect(tx("AT+CMGS=153\r")).toBe("\r\n> ");
    tx("\x1b");
    expect(tx("AT+CMGS=165\r")).toBe("\r\n+CMS ERROR: 304\r\n");
  });
});

describe("Quectel EC25: reset (§2.22, §5)", () => {
  it("AT+CFUN=1,1: OK, then the boot URCs in order, and the power-on defaults again", () => {
    const { tx, read, quiet } = setup();
    quiet();
    tx("AT+CMEE=2\r");
    expect(tx("AT+CFUN=1,1\r")).toBe(reply());
    expect(tx("AT\r", 50)).toBe(""); // restarting: nothing heard
    expect(read(100)).toBe(urcs("RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"));
    expect(tx("AT+CMEE?\r")).toBe("AT+CMEE?\r" + reply("+CMEE: 1")); // echo on, +CMEE 1 (§15.1)
  });

  it("a module hung until reset still restarts on AT+CFUN=1,1", () => {
    const { tx, sim, quiet } = setup();
    quiet();
    sim.hang("until-reset");
    expect(tx("AT\r", 500)).toBe("");
    expect(tx("AT+CFUN=1,1\r", 200)).toBe(
      reply() + urcs("RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"),
    );
  });
});
