import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Every relative link of the README and docs/ (module fact sheets included) points at a file of the
// repository, and at a heading that exists when it names one: a page moved or a heading renamed
// without its links fails here. Links out of the repository (http…) are not followed.
const root = join(import.meta.dirname, "../..");

function pages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens (repeats numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const files = [join(root, "README.md"), ...pages(join(root, "docs"))];

describe("links in the README and docs/", () => {
  it.each(files.map((f) => [relative(root, f), f] as const))("%s: every relative link resolves", (_name, file) => {
    const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1]!;
      if (/^[a-z]+:/.test(link)) continue;
      const [path = "", anchor] = link.split("#");
      const target = path === "" ? file : join(dirname(file), path);
      expect(existsSync(target), `${link}: no such file`).toBe(true);
      if (anchor !== undefined && target.endsWith(".md"))
        expect([...anchors(readFileSync(target, "utf8"))], `${link}: no such heading`).toContain(anchor);
    }
  });
});
