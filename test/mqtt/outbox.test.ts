import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { Outbox } from "../../src/mqtt/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "cellgate-outbox-"));
  dirs.push(d);
  return d;
}
const LIMITS = { maxMessages: 100, maxBytes: 1_000_000, maxAgeMs: 3_600_000 };
const msg = (i: number) => ({
  topic: "gw/commands/received",
  payload: JSON.stringify({ id: `m${i}` }),
  qos: 1 as const,
  retain: false,
});

describe("Outbox", () => {
  it("keeps messages across a reopen, in order, without the acknowledged ones", async () => {
    const d = dir();
    const box = await Outbox.open(d, LIMITS);
    const [a, b, c] = [await box.add(msg(1)), await box.add(msg(2)), await box.add(msg(3))];
    await box.ack(b.seq);
    await box.close();
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((e) => e.payload)).toEqual([a.payload, c.payload]);
    const d2 = await again.add(msg(4));
    expect(d2.seq).toBeGreaterThan(c.seq); // sequence numbers never go back
    await again.close();
  });

  it("messages queued at the same moment each keep their own place, in memory and after a reopen", async () => {
    const d = dir();
    const box = await Outbox.open(d, LIMITS);
    const added = await Promise.all([1, 2, 3, 4].map((i) => box.add(msg(i))));
    expect(new Set(added.map((e) => e.seq)).size).toBe(4);
    expect(box.pending().map((e) => e.payload)).toEqual([1, 2, 3, 4].map((i) => msg(i).payload));
    await box.ack(added[0]!.seq);
    await box.close();
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((e) => e.payload)).toEqual([2, 3, 4].map((i) => msg(i).payload));
    await again.close();
  });

  it("ignores a torn last line (power cut mid-write)", async () => {
    const d = dir();
    const box = await Outbox.open(d, LIMITS);
    await box.add(msg(1));
    await box.close();
    appendFileSync(join(d, "outbox.jsonl"), '{"seq":2,"at":1,"topic":"gw/x","payl');
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((e) => e.payload)).toEqual([msg(1).payload]);
    expect(readFileSync(join(d, "outbox.jsonl"), "utf8")).not.toContain("payl\n"); // compacted on open
    await again.close();
  });

  it("drops the oldest at the count cap, the byte cap and by age, counting each", async () => {
    const clock = new ManualClock(1_000_000);
    const box = await Outbox.open(dir(), { maxMessages: 3, maxBytes: 200, maxAgeMs: 60_000 }, { clock });
    for (let i = 1; i <= 5; i++) await box.add(msg(i));
    expect(box.pending().map((e) => e.payload)).toEqual([3, 4, 5].map((i) => msg(i).payload));
    expect(box.stats().dropped).toEqual({ count: 2, bytes: 0, age: 0 });
    await box.add({ ...msg(6), payload: "x".repeat(150) });
    expect(box.stats().dropped.bytes).toBeGreaterThan(0);
    expect(box.stats().bytes).toBeLessThanOrEqual(200);
    clock.advance(61_000);
    box.expire();
    expect(box.size).toBe(0);
    expect(box.stats().dropped.age).toBeGreaterThan(0);
    await expect(box.add({ ...msg(7), payload: "y".repeat(500) })).rejects.toThrow(/does not fit the outbox/);
    await box.close();
  });

  it("compacts acknowledged entries away", async () => {
    const d = dir();
    const box = await Outbox.open(d, { ...LIMITS, maxMessages: 10_000 });
    const entries = [];
    for (let i = 0; i < 600; i++) entries.push(await box.add(msg(i)));
    for (const e of entries.slice(0, 599)) await box.ack(e.seq);
    await box.close();
    const lines = readFileSync(join(d, "outbox.jsonl"), "utf8").trim().split("\n");
    expect(lines.length).toBeLessThan(700);
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((e) => e.seq)).toEqual([entries[599]!.seq]);
    await again.close();
  });
});

describe("Outbox: write first, then memory", () => {
  it("an add that cannot be written changes nothing; retried adds leave one copy, not one per try", async () => {
    const d = dir();
    const box = await Outbox.open(d, LIMITS);
    // A real ENOSPC: the outbox file is /dev/full, where every write fails with "no space left on device".
    rmSync(join(d, "outbox.jsonl"), { force: true });
    symlinkSync("/dev/full", join(d, "outbox.jsonl"));
    for (let i = 0; i < 14; i++) await expect(box.add(msg(1))).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    expect(box.size).toBe(0);
    expect(box.pending()).toEqual([]);
    rmSync(join(d, "outbox.jsonl")); // space freed
    const e = await box.add(msg(1));
    expect(box.pending()).toEqual([e]);
    await box.close();
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((x) => x.payload)).toEqual([msg(1).payload]);
    await again.close();
  });

  it("a torn line left by a failed append does not take the next message with it", async () => {
    const d = dir();
    const file = join(d, "outbox.jsonl");
    const first = await Outbox.open(d, LIMITS);
    await first.add(msg(1));
    await first.close();
    const box = await Outbox.open(d, LIMITS);
    const written = readFileSync(file, "utf8");
    rmSync(file);
    symlinkSync("/dev/full", file);
    await expect(box.add(msg(2))).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    // What a write cut short by a full disk leaves: the lines before, then part of the failed one.
    rmSync(file);
    appendFileSync(file, `${written}{"seq":2,"topic":"gw/ev`);
    await box.add(msg(3));
    await box.close();
    const again = await Outbox.open(d, LIMITS);
    expect(again.pending().map((x) => x.payload)).toEqual([msg(1).payload, msg(3).payload]);
    await again.close();
  });
});
