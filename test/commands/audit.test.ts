import { describe, expect, it } from "vitest";
import { commandKey, signText } from "../../src/commands/index.js";
import { FakeGateway, septets, sign, T, world } from "./world.js";

const forged = (text: string) => signText(commandKey("an attacker's guess at the key!!", "t"), text, T, septets);

// A rejection is audited inside the hand-off (admit), durably, before the SMS can be deleted;
// not later, behind whatever the processor is running.
describe("rejection audit events", () => {
  it("are handed off durably inside admit, before it returns, even while a long Command runs", async () => {
    const gateway = new FakeGateway();
    gateway.resetBehaviour = "die"; // a modem reset that never ends keeps the processor busy
    const audited: Array<{ type: string; extra: Record<string, unknown> }> = [];
    const w = await world({
      gateway,
      audit: (type, _detail, extra) => Promise.resolve(void audited.push({ type, extra })),
    });
    void w.p.dispatch(await w.p.admit(w.msg(sign("modem-reset"))));
    await expect.poll(() => gateway.resets).toBe(1);
    const m = w.msg(forged("status"), { sid: "DC0123456789abcdef0123456789abcdef" });
    const a = await w.p.admit(m);
    expect(a.auth).toBe("rejected");
    expect(audited).toEqual([
      {
        type: "command-rejected",
        extra: expect.objectContaining({ reason: "bad-tag", verb: "status", id: m.id, sid: m.sid, signed: true }) as unknown,
      },
    ]);
    // A cellgate verb from another number: refused as foreign (plain text from it is not cellgate's to judge).
    await w.p.admit(w.msg("status", { kind: "foreign", sender: "+15551234567" }));
    expect(audited.map((x) => x.extra.reason)).toEqual(["bad-tag", "foreign"]);
    expect(w.events.filter((e) => e.type === "command-rejected")).toEqual([]); // not twice, not fire-and-forget
  });

  it("an audit event that cannot be handed off fails the admission: the inbox keeps the SMS and tries again", async () => {
    let fail = true;
    const w = await world({
      audit: () => (fail ? Promise.reject(new Error("outbox: ENOSPC")) : Promise.resolve()),
    });
    const m = w.msg(forged("status"));
    await expect(w.p.admit(m)).rejects.toThrow(/ENOSPC/);
    fail = false;
    await w.deliver(m);
    expect(w.replies).toEqual(["NAK status bad-tag"]);
  });
});
