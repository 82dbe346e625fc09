import { describe, expect, it } from "vitest";
import { askExit, counts, newRow, progressLine, rowJson, table, type Row } from "../../src/remote/index.js";

const T = 1_800_000_000_000;
const row = (name: string, patch: Partial<Row>): Row => ({
  ...newRow({ sid: `DE${name.padEnd(32, "0")}`, uniqueName: name, iccid: null, status: "active" }, "status", "abcde"),
  sentAt: T,
  ...patch,
});

describe("what a run prints", () => {
  const rows = [
    row("gw-1", { state: "answered", reply: "status ok reg=roaming", repliedAt: T + 2400, correlated: true }),
    row("gw-2", { state: "nak", reply: "NAK status bad-tag", repliedAt: T + 1000, late: ["#zzzzz signal rat=lte"] }),
    row("gw-3", { state: "failed", detail: "33118 Number of Commands exceeded", sentAt: null }),
    row("gw-4", { state: "sent" }),
  ];

  it("the live line counts sent, answered, NAKed, failed and pending", () => {
    expect(progressLine(counts(rows), 12_400)).toBe("sent 3/4 · answered 1 · NAKed 1 · failed 1 · pending 1 · 12 s");
  });

  it("the table has a row per SIM, the reply or why there is none, and late replies under their SIM", () => {
    expect(table(rows).split("\n")).toEqual([
      "SIM                                 NAME  VERB    STATE     S    REPLY",
      "DEgw-10000000000000000000000000000  gw-1  status  answered  2.4  status ok reg=roaming",
      "DEgw-20000000000000000000000000000  gw-2  status  nak       1    NAK status bad-tag",
      "                                    late (an earlier request's reply): #zzzzz signal rat=lte",
      "DEgw-30000000000000000000000000000  gw-3  status  failed    -    33118 Number of Commands exceeded",
      "DEgw-40000000000000000000000000000  gw-4  status  sent      -",
      "",
    ]);
  });

  it("one JSON line per SIM, with its request id and the seconds to the answer", () => {
    expect(rowJson(rows[0]!)).toMatchObject({
      name: "gw-1",
      requestId: "abcde",
      state: "answered",
      seconds: 2.4,
      correlated: true,
    });
    expect(rowJson(rows[2]!)).toMatchObject({ state: "failed", seconds: null });
  });

  it("exit 0 when every gateway answered, 2 when the API failed, else 1", () => {
    expect(askExit([rows[0]!], false)).toBe(0);
    expect(askExit(rows, false)).toBe(1);
    expect(askExit([rows[0]!, row("gw-5", { state: "api-error" })], false)).toBe(2);
    expect(askExit([rows[0]!], true)).toBe(2);
  });
});
