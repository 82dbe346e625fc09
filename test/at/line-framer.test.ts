import { describe, expect, it } from "vitest";
import { LineFramer, type FrameToken } from "../../src/at/index.js";

const frame = (chunks: string[], max?: number): FrameToken[] => {
  const f = new LineFramer(max);
  return chunks.flatMap((c) => f.push(Buffer.from(c, "latin1")));
};
const lines = (toks: FrameToken[]) =>
  toks.map((t) => (t.kind === "line" ? t.text : t.kind === "prompt" ? ">" : `<overflow ${t.dropped}>`));

describe("LineFramer", () => {
  it.each([
    ["CRLF", ["\r\nOK\r\n"], ["OK"]],
    ["CR CR LF (SIMCom URCs, Huawei +CLAC)", ["\r\r\n+CRING: VOICE\r\r\n"], ["+CRING: VOICE"]],
    ["lone LF before NO CARRIER (ModemManager echo_removal_tests)", ["\nNO CARRIER\r\n"], ["NO CARRIER"]],
    ["info then final", ["\r\n+CSQ: 18,99\r\n\r\nOK\r\n"], ["+CSQ: 18,99", "OK"]],
    [
      "OK followed by URCs in one read (ModemManager parse_ok_tests)",
      ['\r\nOK\r\n\r\n+CMTI: "ME",1\r\n'],
      ["OK", '+CMTI: "ME",1'],
    ],
    ["echo left on: ATE0 echo keeps its own CR", ["ATE0\r\r\nOK\r\n"], ["ATE0", "OK"]],
    ["gammu#115 raw reply with ESC echo", ["\x1b\rAT\r\r\nOK\r\n"], ["AT", "OK"]],
    ["no terminator yet: nothing", ["this is a string that ends just with <CR>"], []],
  ])("%s", (_label, chunks, want) => {
    expect(lines(frame(chunks))).toEqual(want);
  });

  it("joins bytes split across reads at every possible point", () => {
    const wire = '\r\n+CSQ: 18,99\r\n\r\n+CMTI: "SM",3\r\n\r\nOK\r\n';
    for (let cut = 0; cut <= wire.length; cut++) {
      expect(lines(frame([wire.slice(0, cut), wire.slice(cut)])), `cut at ${cut}`).toEqual([
        "+CSQ: 18,99",
        '+CMTI: "SM",3',
        "OK",
      ]);
    }
    expect(lines(frame([...wire]))).toEqual(["+CSQ: 18,99", '+CMTI: "SM",3', "OK"]);
  });

  it.each([
    ["`> ` with a space (python-gsmmodem)", ["\r\n> "], [">"]],
    ["`>` with no space and no CRLF (warthog618 mock, gammu#1176 SIM7670G)", ["\n>"], [">"]],
    ["SIM7670G bytes: AT+CMGS=26\\r\\r\\n>\\r\\n\\r", ["AT+CMGS=26\r\r\n>\r\n\r"], ["AT+CMGS=26", ">"]],
    ["gammu#438: echo then \\r\\r\\n> ", ["AT+CMGS=18\r\r\n> "], ["AT+CMGS=18", ">"]],
    ["prompt and echoed PDU on one line (node-pdu#22)", ["\r\n> 0041000B91\r\n"], [">", "0041000B91"]],
    ["prompt dribbled byte by byte", ["\r", "\n", ">", " "], [">"]],
  ])("SMS prompt: %s", (_label, chunks, want) => {
    expect(lines(frame(chunks))).toEqual(want);
  });

  it("drops an over-long line once and recovers at the next terminator", () => {
    const junk = "x".repeat(100);
    expect(lines(frame([junk.slice(0, 60), junk.slice(60), "\r\nOK\r\n"], 64))).toEqual(["<overflow 100>", "OK"]);
    expect(lines(frame([`${junk}\r\nOK\r\n`], 64))).toEqual(["<overflow 100>", "OK"]);
  });

  it("does not keep views of the caller's buffer", () => {
    const f = new LineFramer();
    const buf = Buffer.from("+CSQ: 1");
    expect(f.push(buf)).toEqual([]);
    buf.fill(0x21);
    expect(lines(f.push(Buffer.from("8,99\r\n")))).toEqual(["+CSQ: 18,99"]);
  });
});
