import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CellgateError, ERROR_CODES, describeError, isCellgateError } from "../../src/core/index.js";

const root = join(import.meta.dirname, "../..");
const ERRORS = readFileSync(join(root, "docs/errors.md"), "utf8");
/** Every page a user reads: the README and docs/ (the module fact sheets below it are the vendors' words). */
const PAGES = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("coded errors", () => {
  it("every code has the CG_ERR_<AREA>_<WHAT> form", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^CG_ERR_[A-Z]+_[A-Z_]+$/);
  });

  it("docs/errors.md's table lists every code, and no page mentions a code that does not exist", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(ERRORS, code).toContain(`| \`${code}\` |`);
    expect(PAGES).toContain("docs/errors.md");
    for (const page of PAGES) {
      const mentioned = new Set(readFileSync(join(root, page), "utf8").match(/CG_ERR_[A-Z_]+/g) ?? []);
      for (const code of mentioned) expect(Object.keys(ERROR_CODES), `${page} mentions ${code}`).toContain(code);
    }
  });

  it("carries the raw input, matches on code, describes itself", () => {
    const err = new CellgateError("CG_ERR_MODEM_PARSE", 'cannot parse +CSQ reply: "x"', { raw: "x" });
    expect(isCellgateError(err, "CG_ERR_MODEM_PARSE")).toBe(true);
    expect(isCellgateError(err, "CG_ERR_AT_TIMEOUT")).toBe(false);
    expect(err.detail.raw).toBe("x");
    expect(err.name).toBe("CellgateError");
    expect(describeError(err)).toBe('CG_ERR_MODEM_PARSE: cannot parse +CSQ reply: "x"');
  });
});
