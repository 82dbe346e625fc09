import { describe, expect, it } from "vitest";
import { cellgateIn } from "../helpers/cli.js";

// `cellgate pdu decode` as an operator runs it: the PDU of a log line in, the contract's fields out.
const cellgate = (...args: string[]) => cellgateIn({}, ...args);

describe("cellgate pdu decode", () => {
  it.each([
    [
      "a DELIVER (python-messaging pmsg-7bit)",
      ["07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"],
      {
        type: "deliver",
        smsc: "+31624000000",
        sender: "+31641600986",
        timestamp: "2002-08-26T19:37:41-00:00",
        encoding: "gsm7",
        text: "How are you?",
      },
    ],
    [
      "a bare TPDU (warthog618 w618-tpdu-haha)",
      ["040491361900005150713220052308C8303A8C0EA3C3", "--no-smsc"],
      {
        type: "deliver",
        smsc: null,
        sender: "+6391",
        timestamp: "2015-05-17T23:02:50+08:00",
        encoding: "gsm7",
        text: "Hahahaha",
      },
    ],
    [
      "an 8-bit SUBMIT (python-gsmmodem pgm-8bit-submit)",
      ["0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421"],
      { type: "submit", smsc: "+2781191", recipient: "+27821234567", encoding: "8bit", dataHex: "48656C6C6F20776F726C6421" },
    ],
    [
      "a concatenated part (node-pdu npdu-concat16-0x1234-2of3)",
      ["07919730071111F1400B919746121611F10000811170021232230C06080412340302A03A9C05"],
      {
        type: "deliver",
        smsc: "+79037011111",
        sender: "+79642161111",
        timestamp: "2018-11-07T20:21:23+08:00",
        encoding: "gsm7",
        text: " up,",
        concat: { ref: 0x1234, total: 3, part: 2 },
      },
    ],
    [
      "a status report (python-messaging pmsg-status-report)",
      ["0791538375000075061805810531F1019082416500400190824165004000"],
      { type: "status-report", smsc: "+353857000057", recipient: "50131", timestamp: "2010-09-28T14:56:00+01:00", status: 0 },
    ],
  ])("%s: exactly the contract's fields", async (_label, args, want) => {
    const r = await cellgate("pdu", "decode", ...args, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toStrictEqual(want);
  });

  it("a malformed PDU exits 1 with a one-line reason, or the error object with --json", async () => {
    const human = await cellgate("pdu", "decode", "07911614220991");
    expect(human.code).toBe(1);
    expect(human.stderr).toBe("cellgate: CG_ERR_PDU_DECODE: SMSC digits at octet 2: needs 6 octets, 5 left\n");
    const json = await cellgate("pdu", "decode", "03", "--no-smsc", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "CG_ERR_PDU_DECODE", message: "first octet at octet 0: message type indicator 3 is reserved (0x03)" },
    });
  });
});
