import { describe, expect, it } from "vitest";
import { classifyLine, isFinal, LineFramer } from "../../src/at/index.js";

/** ModemManager's test-at-serial-port.c tables work on whole buffers: the first final line decides. */
function firstFinal(buffer: string) {
  const tokens = new LineFramer().push(Buffer.from(buffer, "latin1"));
  for (const t of tokens) {
    if (t.kind !== "line") continue;
    const k = classifyLine(t.text);
    if (isFinal(k)) return k;
  }
  return undefined;
}

describe("classifyLine: ModemManager parse_ok_tests / parse_error_tests", () => {
  it.each([
    ["\r\nOK\r\n", true, false],
    ['\r\nOK\r\n\r\n+CMTI: "ME",1\r\n', true, false],
    ['\r\nOK\r\n\r\n+CIEV: 7,1\r\n\r\n+CRING: VOICE\r\n\r\n+CLIP: "+0123456789",145,,,,0\r\n', true, false],
    ["\r\nUNKNOWN COMMAND\r\n", false, false],
    ["\r\nERROR\r\n", true, true],
    ["\r\nERROR\r\n\r\noooops\r\n", true, true],
    ["\r\n+CME ERROR: raspberry\r\n", true, true],
    ["\r\n+CME ERROR: 123\r\n", true, true],
    ["\r\n+CME ERROR: \r\n", true, true],
    ["\r\n+CME ERROR:\r\n", false, false],
    ["\r\n+CMS ERROR: bananas\r\n", true, true],
    ["\r\n+CMS ERROR: 456\r\n", true, true],
    ["\r\n+CMS ERROR: \r\n", true, true],
    ["\r\n+CMS ERROR:\r\n", false, false],
    ["\r\nMODEM ERROR: 5\r\n", true, true],
    ["\r\nMODEM ERROR: apple\r\n", false, false],
    ["\r\nMODEM ERROR: \r\n", false, false],
    ["\r\nMODEM ERROR:\r\n", false, false],
    ["\r\nCOMMAND NOT SUPPORT\r\n", true, true],
    ["\r\nCOMMAND NOT SUPPORT\r\n\r\nSomething extra\r\n", true, true],
    ["\r\nNO CARRIER\r\n", true, true],
    ["\r\nBUSY\r\n\r\nSomething extra\r\n", true, true],
    ["\r\nNO ANSWER\r\n", true, true],
    ["\r\nNO DIALTONE\r\n", true, true],
    ["\r\nCONNECT\r\n", true, false],
    ["\nCONNECT 115200\r\n", true, false],
  ])("%j → found=%s error=%s", (buffer, found, error) => {
    const k = firstFinal(buffer);
    expect(k !== undefined).toBe(found);
    if (k !== undefined) expect(k.kind !== "ok" && k.kind !== "connect").toBe(error);
  });
});

describe("classifyLine: values and near-misses", () => {
  it.each([
    ["OK", { kind: "ok" }],
    ["OK  ", { kind: "ok" }],
    ["+CME ERROR: 10", { kind: "cme", code: 10, text: "10" }],
    ["+CME ERROR:53", { kind: "cme", code: 53, text: "53" }],
    ["+CME ERROR: SIM busy", { kind: "cme", text: "SIM busy" }],
    ["+CMS ERROR: 500", { kind: "cms", code: 500, text: "500" }],
    ["+CMS ERROR: 3517", { kind: "cms", code: 3517, text: "3517" }],
    ["MODEM ERROR: 5", { kind: "error", final: "MODEM ERROR", code: 5 }],
    ["\x1bERROR", { kind: "error", final: "ERROR" }],
    ["+CSQ: 18,99", { kind: "info" }],
    ["OKAY", { kind: "info" }],
    ["ERRORS", { kind: "info" }],
    ["CONNECTED", { kind: "info" }],
    ["+CMEE: 1", { kind: "info" }],
    ["+CMS ERRORS: 5", { kind: "info" }],
    ["NO CARRIER HERE", { kind: "info" }],
    ["", { kind: "info" }],
  ])("%j", (line, want) => {
    expect(classifyLine(line)).toEqual(want);
  });
});
