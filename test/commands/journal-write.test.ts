import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, memoryStateFiles, type JournalEntry, type StateFiles } from "../../src/commands/index.js";
import { ManualClock, silentLogger } from "../../src/core/index.js";
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

/** State files whose writes take as long as the test says: each waits until `release()` lets it finish. */
function slowFiles(): StateFiles & { pending: number; release(): void } {
  const mem = memoryStateFiles();
  const waiting: Array<() => void> = [];
  return {
    read: mem.read,
    write: (name, text) => new Promise<void>((resolve) => waiting.push(() => void mem.write(name, text).then(resolve))),
    get pending() {
      return waiting.length;
    },
    release: () => waiting.shift()?.(),
  };
}

/** Lets `n` writes finish, first come first done, each once it has started. */
async function finishWrites(files: ReturnType<typeof slowFiles>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    while (files.pending === 0) await new Promise((r) => setImmediate(r));
    files.release();
  }
}

describe("the Command journal: changes one at a time", () => {
  const entry = (key: string): JournalEntry => ({
    key,
    msgId: key,
    verb: "ping",
    args: [],
    state: "accepted",
    acceptedAt: T,
    signedAt: T,
  });

  it("a Command added while another is being marked running is kept (it was lost, so handed off and never run)", async () => {
    const files = slowFiles();
    const j = await Journal.open(files, T, silentLogger);
    const a = j.add(entry("a"));
    await finishWrites(files, 1);
    await a;
    const running = j.set("a", "running"); // the processor, while the inbox admits the next one
    const added = j.add(entry("b"));
    await finishWrites(files, 2);
    await Promise.all([running, added]);
    expect(j.get("a")?.state).toBe("running");
    expect(j.get("b")?.state).toBe("accepted");
    const reopened = await Journal.open(files, T, silentLogger);
    expect([reopened.get("a")?.state, reopened.get("b")?.state]).toEqual(["running", "accepted"]);
  });

  it("a write that fails leaves the journal as it was and does not stop the next change", async () => {
    let fail = true;
    const mem = memoryStateFiles();
    const files: StateFiles = {
      read: mem.read,
      write: (name, text) => (fail ? Promise.reject(new Error("ENOSPC")) : mem.write(name, text)),
    };
    const j = await Journal.open(files, T, silentLogger);
    await expect(j.add(entry("a"))).rejects.toThrow("ENOSPC");
    fail = false;
    await j.add(entry("b"));
    expect([j.get("a"), j.get("b")?.state]).toEqual([undefined, "accepted"]);
  });
});
