import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { sign, T, world } from "./world.js";

/** journal.json becomes a non-empty directory: the new file cannot be renamed over it, even by root. */
function breakJournal(dir: string): () => void {
  const path = join(dir, "commands", "journal.json");
  rmSync(path, { force: true });
  mkdirSync(join(path, "x"), { recursive: true });
  return () => rmSync(path, { recursive: true });
}

describe("the Command journal: written first, then memory", () => {
  it("a Command whose admission cannot be written is refused to the inbox (the SMS stays), then admitted and run once", async () => {
    const w = await world();
    await w.deliver(w.msg(sign("signal", T - 1000)));
    const fix = breakJournal(w.dir);
    const m = w.msg(sign("status"));
    await expect(w.p.admit(m)).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    await expect(w.p.admit(m)).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" }); // the inbox's retry
    expect(w.gateway.views).toBe(1);
    fix();
    await w.deliver(m);
    await w.deliver(m); // handed off again (the SMS was still on the modem): not run again
    expect(w.gateway.views).toBe(2);
    expect(w.replies.filter((r) => r.startsWith("status "))).toHaveLength(1);
  });

  it("a Command that cannot be marked running does not run; it runs once the journal can be written", async () => {
    const clock = new ManualClock(T);
    const w = await world({ clock, retryMs: 10_000 });
    const a = await w.p.admit(w.msg(sign("modem-reset")));
    const fix = breakJournal(w.dir);
    await w.p.dispatch(a);
    expect(w.gateway.resets).toBe(0);
    clock.advance(10_000);
    await w.p.idle();
    expect(w.gateway.resets).toBe(0); // still broken: tried again, not run
    fix();
    clock.advance(10_000);
    await w.p.idle();
    expect(w.gateway.resets).toBe(1);
    clock.advance(60_000);
    await w.p.idle();
    expect(w.gateway.resets).toBe(1);
    expect(w.replies).toEqual(["modem-reset ok took=12s reg=roaming rsrp=-95 the modem answers again"]);
  });
});
