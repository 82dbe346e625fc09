import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeOrphanTmpFiles, stateWrites, writeFileDurable } from "../../src/core/index.js";

const dir = mkdtempSync(join(tmpdir(), "cellgate-durable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("durable files", () => {
  it("the temporary files a kill -9 inside writeFileDurable leaves are removed at start; nothing else is", async () => {
    const state = join(dir, "state");
    mkdirSync(join(state, "commands"), { recursive: true });
    mkdirSync(join(state, "outbox"), { recursive: true });
    const orphans = [join(state, ".4242.1764500000000.k3j2h1.tmp"), join(state, "commands", ".99.1764500000001.abc.tmp")];
    for (const o of orphans) writeFileSync(o, "half a journal");
    const kept = [
      join(state, "seen.json"),
      join(state, "outbox", "outbox.jsonl"),
      join(state, "notes.tmp"),
      join(state, ".hidden.tmp"),
    ];
    for (const k of kept) writeFileSync(k, "{}");
    expect((await removeOrphanTmpFiles(state)).sort()).toEqual([...orphans].sort());
    for (const o of orphans) expect(existsSync(o)).toBe(false);
    for (const k of kept) expect(existsSync(k)).toBe(true);
    expect(await removeOrphanTmpFiles(join(dir, "missing"))).toEqual([]);
  });

  it("a failed write is reported to stateWrites (for health and events) and a later success clears it", async () => {
    const changes: Array<string | null> = [];
    const off = stateWrites.events.on("change", (f) => changes.push(f ? f.path : null));
    const target = join(dir, "t", "file.json");
    mkdirSync(join(target, "x"), { recursive: true }); // a non-empty directory where the file goes
    await expect(writeFileDurable(target, "{}")).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    await expect(writeFileDurable(target, "{}")).rejects.toMatchObject({ code: "CG_ERR_STATE_IO" });
    expect(stateWrites.failure).toMatchObject({ path: target });
    expect(readdirSync(join(dir, "t")).filter((f) => f.endsWith(".tmp"))).toEqual([]); // its temporary file went
    rmSync(target, { recursive: true });
    await writeFileDurable(target, "{}");
    expect(stateWrites.failure).toBeNull();
    expect(changes).toEqual([target, null]);
    off();
  });
});
