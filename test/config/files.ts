import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** A temporary directory for this test file's config files, removed after it. */
export function configFiles(prefix: string): { dir: string; file: (text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    file(text: string): string {
      const p = join(dir, `c${n++}.yaml`);
      writeFileSync(p, text);
      return p;
    },
  };
}
