import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configReference } from "./config-reference.js";
import { errorTable } from "./error-table.js";
import { readSection, replaceSection } from "./markdown.js";
import { payloadDeclarations, topicTable } from "./topic-table.js";

/** Every generated section of the docs: the file, the section's name, what produces it. */
export const GENERATED: ReadonlyArray<{ file: string; section: string; render: (root: string) => string }> = [
  { file: "docs/configuration.md", section: "config-reference", render: () => configReference() },
  { file: "docs/mqtt.md", section: "topic-table", render: (root) => topicTable(root) },
  { file: "docs/mqtt.md", section: "payload-types", render: (root) => payloadDeclarations(root) },
  { file: "docs/errors.md", section: "error-table", render: () => errorTable() },
];

export interface SectionState {
  file: string;
  section: string;
  committed: string;
  generated: string;
}

/** Each section as the file has it and as the generator makes it now. */
export function sectionStates(root: string): SectionState[] {
  return GENERATED.map((g) => {
    const text = readFileSync(join(root, g.file), "utf8");
    return { file: g.file, section: g.section, committed: readSection(text, g.section, g.file), generated: g.render(root) };
  });
}

/** The files' texts with every section regenerated (file → text). */
export function regenerated(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of GENERATED) {
    const text = out.get(g.file) ?? readFileSync(join(root, g.file), "utf8");
    out.set(g.file, replaceSection(text, g.section, g.render(root), g.file));
  }
  return out;
}
