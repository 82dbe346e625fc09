import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { sign, T, world } from "./world.js";

/** The modem's side of an MO send: down (every try fails, as sendMoSms's after its 4 tries) or up. */
function link() {
  const sent: string[] = [];
  const l = {
    up: false,
    sent,
    reply: (text: string) => {
      if (!l.up) return Promise.reject(new Error("CG_ERR_SMS_SEND: not sent after 4 tries (no network service)"));
      sent.push(text);
      return Promise.resolve();
    },
  };
  return l;
}

const owedFile = (dir: string) => join(dir, "commands", "owed-replies.json");
const kept = (dir: string) =>
  existsSync(owedFile(dir))
    ? (JSON.parse(readFileSync(owedFile(dir), "utf8")) as Array<{ text: string }>).map((r) => r.text)
    : [];

describe("a reply that cannot be sent is kept, durably, and sent once the link is back", () => {
  it("kept across a restart, sent once after it", async () => {
    const l = link();
    const w = await world({ reply: l.reply });
    await w.deliver(w.msg(sign("status")));
    expect(l.sent).toEqual([]);
    expect(kept(w.dir)).toEqual([expect.stringMatching(/^status ok /) as string]);
    expect(w.events.map((e) => e.type)).toEqual(["command-run", "command-reply-failed"]);
    l.up = true;
    const after = await world({ dir: w.dir, reply: l.reply });
    await after.p.resume();
    await after.p.flushReplies();
    expect(l.sent).toEqual([expect.stringMatching(/^status ok /) as string]);
    expect(kept(w.dir)).toEqual([]);
    await after.p.flushReplies();
    expect(l.sent).toHaveLength(1);
  });

  it("in order, once each, within a minute of the link returning; the next reply that goes through sends them too", async () => {
    const clock = new ManualClock(T);
    const l = link();
    const w = await world({ clock, reply: l.reply, replyRetryMs: 60_000 });
    await w.deliver(w.msg(sign("signal")));
    await w.deliver(w.msg(sign("net", T + 1000)));
    clock.advance(60_000); // still down: tried, kept
    await w.p.flushReplies();
    expect(l.sent).toEqual([]);
    l.up = true;
    clock.advance(60_000);
    await w.p.flushReplies();
    expect(l.sent.map((t) => t.split(" ")[0])).toEqual(["signal", "net"]);
    expect(w.events.filter((e) => e.type === "command-reply-sent")).toHaveLength(2);
    l.up = false;
    await w.deliver(w.msg(sign("status", T + 2000)));
    l.up = true;
    await w.deliver(w.msg("help"));
    await w.p.flushReplies();
    expect(l.sent.map((t) => t.split(" ")[0])).toEqual(["signal", "net", "help", "status"]);
  });

  it("a reply on its way when the process dies (kill -9) is sent once by the next start", async () => {
    const l = link();
    l.up = true;
    // The first process dies while its reply is with the modem: the send never settles.
    const w = await world({ reply: () => new Promise<void>(() => {}) });
    void w.deliver(w.msg(sign("status")));
    await expect.poll(() => kept(w.dir)).toEqual([expect.stringMatching(/^status ok /)]);
    const after = await world({ dir: w.dir, reply: l.reply });
    await after.p.resume();
    await after.p.flushReplies();
    expect(l.sent).toEqual([expect.stringMatching(/^status ok /) as string]);
    expect(kept(w.dir)).toEqual([]);
    await after.deliver(after.msg(sign("signal", T + 1000)));
    expect(l.sent.map((t) => t.split(" ")[0])).toEqual(["status", "signal"]);
  });

  it("killed after the reply was kept and before the journal said done: the reply is sent, not 'interrupted'", async () => {
    const l = link();
    l.up = true;
    const w = await world({ reply: () => new Promise<void>(() => {}) });
    void w.deliver(w.msg(sign("status")));
    await expect.poll(() => kept(w.dir)).toEqual([expect.stringMatching(/^status ok /)]);
    // What a kill between the two writes leaves: the reply kept, the Command still running.
    const path = join(w.dir, "commands", "journal.json");
    const journal = JSON.parse(readFileSync(path, "utf8")) as { entries: Array<{ state: string }> };
    journal.entries[0]!.state = "running";
    writeFileSync(path, JSON.stringify(journal));
    const after = await world({ dir: w.dir, reply: l.reply });
    await after.p.resume();
    await after.p.flushReplies();
    expect(l.sent).toEqual([expect.stringMatching(/^status ok /) as string]);
    expect(after.events.map((e) => e.type)).not.toContain("command-interrupted");
    const entries = (JSON.parse(readFileSync(path, "utf8")) as { entries: Array<{ state: string }> }).entries;
    expect(entries.map((e) => e.state)).toEqual(["done"]);
  });

  it("a reply that went through is not kept, and not sent again by a flush that ran meanwhile", async () => {
    const l = link();
    l.up = true;
    const w = await world({ reply: l.reply });
    await w.deliver(w.msg(sign("status")));
    await Promise.all([w.p.flushReplies(), w.deliver(w.msg(sign("signal", T + 1000))), w.p.flushReplies()]);
    await w.p.flushReplies();
    expect(l.sent.map((t) => t.split(" ")[0])).toEqual(["status", "signal"]);
    expect(kept(w.dir)).toEqual([]);
  });

  it("a reply kept for more than a day is given up, and said so", async () => {
    const clock = new ManualClock(T);
    const l = link();
    const w = await world({ clock, reply: l.reply });
    await w.deliver(w.msg(sign("status")));
    clock.advance(25 * 3_600_000);
    await w.p.flushReplies(); // the retry the timer started, still without a link
    l.up = true;
    await w.p.flushReplies();
    expect(l.sent).toEqual([]);
    expect(kept(w.dir)).toEqual([]);
    expect(w.events.at(-1)).toMatchObject({ type: "command-reply-dropped" });
  });
});
