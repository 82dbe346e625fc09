import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SeenSet } from "../../src/sms/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cellgate-seen-"));
  dirs.push(dir);
  return dir;
}

describe("SeenSet: write first, then memory", () => {
  it("an id whose write failed is not remembered (the SMS is kept and handed off again), and is once the write works", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "seen.json"), JSON.stringify({ a: 1000 })); // from an earlier run
    const seen = await SeenSet.open({ dir });
    // Every write to /dev/full fails with ENOSPC, as on a full disk.
    symlinkSync("/dev/full", join(dir, "seen.log"));
    await expect(seen.add("b", 2000)).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    expect(seen.has("b", 2000)).toBe(false);
    expect(seen.size).toBe(1);
    rmSync(join(dir, "seen.log"));
    await seen.add("b", 3000);
    const again = await SeenSet.open({ dir });
    expect([again.has("a", 3000), again.has("b", 3000)]).toEqual([true, true]);
  });

  it("ids added at the same moment are all remembered, in memory and on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-seen-"));
    dirs.push(dir);
    const seen = await SeenSet.open({ dir });
    await Promise.all(["a", "b", "c"].map((id) => seen.add(id, 1000)));
    expect(seen.size).toBe(3);
    const again = await SeenSet.open({ dir });
    expect(["a", "b", "c"].map((id) => again.has(id, 2000))).toEqual([true, true, true]);
  });
});

describe("SeenSet on disk: a snapshot and a log of the ids added since", () => {
  it("an add appends one line; a restart reads the snapshot, then the log", async () => {
    const dir = tempDir();
    const seen = await SeenSet.open({ dir });
    await seen.add("a", 1000);
    await seen.add("b", 2000);
    expect(readFileSync(join(dir, "seen.log"), "utf8")).toBe('["a",1000]\n["b",2000]\n');
    const again = await SeenSet.open({ dir });
    expect([again.has("a", 2000), again.has("b", 2000), again.size]).toEqual([true, true, 2]);
  });

  it("in a state directory that does not exist yet (a first start): the first add makes it", async () => {
    const dir = join(tempDir(), "state");
    const seen = await SeenSet.open({ dir });
    await seen.add("a", 1000);
    expect(readFileSync(join(dir, "seen.log"), "utf8")).toBe('["a",1000]\n');
    expect((await SeenSet.open({ dir })).has("a", 2000)).toBe(true);
  });

  it("a torn last line (power cut mid-append) is skipped: that id was never confirmed", async () => {
    const dir = tempDir();
    const seen = await SeenSet.open({ dir });
    await seen.add("a", 1000);
    appendFileSync(join(dir, "seen.log"), '["b",20');
    const again = await SeenSet.open({ dir });
    expect([again.has("a", 2000), again.has("b", 2000)]).toEqual([true, false]);
    await again.add("c", 3000); // starts on a line of its own
    const third = await SeenSet.open({ dir });
    expect([third.has("a", 3000), third.has("c", 3000), third.size]).toEqual([true, true, 2]);
  });

  it("at its cap the oldest id goes; when the log is as long as the cap it becomes the snapshot", async () => {
    const dir = tempDir();
    const seen = await SeenSet.open({ dir, maxEntries: 3 });
    for (const [i, id] of ["a", "b", "c", "d"].entries()) await seen.add(id, 1000 + i);
    expect([seen.has("a", 2000), seen.has("d", 2000), seen.size]).toEqual([false, true, 3]);
    expect(readFileSync(join(dir, "seen.log"), "utf8")).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "seen.json"), "utf8"))).toEqual({ b: 1001, c: 1002, d: 1003 });
    await seen.add("e", 1004);
    const again = await SeenSet.open({ dir, maxEntries: 3 });
    expect(["b", "c", "d", "e"].map((id) => again.has(id, 2000))).toEqual([false, true, true, true]);
  });

  it("an id older than maxAgeMs is forgotten; one added again is the newest", async () => {
    const dir = tempDir();
    const seen = await SeenSet.open({ dir, maxAgeMs: 1000, maxEntries: 2 });
    await seen.add("a", 0);
    await seen.add("b", 500);
    await seen.add("a", 900); // a again: now b is the oldest
    await seen.add("c", 1600); // b expired (1100 old) and, at the cap, would go first anyway
    expect([seen.has("a", 1600), seen.has("b", 1600), seen.has("c", 1600), seen.size]).toEqual([true, false, true, 2]);
  });
});
