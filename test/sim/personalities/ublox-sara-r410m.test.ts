import { describe, expect, it } from "vitest";
import { type ModemSimulatorOptions, type Personality } from "../../../src/sim/modem/index.js";
import { saraR410m, ubloxSaraR410m, ubloxSaraR410m02b00 } from "../../../src/sim/modem/personalities/ublox-sara-r410m.js";
import { onTheWire, reply } from "../../helpers/wire.js";

// The u-blox SARA-R410M-02B personality, byte for byte, against its fact sheet: the SARA-R4 series AT
// commands manual UBX-17003787 (R09/R11/R16) and the Particle AN004 log of a real -02B ([AN004]).
function setup(o: Omit<ModemSimulatorOptions, "personality"> & { personality?: Personality } = {}) {
  const { sim, clock, tx, read } = onTheWire({ personality: ubloxSaraR410m, ...o });
  return { sim, clock, tx, read };
}

// A DELIVER PDU (SMSC 7 octets + 30-octet TPDU).
const PDU = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const SUBMIT = "0011000B911326880736F40000AA0AE8329BFD4697D9EC37";

describe("SARA-R410M: identity (§4, [AN004])", () => {
  it("answers bare text lines for +CGMI/+CGMM/+CGMR/ATI/+CGSN/+CIMI (§4.1–4.11)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGMI\r")).toBe(reply("u-blox"));
    expect(tx("AT+GMI\r")).toBe(reply("u-blox"));
    expect(tx("AT+CGMM\r")).toBe(reply("SARA-R410M-02B"));
    expect(tx("AT+CGMR\r")).toBe(reply("L0.0.00.00.05.06 [Feb 03 2018 13:00:41]"));
    expect(tx("ATI\r")).toBe(reply("SARA-R410M-02B"));
    expect(tx("AT+CGSN\r")).toBe(reply("352753090000009"));
    expect(tx("AT+CIMI\r")).toBe(reply("310260123456789"));
  });

  it("refuses +CGSN=<snt> (§4.7.4: R4 does not support <snt>)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CGSN=1\r")).toBe("\r\nERROR\r\n");
  });

  it("+CCID: <ICCID> unquoted with one space (§4.12); no vendor ICCID commands of others", () => {
    const { tx } = setup({ sim: { iccid: "89014103259699999999" } });
    tx("ATE0\r");
    expect(tx("AT+CCID\r")).toBe(reply("+CCID: 89014103259699999999"));
    for (const c of ["AT+QCCID", "AT#CCID", "AT%XICCID", "AT+CICCID"]) expect(tx(`${c}\r`)).toBe("\r\nERROR\r\n");
  });
});

describe("SARA-R410M: V.250 and errors (§1.1, §10.20, chapter 5)", () => {
  it("echoes by default (§10.20: ATE1 default), stops after ATE0", () => {
    const { tx } = setup();
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("ATE0\r")).toBe("ATE0\r\r\nOK\r\n");
    expect(tx("AT\r")).toBe("\r\nOK\r\n");
  });

  it("answers plain ERROR to what the -02B refuses ([AN004]: +CGED, +UPING, +UDOPN; §13.13: no +C5GREG)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    for (const c of ["AT+CGED=5", 'AT+UPING="8.8.8.8"', "AT+UDOPN=9", "AT+C5GREG?", "AT+NOPE"]) {
      expect(tx(`${c}\r`)).toBe("\r\nERROR\r\n");
    }
  });

  it("+CMEE 0/1/2 decide the error form; verbose 3 is 'Operation not allowed' ([AN004])", () => {
    const { tx } = setup({ sim: { present: false } });
    tx("ATE0\r");
    expect(tx("AT+CMEE?\r")).toBe(reply("+CMEE: 0"));
    expect(tx("AT+CIMI\r")).toBe("\r\nERROR\r\n");
    tx("AT+CMEE=1\r");
    expect(tx("AT+CIMI\r")).toBe("\r\n+CME ERROR: 10\r\n");
    tx("AT+CMEE=2\r");
    expect(tx("AT+CIMI\r")).toBe("\r\n+CME ERROR: SIM not inserted\r\n");
    expect(tx("AT+COPS=9\r")).toBe("\r\n+CME ERROR: Operation not allowed\r\n");
    expect(tx("AT+CMEE=3\r")).toBe("\r\nERROR\r\n");
  });

  it("ATZ restores the command configuration: +CNMI must be re-issued (§9.7.4)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    tx("AT+CNMI=2,1\r");
    expect(tx("ATZ\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CNMI?\r")).toBe("AT+CNMI?\r" + reply("+CNMI: 1,0,0,0,0")); // echo is back on too
  });
});

describe("SARA-R410M: registration (§7.7, §13.10, §13.13)", () => {
  it("+CEREG per <n> 0–4 with lower-case padded hex and Cat M1 AcT 7 (§13.13 R16 p.151)", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    expect(tx("AT+CEREG=?\r")).toBe(reply("+CEREG: (0-4)"));
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 0,5"));
    tx("AT+CEREG=1\r");
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 1,5"));
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,5,"2d18","03089f02",7'));
    sim.setNetwork({ eps: 1, tac: 0x3a9b, ci: 0xc33d });
    expect(read()).toBe('\r\n+CEREG: 1,"3a9b","0000c33d",7\r\n'); // the manual's URC example
    sim.setNetwork({ rat: "nb-iot" });
    expect(read()).toBe('\r\n+CEREG: 1,"3a9b","0000c33d",9\r\n'); // 9 = E-UTRAN Cat NB1
    tx("AT+CEREG=3\r");
    sim.setNetwork({ eps: 3, rejectCause: 15 });
    expect(read()).toBe("\r\n+CEREG: 3,,,,0,15\r\n");
    tx("AT+CEREG=4\r");
    sim.setNetwork({ eps: 1, rat: "lte-m", psm: { activeTime: "00100100", periodicTau: "01000111" } });
    expect(read()).toBe('\r\n+CEREG: 1,"3a9b","0000c33d",7,,,"00100100","01000111"\r\n');
    expect(tx("AT+CEREG=5\r")).toBe("\r\nERROR\r\n"); // n=5 not allowed on R4 (§13.13.3)
  });

  it("+CREG n 0–3 with quoted upper-case hex and AcTStatus (§7.7 R16 p.50); +CGREG n 0–2 (§13.10)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CREG?\r")).toBe(reply("+CREG: 0,5"));
    tx("AT+CREG=2\r");
    expect(tx("AT+CREG?\r")).toBe(reply('+CREG: 2,5,"2D18","3089F02",7'));
    expect(tx("AT+CREG=3\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CGREG=?\r")).toBe(reply("+CGREG: (0-2)"));
    expect(tx("AT+CGREG=3\r")).toBe("\r\nERROR\r\n");
  });

  it("the first -02B firmware: upper-case unpadded hex, Cat M1 AcT 8, <n> at most 3 ([AN004]; §13.13.3)", () => {
    const { tx } = setup({
      personality: ubloxSaraR410m02b00,
      network: { eps: 1, tac: 0xd0b, ci: 0xc45c010, mcc: "310", mnc: "410" },
    });
    tx("ATE0\r");
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,1,"D0B","C45C010",8'));
    expect(tx("AT+COPS=3,2;+COPS?\r")).toBe(reply('+COPS: 0,2,"310410",8'));
    expect(tx("AT+CEREG=4\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CEREG=?\r")).toBe(reply("+CEREG: (0-3)"));
  });

  it("the Cat M1 AcT is an option of the personality (7 manual R16, 8 first firmware)", () => {
    const { tx } = setup({ personality: saraR410m({ catM1Act: 8 }) });
    tx("ATE0\r");
    tx("AT+CEREG=2\r");
    expect(tx("AT+CEREG?\r")).toBe(reply('+CEREG: 2,5,"2d18","03089f02",8'));
  });
});

describe("SARA-R410M: signal, operator, bearer", () => {
  it("+CSQ measures on LTE with <qual> 99 (§7.2, [AN004])", () => {
    const { tx } = setup({ network: { rssiDbm: -75 } });
    tx("ATE0\r");
    expect(tx("AT+CSQ\r")).toBe(reply("+CSQ: 19,99"));
  });

  it("+UCGED mode 5: +RSRP/+RSRQ lines with pci, EARFCN, padded value and a trailing comma (§7.8 R11)", () => {
    const { tx } = setup({ network: { pci: 162, earfcn: 5110, rsrpDbm: -75, rsrqDb: -14.2 } });
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    expect(tx("AT+UCGED?\r")).toBe("\r\n+CME ERROR: 3\r\n");
    expect(tx("AT+UCGED=5\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+UCGED?\r")).toBe(reply('+RSRP: 162,5110,"-075.00",', '+RSRQ: 162,5110,"-14.20",'));
    expect(tx("AT+UCGED=2\r")).toBe("\r\nERROR\r\n"); // GERAN mode: R412M only
  });

  it("+COPS with the module's AcT; +CGPADDR prints the address unquoted ([AN004])", () => {
    const { tx } = setup({ network: { ip: "10.206.40.209" } });
    tx("ATE0\r");
    expect(tx("AT+COPS=3,2;+COPS?\r")).toBe(reply('+COPS: 0,2,"310260",7'));
    expect(tx("AT+CGATT?\r")).toBe(reply("+CGATT: 1"));
    expect(tx("AT+CGPADDR=1\r")).toBe(reply("+CGPADDR: 1,10.206.40.209"));
  });
});

describe("SARA-R410M: SMS (§9)", () => {
  it("+CNMI: factory mode 1, mode 3 refused (§9.7.4), test form (§9.7)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 1,0,0,0,0"));
    expect(tx("AT+CNMI=?\r")).toBe(reply("+CNMI: (0-2),(0-3),(0-3),(0-2),(0-1)"));
    expect(tx("AT+CNMI=3,1\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CNMI=1,1\r")).toBe("\r\nOK\r\n"); // the manual's example
  });

  it("stores with +CMTI, reads with +CMGR (empty <alpha>, §9.8) and deletes with +CMGD (§9.15)", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "SM", index: 0 });
    expect(read()).toBe(""); // <mt> 0 after power-on: stored without indication
    tx("AT+CNMI=1,1\r");
    expect(sim.deliverSms({ pdu: PDU })).toEqual({ memory: "SM", index: 1 });
    expect(read()).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(tx("AT+CPMS?\r")).toBe(reply('+CPMS: "SM",2,30,"SM",2,30,"SM",2,30'));
    expect(tx("AT+CMGR=1\r")).toBe(reply("+CMGR: 0,,30", PDU));
    expect(tx("AT+CMGR=1\r")).toBe(reply("+CMGR: 1,,30", PDU));
    expect(tx("AT+CMGR=?\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGD=1\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGR=1\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CMGR=99\r")).toBe("\r\n+CMS ERROR: 321\r\n");
  });

  it("routes +CMT: ,<len> (§9.7); with +CSMS=1 it needs +CNMA, and a missed ack turns routing off (27.005)", () => {
    const { tx, sim, read, clock } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    expect(tx("AT+CSMS=1\r")).toBe(reply("+CSMS: 1,1,1"));
    tx("AT+CNMI=1,2\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(`\r\n+CMT: ,30\r\n${PDU}\r\n`);
    expect(sim.awaitingAck).toBe(true);
    expect(tx("AT+CNMA\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
    sim.deliverSms({ pdu: PDU });
    read();
    clock.advance(15_000);
    expect(read()).toBe(""); // no URC documented for the missed ack
    expect(sim.heldByNetwork).toBe(1);
    expect(tx("AT+CNMI?\r")).toBe(reply("+CNMI: 1,0,0,0,0"));
  });

  it("with +CSMS=0 a routed +CMT needs no acknowledgement", () => {
    const { tx, sim, read } = setup();
    tx("ATE0\r");
    tx("AT+CMEE=1\r");
    tx("AT+CNMI=1,2\r");
    sim.deliverSms({ pdu: PDU });
    expect(read()).toBe(`\r\n+CMT: ,30\r\n${PDU}\r\n`);
    expect(sim.awaitingAck).toBe(false);
    expect(tx("AT+CNMA\r")).toBe("\r\n+CMS ERROR: 340\r\n");
  });

  it("+CMGS in PDU mode: '> ' prompt, then +CMGS: <mr> (27.005 §3.5.1)", () => {
    const { tx, sim } = setup();
    tx("ATE0\r");
    expect(tx(`AT+CMGS=${SUBMIT.length / 2 - 1}\r`)).toBe("\r\n> ");
    expect(tx(`${SUBMIT}\x1a`)).toBe(reply("+CMGS: 1"));
    expect(sim.sent).toEqual([{ pdu: SUBMIT, mr: 1 }]);
  });

  it("+CMMS 0–2 (§9.21)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CMMS=?\r")).toBe(reply("+CMMS: (0-2)"));
    tx("AT+CMMS=1\r");
    expect(tx("AT+CMMS?\r")).toBe(reply("+CMMS: 1"));
  });
});

describe("SARA-R410M: reset (§12 of the sheet)", () => {
  it("AT+CFUN=15 answers OK, is silent while it boots, prints no banner, and comes back with echo on", () => {
    const { tx } = setup();
    tx("ATE0\r");
    tx("AT+CEREG=2\r");
    expect(tx("AT+CFUN=15\r", 50)).toBe("\r\nOK\r\n");
    expect(tx("AT\r", 10)).toBe(""); // still booting
    expect(tx("", 100)).toBe(""); // no boot banner
    expect(tx("AT\r")).toBe("AT\r\r\nOK\r\n");
    expect(tx("AT+CEREG?\r")).toBe("AT+CEREG?\r" + reply("+CEREG: 0,5")); // URC mode not stored
  });

  it("NVM settings survive the reset (+USIMSTAT, §11.3 R09 p.113; +URAT)", () => {
    const { tx } = setup();
    tx("ATE0\r");
    tx("AT+USIMSTAT=3\r");
    tx("AT+URAT=8\r");
    tx("AT+CFUN=15\r", 200);
    tx("ATE0\r");
    expect(tx("AT+USIMSTAT?\r")).toBe(reply("+USIMSTAT: 3"));
    expect(tx("AT+USIMSTAT=?\r")).toBe(reply("+USIMSTAT: (0-7)"));
    expect(tx("AT+URAT?\r")).toBe(reply("+URAT: 8"));
  });

  it("AT+CFUN=16 (SARA-U201's reset) is refused; AT+CFUN=4 is airplane mode", () => {
    const { tx } = setup();
    tx("ATE0\r");
    expect(tx("AT+CFUN=16\r")).toBe("\r\nERROR\r\n");
    expect(tx("AT+CFUN=4\r")).toBe("\r\nOK\r\n");
    expect(tx("AT+CFUN?\r")).toBe(reply("+CFUN: 4"));
    expect(tx("AT+CEREG?\r")).toBe(reply("+CEREG: 0,0"));
  });
});
