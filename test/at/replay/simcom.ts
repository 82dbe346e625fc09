import { expect } from "vitest";
import {
  parseCeregRead,
  parseCgattRead,
  parseCgdcontRead,
  parseCgregRead,
  parseCmti,
  parseCopsRead,
  parseCregRead,
  parseIccidReply,
  parseIdentityText,
  ratFromText,
} from "../../../src/modem/index.js";
import { parseCpsiRead, PROFILES } from "../../../src/modem/vendors/index.js";
import { hostWrite, supplyAfter } from "../../helpers/transcript-edits.js";
import { allEvents, loadTranscript } from "../../helpers/transcript.js";
import { error, lines, ok, oks, timeout, type ReplayCase } from "./case.js";

const CPSI_11 = "+CPSI: LTE NB-IOT,Online,242-01,0xA411,18460008,457,EUTRAN-BAND20,6352,0,0,-7,-77,-70,14";
const COMPOUND_12 =
  "AT+CPIN?;+CREG=1;+CGREG=1;+CEREG=1;+CTZU=1;+CTZR=1;+CLIP=1;+CMGF=1;+CNMI=1,2,0,0,0;+CSDH=1;+CMEE=2;+CSQ;+AUTOCSQ=1,1;E0;S0=0";
const CGDCONT_13 = ["fast.t-mobile.com", "ims", "sos", "tmus"].map(
  (apn, i) => `+CGDCONT: ${i + 1},"IPV4V6","${apn}","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,${apn === "sos" ? 1 : 0}`,
);
// Noise while the module restarted (not valid UTF-8 at the source; replayed as the issue shows it).
const GARBAGE_27 = allEvents(loadTranscript("27"))[1]!.text;

export const SIMCOM: ReplayCase[] = [
  {
    id: "11",
    vendor: "simcom",
    // The terminal copy lost the OK after +CPSI and +COPS.
    events: (t) => supplyAfter(allEvents(t), (l) => /^\+(CPSI|COPS):/.test(l)),
    steps: [
      ["AT", ok()],
      ["AT+CREG?", ok("+CREG: 0,0")],
      ["AT+CGREG?", ok("+CGREG: 0,1")],
      ["AT+CEREG?", ok("+CEREG: 0,1")],
      ["AT+CPSI?", ok(CPSI_11)],
      ["AT+COPS?", ok('+COPS: 0,0,"242 01 Telenor",9')],
    ],
    check: (raw) => {
      // NB-IoT: not registered for circuit-switched service, registered for packets and EPS.
      expect(parseCregRead(lines(raw[1])).registered).toBe(false);
      expect(parseCgregRead(lines(raw[2])).state).toBe("home");
      expect(parseCeregRead(lines(raw[3])).state).toBe("home");
      const cell = parseCpsiRead(lines(raw[4]))!;
      expect(cell).toEqual({
        ...{ source: "+CPSI", rat: "LTE NB-IOT", state: "Online", mcc: "242", mnc: "01", tac: 0xa411, ci: 18460008 },
        ...{ pci: 457, band: "B20", earfcn: 6352, rsrqDb: -7, rsrpDbm: -77, rssiDbm: -70, sinrDb: 14 },
      });
      expect(ratFromText(cell.rat)).toBe("nb-iot");
      expect(parseCopsRead(lines(raw[5]))).toEqual({ mode: 0, name: "242 01 Telenor", act: "nb-iot" });
    },
  },
  {
    id: "12",
    vendor: "simcom",
    // OVMS does not log OK lines: each command line's OK is put back after its last reply line.
    events: (t) => supplyAfter(allEvents(t), (l) => l === "+CSQ: 13,99" || l.startsWith("+ICCID:")),
    steps: [
      // The whole compound line is echoed; only its readers print.
      [COMPOUND_12, ok("+CPIN: READY", "+CSQ: 13,99")],
      ["AT+CGMR;+ICCID", ok("+CGMR: LE20B03SIM7600M21-A", "+ICCID: 8901260971129626899")],
    ],
    // AT+AUTOCSQ=1,1 at work: the same text as the reply, but after the command's OK.
    urcs: ["+CSQ: 20,99"],
    check: (raw, urcs) => {
      expect(PROFILES.simcom.signalUrc!(urcs[0]!)).toEqual({ rssiDbm: -73, ber: null });
      expect(parseIccidReply(lines(raw[1]))).toBe("8901260971129626899");
      expect(parseIdentityText(lines(raw[1]), "+CGMR")).toBe("LE20B03SIM7600M21-A");
    },
  },
  {
    id: "13",
    vendor: "simcom",
    // The copy shows no OK after the +CGACT test reply.
    events: (t) => supplyAfter(allEvents(t), (l) => l === "+CGACT: (0,1)"),
    steps: [
      ["at+csq", ok("+CSQ: 31,99")],
      ["at+creg?", ok("+CREG: 0,1")],
      ["at+cereg?", ok("+CEREG: 0,1")],
      ["at+cops?", ok('+COPS: 0,0,"Mint",7')],
      ["at+cgatt?", ok("+CGATT: 1")],
      ["at+cgdcont?", ok(...CGDCONT_13)],
      ["at+cgact?", ok("+CGACT: 1,1", "+CGACT: 2,1", "+CGACT: 3,0", "+CGACT: 4,0")],
      ["at+cgact=?", ok("+CGACT: (0,1)")],
      ["at+cnmp?", ok("+CNMP: 38")],
      ["at+netopen", error()],
      ['at+cping="8.8.8.8",1', ok()],
      // An information line before ERROR stays with the error.
      ['at+cdnsgip="google.com"', error("+CDNSGIP: 0,10")],
      ...oks("AT+CIPSENDMODE=0", "AT+CIPCCFG=10,0,0,0,1,0,75000", "AT+CIPTIMEOUT=75000,15000,15000"),
      ["at+netopen", error()],
    ],
    urcs: ["+CPIN: READY", "SMS DONE", "PB DONE", '+CMTI: "SM",4', "+CPING: 3,0,0,0,0,0,0"],
    // The terminal's typed echo of a command whose reply the copy does not show.
    strays: ["at"],
    check: (raw, urcs) => {
      expect(parseCmti(urcs[3]!)).toEqual({ memory: "SM", index: 4 });
      expect(parseCopsRead(lines(raw[3]))).toEqual({ mode: 0, name: "Mint", act: "lte" });
      expect(parseCgattRead(lines(raw[4]))).toBe(true);
      expect(parseCgdcontRead(lines(raw[5])).map((c) => [c.cid, c.apn, c.address])).toEqual([
        [1, "fast.t-mobile.com", undefined],
        [2, "ims", undefined],
        [3, "sos", undefined],
        [4, "tmus", undefined],
      ]);
    },
  },
  {
    id: "14",
    vendor: "simcom",
    // The host's PPP and CMUX frames are not AT: the engine never writes them, and the module ignored them.
    events: (t) => allEvents(t).filter((e) => e.dir === "modem"),
    steps: [],
    extras: [],
    // "SMS DON" is cut by the excerpt: without its CR LF it is not a line yet.
    urcs: ["RDY", "+CPIN: READY"],
  },
  {
    id: "21",
    vendor: "simcom",
    // (b) shows no commands; the test writes the three its answers fit (inferred: esp-modem sets the
    // PDP context, then dials): a registration read, the context (APN unknown), the dial.
    events: (t) => {
      const [a, b] = t.blocks;
      const e = b!.events;
      const cgdcont = hostWrite('AT+CGDCONT=1,"IP","internet"');
      return [
        ...a!.events,
        hostWrite("AT+CGREG?"),
        ...e.slice(0, 3),
        cgdcont,
        ...e.slice(3, 5),
        hostWrite("ATD*99#"),
        ...e.slice(5),
      ];
    },
    steps: [
      ...oks("AT", "AT+IFC=0,0"),
      ["AT+CGREG?", ok("+CGREG: 0,1")],
      ['AT+CGDCONT=1,"IP","internet"', ok()],
      // CONNECT with a speed is the dial's final result; the PPP bytes after it are no line of anything.
      ["ATD*99#", { final: "CONNECT 150000000", lines: [] }],
    ],
  },
  {
    id: "27",
    vendor: "simcom",
    steps: [
      ["AT+CFUN=0", timeout(GARBAGE_27)],
      // The module is restarting: the engine's resync ATs stand for the host's two, the second answered.
      ["ATE0", ok()],
      ...oks("AT+CMEE=0", "AT+CLTS=1", "AT+CBATCHK=1"),
      ["AT+CPIN?", ok("+CPIN: READY")],
      ["AT+GMM", ok("SIMCOM_SIM7000G")],
      ["ATI", ok("SIM7000G R1529")],
      ["AT+SGPIO=0,4,1,0", ok()],
      ["AT+CPIN?", ok("+CPIN: READY")],
      ...oks("AT+CNMP=38", "AT+CMNB=2"),
    ],
    // Written by the host while the module restarted, and never answered.
    skipped: ["AT+CFUN=0", "AT+CFUN=1"],
    check: (raw) => expect(parseIdentityText(lines(raw[6]), "+CGMM")).toBe("SIMCOM_SIM7000G"),
  },
  {
    id: "28",
    vendor: "simcom",
    steps: [],
    extras: [],
    // Every one delivered, in order; damping repeats is the listener's business.
    urcs: Array<string>(10).fill("+CGEV: ME PDN DEACT 1"),
  },
];
