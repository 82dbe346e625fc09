/**
 * The parts of a Markdown file that a generator owns, between two comment lines:
 *
 *   <!-- generated: NAME (npm run docs) -->
 *   …
 *   <!-- end generated: NAME -->
 *
 * Everything outside the markers is written by hand and never touched.
 */
const begin = (name: string) => `<!-- generated: ${name} (npm run docs) -->`;
const end = (name: string) => `<!-- end generated: ${name} -->`;

function bounds(text: string, name: string, file: string): { from: number; to: number } {
  const b = text.indexOf(begin(name));
  const e = text.indexOf(end(name));
  if (b < 0 || e < b) throw new Error(`${file}: no section "${name}" (expected the lines ${begin(name)} and ${end(name)})`);
  return { from: b + begin(name).length, to: e };
}

/** The generated text between the markers (without the newlines that frame it). */
export function readSection(text: string, name: string, file: string): string {
  const { from, to } = bounds(text, name, file);
  return text.slice(from, to).replace(/^\n/, "").replace(/\n$/, "");
}

/** The file's text with the section replaced by `body`. */
export function replaceSection(text: string, name: string, body: string, file: string): string {
  const { from, to } = bounds(text, name, file);
  return `${text.slice(0, from)}\n${body}\n${text.slice(to)}`;
}

/** A table cell: one line, its pipes escaped. */
export function cell(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** A Markdown table from a header and rows of cells. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Inline code that survives any content (a backtick inside widens the fence). */
export function code(s: string): string {
  const fence = s.includes("`") ? "``" : "`";
  return `${fence}${s}${fence}`;
}
