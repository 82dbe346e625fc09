import { expect } from "vitest";
import { isUnsupported } from "../../../src/at/index.js";
import {
  parseCeregRead,
  parseCfunRead,
  parseCgregRead,
  parseCimiExec,
  parseCmti,
  parseCopsRead,
  parseCregRead,
  parseCsqExec,
  parseRegistrationLine,
} from "../../../src/modem/index.js";
import { hostWrite } from "../../helpers/transcript-edits.js";
import { allEvents } from "../../helpers/transcript.js";
import { cme, error, lines, ok, oks, timeout, type ReplayCase } from "./case.js";

const NOT_SUPPORTED = "+CME ERROR: operation not supported";
const ROAMING_06 = {
  domain: "cs",
  stat: 5,
  state: "roaming",
  registered: true,
  roaming: true,
  lac: 0x4e76,
  ci: 0x6be6,
  act: "edge",
};

export const UBLOX: ReplayCase[] = [
  {
    id: "05",
    vendor: "ublox",
    // The excerpt starts inside the answer to an AT+CEREG? (its file says so): the test writes it.
    events: (t) => [hostWrite("AT+CEREG?"), ...allEvents(t)],
    steps: [
      // Reads split between the CR and the LF of one terminator.
      ["AT+CEREG?", ok("+CEREG: 2,0")],
      ["AT+CSQ", ok("+CSQ: 99,99")],
      ["AT+CEREG?", ok("+CEREG: 2,0")],
    ],
    check: (raw) => {
      expect(parseCeregRead(lines(raw[0]))).toEqual({ domain: "eps", stat: 0, state: "idle", registered: false, roaming: false });
      expect(parseCsqExec(lines(raw[1]))).toEqual({ rssiDbm: null, ber: null });
    },
  },
  {
    id: "06",
    vendor: "ublox",
    steps: [
      ...oks("AT", "ATE0", "AT+CMEE=2", "AT+UDCONF=1,0"),
      ["ATI9", ok("00.12,A00.00")],
      ...oks("AT&C1", "AT&D0", "AT+UCGED=2", "AT&K3", "AT+UPSV=4", "AT+UPSMR=1"),
      ["AT+CPSMS?", ok('+CPSMS:0,"01100000","00000000",,"00000000"')],
      ["AT+CEDRXS?", ok("+CEDRXS:")],
      ["AT+UMNOPROF?", ok("+UMNOPROF: 100")],
      ...oks("AT+CFUN=4", "AT+CREG=2", "AT+CGREG=2", "AT+CEREG=4"),
      ["AT+CIMI", ok("295059173648203")],
      ['AT+CGDCONT=1,"IP","em"', ok()],
      ["AT+COPS?", ok("+COPS: 0")],
      ["AT+CFUN=1", ok()],
      ["AT+CREG?", ok("+CREG: 2,0")],
      ["AT+CGREG?", ok("+CGREG: 2,0")],
      ["AT+CEREG?", ok("+CEREG: 4,4")],
      ["AT+CREG?", ok("+CREG: 2,0")],
      ["AT+CGREG?", ok("+CGREG: 2,0")],
      ["AT+CEREG?", ok("+CEREG: 4,4")],
      ["AT+CREG?", ok('+CREG: 2,5,"4E76","00006BE6",3')],
      ["AT+CGREG?", ok("+CGREG: 2,2")],
    ],
    urcs: ["+CREG: 2", "+CGREG: 2", '+CREG: 5,"4E76","00006BE6",3'],
    check: (raw, urcs) => {
      expect(parseCimiExec(lines(raw[18]))).toBe("295059173648203");
      expect(parseCopsRead(lines(raw[20]))).toEqual({ mode: 0 });
      expect(parseCeregRead(lines(raw[24])).state).toBe("unknown");
      expect(parseRegistrationLine(urcs[2]!, "urc")).toEqual(ROAMING_06);
      expect(parseCregRead(lines(raw[28]))).toEqual(ROAMING_06);
      expect(parseCgregRead(lines(raw[29])).state).toBe("searching");
    },
  },
  {
    id: "07",
    vendor: "ublox",
    steps: [
      ["AT+CGREG?", ok("+CGREG: 2,4")],
      ["AT+CEREG?", ok("+CEREG: 4,2")],
      ["AT+CREG?", ok("+CREG: 2,2")],
      ["AT+CGREG?", ok("+CGREG: 2,4")],
      ["AT+CEREG?", ok("+CEREG: 4,2")],
      ["AT+CREG?", ok("+CREG: 2,2")],
    ],
    urcs: ["+CREG: 2", "+CEREG: 2,,,,,,,,"],
    check: (raw, urcs) => {
      const searching = { domain: "eps", stat: 2, state: "searching", registered: false, roaming: false };
      expect(parseRegistrationLine(urcs[1]!, "urc")).toEqual(searching);
      expect(parseCeregRead(lines(raw[1]))).toEqual(searching);
      expect(parseCgregRead(lines(raw[0])).state).toBe("unknown");
    },
  },
  {
    id: "16",
    vendor: "ublox",
    steps: [
      ...oks("AT+CMGF=1", 'AT+CMGL="ALL"', "AT+CNMI=1,1"),
      ["AT+CNMI?", ok("+CNMI: 1,1,0,0,0")],
      ["AT+CMGF=1", ok()],
      // The excerpt ends inside the first +CMGL header: a partial line is no reply line.
      ['AT+CMGL="ALL"', timeout()],
    ],
    urcs: ['+CMTI: "ME",0'],
    check: (_, urcs) => expect(parseCmti(urcs[0]!)).toEqual({ memory: "ME", index: 0 }),
  },
  {
    id: "25",
    vendor: "ublox",
    steps: [
      // ATE0 is echoed itself; nothing after it is.
      ...oks("AT", "ATE0", "AT+CMEE=2", "AT+UDCONF=1,0"),
      ["ATI9", ok("03.15,A00.01")],
      ...oks("AT&C1", "AT&D0", "AT&K0", "AT+UPSV=1,1300", "AT+UPSMR=1"),
      ["AT+CPSMS?", ok('+CPSMS: 1,,,"00011000","00011110"')],
      ["AT+UMNOPROF?", ok("+UMNOPROF: 100")],
      ["AT+UGPRF?", ok('+UGPRF: 2,0,""')],
    ],
  },
  {
    id: "26",
    vendor: "ublox",
    steps: [
      ["AT", ok()],
      ["AT+CFUN=16", error()],
      ["AT+CFUN=?", ok("+CFUN: (0,1,4,15),(0-1)")],
      [
        "ATI",
        ok(
          "Manufacturer: u-blox",
          "Model: SARA-R412M-02B",
          "Revision: M0.05.00 [Jul 06 2018 10:01:55]",
          "SVN: 03",
          "IMEI: 354679090045173",
        ),
      ],
      // (b), another session with echo on.
      ["AT", ok()],
      ["AT+CFUN=16", error()],
    ],
    check: (raw) => {
      expect(isUnsupported(raw[1])).toBe(true);
      // The test command's ranges are not a power state: a coded parse error, not a number.
      expect(() => parseCfunRead(lines(raw[2]))).toThrow(expect.objectContaining({ code: "CG_ERR_MODEM_PARSE" }));
    },
  },
  {
    id: "33",
    vendor: "ublox",
    // As posted, the host's line had a blank before its CR; the engine trims its commands.
    steps: [["AT+CFUN=4", ok()]],
    // Long after the operation they belong to: URCs, whatever runs when they come.
    urcs: ["+UUMQTTC: 9,0", "+UUMQTTC: 8,0", "+UUMQTTC: 0,100"],
  },
  {
    id: "35",
    vendor: "ublox",
    steps: [
      ...oks("AT", "AT", "ATE0", "AT+CMEE=2", "AT+UDCONF=1,0"),
      ["ATI9", ok("00.13,A00.01")],
      ...oks("AT&C1", "AT&D0", "AT+UCGED=2"),
      // Verbose and lower case: the same error as +CME ERROR: 4.
      ["AT&K0", cme(4, NOT_SUPPORTED)],
      ["AT+UPSV=0", ok()],
    ],
    check: (raw) => {
      expect(isUnsupported(raw[9])).toBe(true);
      expect(raw[9]).toMatchObject({ detail: { errorText: "operation not supported", retryable: false } });
    },
  },
];
