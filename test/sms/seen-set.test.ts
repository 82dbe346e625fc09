import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SeenSet } from "../../src/sms/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("SeenSet: write first, then memory", () => {
  it("an id whose write failed is not remembered (the SMS is kept and handed off again), and is once the write works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-seen-"));
    dirs.push(dir);
    const seen = await SeenSet.open({ dir });
    await seen.add("a", 1000);
    // seen.json is a non-empty directory: the new file cannot be renamed over it, even by root.
    rmSync(join(dir, "seen.json"));
    mkdirSync(join(dir, "seen.json", "x"), { recursive: true });
    await expect(seen.add("b", 2000)).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    expect(seen.has("b", 2000)).toBe(false);
    expect(seen.size).toBe(1);
    rmSync(join(dir, "seen.json"), { recursive: true });
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
