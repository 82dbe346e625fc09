import { expect } from "vitest";
import { isUnsupported } from "../../../src/at/index.js";
import {
  chooseProfile,
  parseCclkRead,
  parseCeregRead,
  parseCesqExec,
  parseCgdcontRead,
  parseCgpaddrExec,
  parseCgregRead,
  parseCopsRead,
  parseCopsTest,
  parseCpinRead,
  parseCregRead,
  parseCsqExec,
  parseIdentityText,
  parseRegistrationLine,
  ratFromAct,
} from "../../../src/modem/index.js";
import { replaceText } from "../../helpers/transcript-edits.js";
import { allEvents, loadTranscript } from "../../helpers/transcript.js";
import { cme, error, lines, ok, oks, timeout, type ReplayCase } from "./case.js";

const NOT_SUPPORTED = "+CME ERROR: operation not supported";
// The !GSTATUS block as sent, TABs and trailing blanks kept; empty lines carry nothing; the excerpt's cut line is no line.
const EVENTS_09 = allEvents(loadTranscript("09"));
const GSTATUS_09 = EVENTS_09.slice(EVENTS_09.findIndex((e) => e.text === "AT!GSTATUS?") + 1)
  .filter((e) => e.dir === "modem" && e.form === "line" && e.text !== "")
  .map((e) => e.text);
const CGDCONT_20 = [
  '+CGDCONT: 1,"IP","catm","",0,0,0,0',
  ...[2, 3, 4, 5, 6].map((cid) => `+CGDCONT: ${cid},"IPV4V6","","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0`),
];
const COPS_TEST_20 =
  '+COPS: (1,"T-Mobile A","T-Mobile A","23203",0),....,(2,"T-Mobile A","T-Mobile A","23203",8),....,,(0-4),(0-2)';
const MC8790_ATI = [
  "Manufacturer: Sierra Wireless, Inc.",
  "Model: MC8790",
  "Revision: K1_0_2_8AP C:/WS/FW/K1_0_2_8AP/MSM6290/SRC 2008/09/17 14:00:22",
  "IMEI: 352974021856935",
  "IMEI SV: 3",
  "FSN: D661380183210",
  "3GPP Release 6",
  "+GCAP: +CGSM,+DS,+ES",
];

export const OTHERS: ReplayCase[] = [
  {
    id: "08",
    vendor: "nordic",
    steps: [
      ...oks("AT", "AT#XRESET", "AT", 'AT+CGDCONT=0,"IP","iijmio.jp"', "AT+CEREG=1", "AT+CFUN=1"),
      ["AT+CMEE=2", error()],
      ["AT+CGMM", ok("nRF9160-SICA")],
      ["AT+CPIN?", error()],
      ["AT+CPIN?", error()],
      ["AT+CPIN?", ok("+CPIN: READY")],
      ["ATI", error()],
      ["AT+CPIN?", ok("+CPIN: READY")],
      ["AT+CEREG?", ok("+CEREG: 1,4")],
      ["AT+CEREG?", ok("+CEREG: 1,4")],
      // A +CEREG URC (n=1: the state alone) between the command and its reply is a URC, not a reply line.
      ["AT+CEREG?", ok("+CEREG: 1,2")],
      ["AT+CEREG?", ok("+CEREG: 1,2")],
      ["AT+CEREG?", ok("+CEREG: 1,1")],
      ["AT+CGPADDR=0", ok('+CGPADDR: 0,"100.72.62.220"')],
      ["AT#XSOCKET=0,1,0", error()],
      ["AT#XSOCKET=1,1,0", ok("#XSOCKET: 1, 1, 0, 6")],
      ["AT#XSOCKETOPT=1,20,2", ok()],
      ['AT#XCONNECT="www.google.com",443', ok("#XCONNECT: 1")],
      ["AT+CCLK?", ok('+CCLK: "21/01/27,07:30:39+36"')],
    ],
    urcs: ["Ready", "Ready", "+CEREG: 2", "+CEREG: 1"],
    check: (raw, urcs) => {
      expect(chooseProfile({ manufacturer: "", model: lines(raw[7])[0]! }).name).toBe("nordic");
      expect(parseCpinRead(lines(raw[10]))).toBe("ready");
      expect(parseCeregRead(lines(raw[15])).state).toBe("searching");
      expect(parseRegistrationLine(urcs[2]!, "urc").state).toBe("searching");
      expect(parseRegistrationLine(urcs[3]!, "urc").state).toBe("home");
      expect(parseCeregRead(lines(raw[17])).state).toBe("home");
      expect(parseCgpaddrExec(lines(raw[18]))).toEqual([{ cid: 0, ipv4: "100.72.62.220" }]);
      expect(parseCclkRead(lines(raw[23]))).toMatchObject({ iso: "2021-01-27T07:30:39+09:00", tzMinutes: 540 });
    },
  },
  {
    id: "09",
    vendor: "generic",
    steps: [
      ["ATE0", ok()],
      ["AT+COPS=3,2;+COPS?", ok('+COPS: 0,2,"20201",13')],
      // One final result for a compound line; its read's line is the reply, not a URC.
      ["AT+CREG=2;+CREG?", ok('+CREG: 2,1,"1206","19E4A03",13')],
      ["AT+CGREG=2;+CGREG?", ok("+CGREG: 2,0")],
      ["AT+CEREG=2;+CEREG?", ok('+CEREG: 2,1,"1206","19E4A03",13')],
      ["AT+CSQ", ok("+CSQ: 21,99")],
      ["AT*CNTI=0", ok("*CNTI: 0,NONE")],
      // The excerpt ends inside the block: what came is kept, with the timeout.
      ["AT!GSTATUS?", timeout(...GSTATUS_09)],
    ],
    check: (raw) => {
      expect(GSTATUS_09).toHaveLength(21);
      expect(parseCopsRead(lines(raw[1]))).toEqual({ mode: 0, numeric: "20201", mcc: "202", mnc: "01", act: "en-dc" });
      const creg = parseCregRead(lines(raw[2]));
      expect(creg).toMatchObject({ state: "home", lac: 0x1206, ci: 0x19e4a03, act: "en-dc" });
      expect(ratFromAct(creg.act!, "EM9191")).toBe("nr");
      expect(parseCgregRead(lines(raw[3])).registered).toBe(false);
      expect(parseCeregRead(lines(raw[4]))).toMatchObject({ state: "home", tac: 0x1206, act: "en-dc" });
      expect(parseCsqExec(lines(raw[5])).rssiDbm).toBe(-71);
    },
  },
  {
    id: "10",
    vendor: "telit",
    steps: [
      ["AT+CEREG?", error()],
      // Three reads: CR LF, "+CGR", the rest.
      ["AT+CGREG?", ok("+CGREG: 2,3")],
    ],
    check: (raw) => {
      expect(isUnsupported(raw[0])).toBe(true);
      expect(parseCgregRead(lines(raw[1]))).toMatchObject({ state: "denied", registered: false });
    },
  },
  {
    id: "19",
    vendor: "telit",
    steps: [
      ["AT+CGMR", ok("M0B.800004")],
      ["AT+CPIN?", ok("+CPIN: SIM PIN")],
      ["AT+CPIN?", ok("+CPIN: SIM PIN")],
      ["AT+CEREG?", timeout()],
      // Verbose, split inside a word across two reads: CME 4, after the engine's own resync AT.
      ["AT+CGREG?", cme(4, NOT_SUPPORTED)],
      ["AT+COPS?", ok("+COPS: 0")],
    ],
    extras: ["AT", "AT"],
    // The PIN the log does not show is not replayed.
    skipped: ["<not replayable: AT+CPIN=…>"],
    check: (raw) => {
      expect(parseIdentityText(lines(raw[0]), "+CGMR")).toBe("M0B.800004");
      expect(parseCpinRead(lines(raw[1]))).toBe("sim-pin");
      expect(isUnsupported(raw[4])).toBe(true);
      expect(parseCopsRead(lines(raw[5]))).toEqual({ mode: 0 });
    },
  },
  {
    id: "20",
    vendor: "telit",
    // The notes' typo, marked (sic) there: the module prints "+CEREG: 1,1".
    events: (t) => replaceText(allEvents(t), "+CEREG=1,1", "+CEREG: 1,1"),
    steps: [
      ...oks("AT", "AT+CMEE=2", "AT#BND=5,0,524420", "AT+CFUN=1", 'AT+CGDCONT=1,"IP","catm"', "AT#REBOOT"),
      ["AT+CGDCONT?", ok(...CGDCONT_20)],
      ...oks("AT#WS46=0", "AT+WS46=30", "AT+CEREG=1", "AT+CREG=1"),
      ["AT+COPS=?", ok(COPS_TEST_20)],
      ['AT+COPS=1,2,"23203",8', ok()],
      ["AT+CEREG?", ok("+CEREG: 1,1")],
      ["AT+CGCONTRDP", ok('+CGCONTRDP: 1,5,"catm","10.***.***.***",,"*.*.*.*","*.*.*.**"')],
      ["AT+CSQ", ok("+CSQ: 31,2")],
      ["AT#SERVINFO", ok('#SERVINFO: 6400,-43,"T-Mobile A","23203",00000AF,36EE,32,3,-60')],
      ["AT+CESQ", ok("+CESQ: 99,99,255,255,34,81")],
      ["AT+CGPADDR=", ok('+CGPADDR: 1,"10.***.***.***"', ...[2, 3, 4, 5, 6].map((cid) => `+CGPADDR: ${cid},""`))],
    ],
    check: (raw) => {
      expect(parseCgdcontRead(lines(raw[6]))[0]).toEqual({ cid: 1, type: "IP", apn: "catm" });
      const ops = parseCopsTest(lines(raw[11]));
      expect(ops.map((o) => [o.status, o.numeric, o.act])).toEqual([
        ["available", "23203", "gsm"],
        ["current", "23203", "ec-gsm-iot"],
      ]);
      // On an ME910C1, <AcT> 8 is its LTE-M.
      expect(ratFromAct(ops[1]!.act!, "ME910C1-E2")).toBe("lte-m");
      expect(parseCeregRead(lines(raw[13])).state).toBe("home");
      expect(parseCsqExec(lines(raw[15]))).toEqual({ rssiDbm: -51, ber: 2 });
      expect(parseCesqExec(lines(raw[17]))).toEqual({ lte: { rsrpDbm: -60, rsrqDb: -3 } });
      // The masked address is no address: a coded parse error that names it.
      expect(() => parseCgpaddrExec(lines(raw[18]))).toThrow(/not an address: "10\.\*\*\*/);
      expect(parseCgpaddrExec(lines(raw[18]).slice(1))).toEqual([2, 3, 4, 5, 6].map((cid) => ({ cid })));
    },
  },
  {
    id: "23",
    vendor: "generic",
    steps: [
      ["AT+CEREG=0", ok()],
      // The excerpt ends inside the profile line.
      ["AT&V", timeout("ACTIVE PROFILE:")],
    ],
    urcs: ["+CEREG: 2"],
    // HL7800's start-up URC: no profile of cellgate knows it (there is no Sierra profile).
    strays: ["+KSUP: 0"],
  },
  {
    id: "24",
    vendor: "generic",
    // The logged host ended its lines with LF CR; the engine writes CR. The far end answers as logged.
    steps: [
      ["AT", error()],
      // The whole identity block, then ERROR: kept with the error.
      ["ATI", error(...MC8790_ATI)],
    ],
  },
  {
    id: "34",
    vendor: "telit",
    steps: [
      ["AT+CGMI", ok("Telit")],
      ["AT+CPROT=?", error()],
    ],
    check: (raw) => {
      expect(chooseProfile({ manufacturer: parseIdentityText(lines(raw[0]), "+CGMI"), model: "HE910-D" }).name).toBe("telit");
    },
  },
];
