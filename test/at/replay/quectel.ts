import { expect } from "vitest";
import { isUnsupported } from "../../../src/at/index.js";
import {
  parseCfunRead,
  parseCgregRead,
  parseCmgrPdu,
  parseCmgsWrite,
  parseCopsRead,
  parseCpinRead,
  parseCregRead,
  parseCsqExec,
  ratFromText,
} from "../../../src/modem/index.js";
import { parseQengServingcell, parseQnwinfoExec } from "../../../src/modem/vendors/index.js";
import { dropExchanges, echoOrder, replaceText, supplyAfter } from "../../helpers/transcript-edits.js";
import { allEvents, loadTranscript } from "../../helpers/transcript.js";
import { error, lines, ok, oks, timeout, type ReplayCase } from "./case.js";

// 01's PDU with the masked number made hex (10 nibbles, as the logged byte counts say the real one had).
const PDU_01 = "0011000A9121436587090008011C00480065006C006C006F002C005100750065006300740065006C0021";
const QCFG_TEST_29 = allEvents(loadTranscript("29"))
  .filter((e) => e.dir === "modem" && e.text.startsWith('+QCFG: "') && !e.text.includes("usbnet"))
  .map((e) => e.text);
const QISTATE_31 = '+QISTATE: 0,"TCP","104.155.82.190",1883,22742,3,1,0,0,"uart1"';
const QENG_30 = '+QENG: "servingcell","NOCONN","LTE","FDD",123,01,43300C,348,1802,3,5,5,5443,-87,-16,-69,5,34';

export const QUECTEL: ReplayCase[] = [
  {
    id: "01",
    vendor: "quectel",
    // The app read once per write, so its log prints each answer one step late: each write is put
    // before the chunk that echoes it. The masked number in the PDU is made hex so the engine takes
    // it. The text-mode SMS is left out: the engine sends SMS in PDU mode only.
    events: (t) =>
      dropExchanges(replaceText(echoOrder(allEvents(t)), "yourphonenumberpdu", "2143658709"), (l) =>
        /^AT\+CMGS="|^Hello/.test(l),
      ),
    steps: [
      ...oks("AT", "AT", "AT", "AT"),
      ["AT+CREG?", ok("+CREG: 0,1")],
      ["AT+COPS?", ok('+COPS: 0,0,"SGP-M1",7')],
      ...oks("AT+CMGF=1", 'AT+CSCS="GSM"', "AT+CMGF=0"),
      // The PDU's echo comes in two reads with no CR between, and no echo of the Ctrl-Z.
      ["AT+CMGS=41", ok("+CMGS: 14"), PDU_01],
      ["AT+QDAI=?", ok("+QDAI: (1-4),(0,1),(0,1),(0-5),(0-2),(0,1)(1)(1-16)")],
      ["AT+QDAI?", ok("+QDAI: 1,1,0,1,0,0,1,1")],
      ...oks("ATDyourphonenumber;", "ATH", "AT"),
    ],
    urcs: ["RDY", "+CFUN: 1", "+CPIN: READY", "+QUSIM: 1", "+QIND: SMS DONE", "+QIND: PB DONE"],
    // The call ended after the dial's OK, in the same read: no reply's line, no URC of the table.
    strays: ["NO CARRIER"],
    check: (raw) => {
      expect(parseCregRead(lines(raw[4]))).toMatchObject({ domain: "cs", state: "home", registered: true });
      expect(parseCopsRead(lines(raw[5]))).toEqual({ mode: 0, name: "SGP-M1", act: "lte" });
      expect(parseCmgsWrite(lines(raw[9]))).toBe(14);
    },
  },
  {
    id: "02",
    vendor: "quectel",
    steps: [
      ...oks("AT", "AT", "AT", "AT", "ATE0", "AT", "AT+CMEE=1", "AT+QISDE=0", 'AT+QMTCFG="ssl",0,1,2'),
      ...oks('AT+QMTCFG="version",0,4', "AT+QSSLSTATE"),
      ["AT+CPIN?", ok("+CPIN: READY")],
      ["AT+CFUN=1", ok()],
      ["AT+CFUN?", ok("+CFUN: 1")],
      ["AT+QICSGP=1", ok('+QICSGP: 1,"","","",0')],
      // A syntax error is a plain ERROR even with CMEE=1.
      ["AT+QIDNSCFG=1", error()],
      ...oks("AT+QIACT?", "AT+QIACT=1"),
      ["AT+QIACT?", ok('+QIACT: 1,1,1,"10.XXX.YYY.172"')],
      ["AT+QICLOSE=0", ok()],
    ],
    check: (raw) => {
      expect(parseCpinRead(lines(raw[11]))).toBe("ready");
      expect(parseCfunRead(lines(raw[13]))).toBe(1);
      expect(isUnsupported(raw[15])).toBe(true);
    },
  },
  {
    id: "03",
    vendor: "quectel",
    steps: [
      ["AT+CGEREP=1", ok()],
      ["AT+CSQ", ok("+CSQ: 15,3")],
      ["AT+CSQ", ok("+CSQ: 15,3")],
      // The line came without its CR LF; the next read began with it.
      ["AT+CGREG?", ok('+CGREG: 2,1,"5650","29A7DF4",2')],
    ],
    check: (raw) => {
      expect(parseCsqExec(lines(raw[1]))).toEqual({ rssiDbm: -83, ber: 3 });
      expect(parseCgregRead(lines(raw[3]))).toEqual({
        ...{ domain: "ps", stat: 1, state: "home", registered: true, roaming: false },
        ...{ lac: 0x5650, ci: 0x29a7df4, act: "umts" },
      });
    },
  },
  {
    id: "04",
    vendor: "quectel",
    // The logged host polled AT about every 400 ms while the module restarted; the engine's resync does
    // the same, and its ATs take the place of the host's nine (the last one answered after RDY).
    engine: { resyncTimeoutMs: 400, resyncBudgetMs: 6_000 },
    steps: [
      ...oks("AT", "AT+CFUN=1,1"),
      // Answered only by a URC left over from before the reset: no final result.
      ["AT", timeout()],
      ["AT&FZE0", ok()],
      ["AT+CPIN?", ok("+CPIN: READY")],
      ["ATI", ok("Quectel", "BG96", "Revision: BG96MAR02A07M1G")],
    ],
    urcs: ["POWERED DOWN", '+QIURC: "pdpdeact",1', "RDY"],
  },
  {
    id: "15",
    vendor: "quectel",
    // The first two lines end a +CMGS the excerpt does not show: with nothing in flight they are
    // reported as strays, not taken for URCs.
    steps: [["AT+CMGR=0", ok()]],
    strays: ["+CMGS: 78", "OK"],
    urcs: ['+CDSI: "SM",0'],
    check: (raw) => expect(parseCmgrPdu(lines(raw[0]), 0)).toBeUndefined(),
  },
  { id: "17", vendor: "quectel", steps: [], extras: [], urcs: ["RDY", "+CPIN: SIM PIN", "+CFUN: 1"] },
  {
    id: "18",
    vendor: "quectel",
    steps: [],
    extras: [],
    strays: ['"'],
    urcs: ["RDY", "+CPIN: READY", "+QUSIM: 1", "+CFUN: 4", "+QIND: SMS DONE"],
  },
  {
    id: "22",
    vendor: "quectel",
    // One to two bytes per read; the excerpt ends before the final result.
    steps: [["AT+CGACT?", timeout("+CGACT: 24,0", "+CGACT: 3,0", "+CGACT: 4,0", "+CGACT: 5,0")]],
  },
  {
    id: "29",
    vendor: "quectel",
    steps: [
      ["ATI", ok("Quectel", "RG502Q-EA", "Revision: RG502QEAAAR11A07M4G")],
      // A command the module does not have, answered OK: nothing the engine can tell.
      ["AT+CFG=?", ok()],
      ["AT+QCFG=?", ok(...QCFG_TEST_29)],
      ['AT+QCFG="usbnet"', ok('+QCFG: "usbnet",2')],
      ['AT+QCFG="usbnet",0', ok()],
      ['AT+QCFG="usbnet"', ok('+QCFG: "usbnet",0')],
      ["AT+CFUN=1,1", ok()],
    ],
    check: () => expect(QCFG_TEST_29).toHaveLength(23),
  },
  {
    id: "30",
    vendor: "quectel",
    // The issue's copy left out the OK after each reply.
    events: (t) => supplyAfter(allEvents(t), (l) => l.startsWith("+Q")),
    steps: [
      ["AT+QTEMP", ok("+QTEMP: 38,255,255")],
      ["AT+qnwinfo", ok('+QNWINFO: "FDD LTE","12301","LTE BAND 3",1802')],
      ['AT+qeng="servingcell"', ok(QENG_30)],
    ],
    check: (raw) => {
      expect(parseQnwinfoExec(lines(raw[1]))).toEqual({ act: "FDD LTE", band: "B3", channel: 1802 });
      expect(ratFromText("FDD LTE")).toBe("lte");
      expect(parseQengServingcell(lines(raw[2]))).toEqual({
        ...{ source: "+QENG", rat: "LTE", state: "NOCONN", mcc: "123", mnc: "01", ci: 0x43300c, pci: 348 },
        ...{ earfcn: 1802, band: "B3", tac: 0x5443, rsrpDbm: -87, rsrqDb: -16, rssiDbm: -69, sinrDb: 5 },
      });
    },
  },
  {
    id: "31",
    vendor: "quectel",
    // Not replayed: QISEND (the engine's prompt commands carry SMS PDUs, not socket bytes, and the
    // payload is masked) and the read of 4 binary bytes the log shows only as a blank.
    events: (t) => dropExchanges(allEvents(t), (l) => /^AT\+QISEND|^<not replayable|^AT\+QIRD=0,4$/.test(l)),
    steps: [
      ['AT+QIOPEN=1,0,"TCP","kangaroo.rmq.cloudamqp.com",1883,0,0', ok()],
      ["AT+QIRD=0,0", ok("+QIRD: 0,0,0")],
      ["AT+QISTATE=1,0", ok(QISTATE_31)],
      ["AT+QIRD=0,0", ok("+QIRD: 0,0,0")],
      ["AT+QISTATE=1,0", ok(QISTATE_31)],
      ["AT+QIRD=0,0", ok("+QIRD: 4,0,4")],
      ["AT+QIRD=0,0", ok("+QIRD: 4,4,0")],
      ["AT+QISTATE=1,0", ok(QISTATE_31)],
      ["AT+QICLOSE=0", ok()],
      ["AT+QIRD=0,0", error()],
      ["AT+QISTATE=1,0", ok()],
    ],
    urcs: ["+QIOPEN: 0,0", '+QIURC: "recv",0'],
  },
  {
    id: "32",
    vendor: "quectel",
    steps: [
      ["AT+MODE=2", error()],
      ["AT+CMEE=1", ok()],
    ],
    check: (raw) => expect(isUnsupported(raw[0])).toBe(true),
  },
];
