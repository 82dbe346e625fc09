import { describe, expect, it } from "vitest";
import { parseCgactRead, parseDataEvent } from "../../src/modem/index.js";

// Lines as the manuals print them (docs/modems/): 27.007 §10.1.19 +CGEV (EC25 §10.12, A76XX §5.2.15,
// nRF91 §7.3), Quectel DFOTA +QIND, Nordic %MDMEV (nWP042).
describe("data-path URCs", () => {
  it.each([
    ["+CGEV: NW PDN DEACT 1", { kind: "pdn-deact", by: "nw", cid: 1 }],
    ["+CGEV: ME PDN DEACT 0", { kind: "pdn-deact", by: "me", cid: 0 }],
    ['+CGEV: NW DEACT "IP","10.64.12.3",1', { kind: "pdn-deact", by: "nw", cid: 1 }],
    ['+CGEV: NW DEACT "IP","10.64.12.3"', { kind: "pdn-deact", by: "nw", cid: null }],
    ["+CGEV: NW DETACH", { kind: "detach", by: "nw" }],
    ["+CGEV: ME DETACH", { kind: "detach", by: "me" }],
    ['+QIND: "FOTA","START"', { kind: "fota", phase: "start", error: null }],
    ['+QIND: "FOTA","UPDATING",45', { kind: "fota", phase: "progress", error: null }],
    ['+QIND: "FOTA","END",0', { kind: "fota", phase: "end", error: null }],
    ['+QIND: "FOTA","END",504', { kind: "fota", phase: "end", error: 504 }],
    ["%MDMEV: RESET LOOP", { kind: "throttled", forMs: 30 * 60_000 }],
  ])("%s", (line, expected) => expect(parseDataEvent(line)).toMatchObject({ ...expected, line }));

  it.each(["+CGEV: ME PDN ACT 0", '+QIND: "csq",20,99', "+CEREG: 1", "%MDMEV: SEARCH STATUS 1", '+QIND: "FOTA"'])(
    "%s is not one",
    (line) => expect(parseDataEvent(line)).toBeUndefined(),
  );
});

describe("+CGACT?", () => {
  it("one line per context (EC25 §10.7, nRF91 §7.4)", () => {
    expect(parseCgactRead(["+CGACT: 0,1", "+CGACT: 1,0"])).toEqual(
      new Map([
        [0, true],
        [1, false],
      ]),
    );
  });
  it("a malformed line is a coded parse error", () => {
    expect(() => parseCgactRead(["+CGACT: 1,x"])).toThrow(/CGACT/);
  });
});
