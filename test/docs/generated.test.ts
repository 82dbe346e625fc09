import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configPaths } from "../../scripts/docs/config-reference.js";
import { GENERATED, sectionStates } from "../../scripts/docs/index.js";
import { readSection, replaceSection } from "../../scripts/docs/markdown.js";
import { CONFIG_DESCRIPTIONS } from "../../src/config/index.js";

// The tables in docs/ that are generated from the code (`npm run docs`) must be what the
// generator makes from the code as it is now: a key, topic or error code added, removed or
// changed without regenerating fails here.
const root = join(import.meta.dirname, "../..");

describe("generated sections of docs/", () => {
  it.each(sectionStates(root).map((s) => [`${s.file} ${s.section}`, s] as const))(
    "%s is what npm run docs makes of the code",
    (_name, s) => {
      expect(s.generated.length).toBeGreaterThan(0);
      expect(s.committed, `${s.file}: run npm run docs`).toBe(s.generated);
    },
  );

  it("covers the configuration reference, the MQTT topic table and the error table", () => {
    expect(GENERATED.map((g) => g.section)).toEqual(["config-reference", "topic-table", "payload-types", "error-table"]);
  });
});

describe("the configuration descriptions", () => {
  it("describe every section and key of the schema, and nothing else", () => {
    const paths = configPaths().map((p) => p.path);
    expect(paths.length).toBeGreaterThan(50);
    expect(Object.keys(CONFIG_DESCRIPTIONS).sort()).toEqual([...paths].sort());
  });
});

describe("the section markers", () => {
  const file = "x.md";
  const text = "hand\n<!-- generated: t (npm run docs) -->\nold\n<!-- end generated: t -->\nhand again\n";

  it("replace only what is between them", () => {
    const next = replaceSection(text, "t", "new\nlines", file);
    expect(next).toBe("hand\n<!-- generated: t (npm run docs) -->\nnew\nlines\n<!-- end generated: t -->\nhand again\n");
    expect(readSection(next, "t", file)).toBe("new\nlines");
  });

  it("are required: a file without them is an error naming the file and the section", () => {
    expect(() => readSection("no markers", "t", file)).toThrow(/x\.md: no section "t"/);
  });
});
