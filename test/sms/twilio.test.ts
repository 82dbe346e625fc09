import { describe, expect, it } from "vitest";
import { isCommandSender, messageId, Reassembler, stripCommandSid, type PartRecord } from "../../src/sms/index.js";

const SID = "DC0123456789abcdef0123456789abcdef";

describe("Commands: sender, IncludeSid, ids", () => {
  it.each([
    ["2936", "programmable-wireless", true],
    ["+2936", "programmable-wireless", true],
    ["2936 ", "programmable-wireless", true],
    ["29361", "programmable-wireless", false],
    ["+12936", "programmable-wireless", false],
    ["000", "super-sim", true],
    ["0", "super-sim", false],
    ["2936", "super-sim", false],
    ["Twilio", "programmable-wireless", false],
  ] as const)("%j is the %s Command number: %s", (sender, product, want) => {
    expect(isCommandSender(sender, product)).toBe(want);
  });

  it.each([
    [`${SID} reboot CONFIRM`, "reboot CONFIRM", SID],
    [`status ${SID}`, "status", SID],
    [SID, "", SID],
    [`status`, "status", undefined],
    [`status DC123`, "status DC123", undefined],
    [`${SID}status`, `${SID}status`, undefined],
    [`ping ${SID} 8.8.8.8`, `ping ${SID} 8.8.8.8`, undefined],
  ])("strips IncludeSid from %j", (text, body, sid) => {
    expect(stripCommandSid(text)).toEqual(sid ? { body, sid } : { body });
  });

  it("ids: the SID when there is one, else a hash of sender, time stamp and content", () => {
    expect(messageId({ sid: SID, sender: "2936", timestamp: "t", content: "x" })).toBe(`sid:${SID}`);
    const a = messageId({ sender: "2936", timestamp: "2026-11-26T12:00:00+00:00", content: "status" });
    expect(a).toMatch(/^h:[0-9a-f]{32}$/);
    expect(messageId({ sender: "2936", timestamp: "2026-11-26T12:00:00+00:00", content: "status" })).toBe(a);
    expect(messageId({ sender: "2936", timestamp: "2026-11-26T12:00:01+00:00", content: "status" })).not.toBe(a);
  });
});

describe("Reassembler", () => {
  const part = (n: number, o: Partial<PartRecord> = {}): PartRecord => ({
    key: Reassembler.keyOf("+1555", { ref: 7, total: 3, refBits: 8 }),
    sender: "+1555",
    ref: 7,
    total: 3,
    part: n,
    pdu: `P${n}`,
    smsc: null,
    timestamp: "t",
    encoding: "gsm7",
    text: `t${n}`,
    receivedAt: n * 1000,
    ...o,
  });

  it("any order, duplicates ignored, complete when every part is there", () => {
    const r = new Reassembler(60_000);
    expect(r.add(part(3))).toEqual({ status: "waiting", have: 1, total: 3 });
    expect(r.add(part(3))).toEqual({ status: "duplicate" });
    expect(r.add(part(1))).toEqual({ status: "waiting", have: 2, total: 3 });
    const done = r.add(part(2));
    expect(done.status === "complete" && done.parts.map((p) => p.part)).toEqual([1, 2, 3]);
  });

  it("a reference reused with another total, or by another sender, is another message", () => {
    const r = new Reassembler(60_000);
    r.add(part(1));
    expect(r.add(part(1, { key: Reassembler.keyOf("+1555", { ref: 7, total: 2, refBits: 8 }), total: 2 })).status).toBe(
      "waiting",
    );
    expect(r.add(part(1, { key: Reassembler.keyOf("+1666", { ref: 7, total: 3, refBits: 8 }), sender: "+1666" })).status).toBe(
      "waiting",
    );
    expect(r.add(part(1, { key: Reassembler.keyOf("+1555", { ref: 7, total: 3, refBits: 16 }) })).status).toBe("waiting");
    expect(r.size).toBe(4);
  });

  it("expires an incomplete group counted from its first part; restores from its records", () => {
    const r = new Reassembler(10_000);
    r.add(part(2));
    r.add(part(1));
    expect(r.expired(10_999)).toEqual([]); // the first part came at 1000
    expect(r.expired(11_000).map((g) => g.map((p) => p.part))).toEqual([[1, 2]]);
    const back = Reassembler.from(r.records(), 10_000);
    expect(back.add(part(3)).status).toBe("complete");
  });
});
