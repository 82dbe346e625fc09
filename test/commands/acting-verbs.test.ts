import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeGateway, sign, T, world } from "./world.js";

// reboot and modem-reset (src/commands/verbs/): marked before they act, never run twice.
describe("acting verbs", () => {
  it("reboot runs the host command once, marked done and recorded before it runs; a restart does not run it again", async () => {
    const gateway = new FakeGateway();
    gateway.rebootBehaviour = "die"; // the host goes down while the command runs: nothing after it happens
    const w = await world({ gateway });
    const m = w.msg(sign("reboot CONFIRM"));
    const a = await w.p.admit(m);
    void w.p.dispatch(a);
    await expect.poll(() => gateway.reboots).toBe(1);
    expect(w.replies).toEqual(["reboot ok rebooting now; back-online follows"]);
    const journal = JSON.parse(readFileSync(join(w.dir, "commands", "journal.json"), "utf8")) as {
      entries: Array<{ verb: string; state: string }>;
    };
    expect(journal.entries).toMatchObject([{ verb: "reboot", state: "done" }]);

    // After the restart: the SMS may still be in the modem (deleted after the hand-off) and is handed off again.
    const after = await world({ dir: w.dir, gateway });
    await after.p.resume();
    await after.deliver(m);
    await after.deliver(after.msg(m.text!));
    expect(gateway.reboots).toBe(1);
    expect(await after.p.takeRebootMarker()).toMatchObject({ at: T, verb: "reboot" });
    expect(await after.p.takeRebootMarker()).toBeNull();
  });

  it("a second reboot within the minimum interval is refused", async () => {
    const w = await world();
    await w.deliver(w.msg(sign("reboot CONFIRM")));
    w.ref.ms += 10 * 60_000;
    await w.deliver(w.msg(sign("reboot CONFIRM", T + 10 * 60_000)));
    expect(w.gateway.reboots).toBe(1);
    expect(w.replies).toEqual(["reboot ok rebooting now; back-online follows", "reboot refused last=10m0s_ago min=30m0s"]);
  });

  it("a reboot command that fails is answered with why", async () => {
    const gateway = new FakeGateway();
    gateway.rebootBehaviour = "fail";
    const w = await world({ gateway });
    await w.deliver(w.msg(sign("reboot CONFIRM")));
    expect(w.replies[1]).toBe("reboot failed systemctl reboot: Interactive authentication required.");
    expect(await w.p.takeRebootMarker()).toBeNull();
  });

  it("modem-reset is reported after it; one interrupted by a restart is reported, never run again", async () => {
    const w = await world();
    await w.deliver(w.msg(sign("modem-reset")));
    expect(w.replies).toEqual(["modem-reset ok took=12s reg=roaming rsrp=-95 the modem answers again"]);

    const gateway = new FakeGateway();
    gateway.resetBehaviour = "die";
    const dying = await world({ gateway });
    void dying.p.dispatch(await dying.p.admit(dying.msg(sign("modem-reset", T + 1000))));
    await expect.poll(() => gateway.resets).toBe(1);
    gateway.resetBehaviour = "ok";
    const after = await world({ dir: dying.dir, gateway });
    await after.p.resume();
    expect(gateway.resets).toBe(1);
    expect(after.replies).toEqual(["modem-reset interrupted by a restart; not run again"]);
    expect(after.events[0]).toMatchObject({ type: "command-interrupted" });
  });

  it("resume() reports only what the previous run left; a Command of this run already running is left alone", async () => {
    const gateway = new FakeGateway();
    gateway.resetBehaviour = "die";
    const before = await world({ gateway });
    void before.p.dispatch(await before.p.admit(before.msg(sign("modem-reset"))));
    await expect.poll(() => gateway.resets).toBe(1);
    const after = await world({ dir: before.dir, gateway });
    // During the start, the inbox hands off a new modem-reset and it starts before resume() runs.
    void after.p.dispatch(await after.p.admit(after.msg(sign("modem-reset", T + 2000))));
    await expect.poll(() => gateway.resets).toBe(2);
    await Promise.race([after.p.resume(), new Promise((r) => setTimeout(r, 200))]);
    expect(after.replies).toEqual(["modem-reset interrupted by a restart; not run again"]);
    const journal = JSON.parse(readFileSync(join(before.dir, "commands", "journal.json"), "utf8")) as {
      entries: Array<{ state: string; signedAt: number }>;
    };
    expect(journal.entries.map((e) => [e.signedAt - T, e.state])).toEqual([
      [0, "done"],
      [2000, "running"],
    ]);
  });

  it("a Command accepted but not yet run when the process died runs after the restart, once", async () => {
    const w = await world();
    await w.p.admit(w.msg(sign("status")));
    const after = await world({ dir: w.dir, gateway: w.gateway });
    await after.p.resume();
    await after.p.resume();
    expect(w.gateway.views).toBe(1);
    expect(after.replies).toHaveLength(1);
  });
});
