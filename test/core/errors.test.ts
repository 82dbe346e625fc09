import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CellgateError, ERROR_CODES, describeError, isCellgateError } from "../../src/core/index.js";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

describe("coded errors", () => {
  it("every code has the CG_ERR_<AREA>_<WHAT> form", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^CG_ERR_[A-Z]+_[A-Z_]+$/);
  });

  it("the README's error table lists every code, and no code that does not exist", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(README, code).toContain(`| \`${code}\` |`);
    const mentioned = new Set(README.match(/CG_ERR_[A-Z_]+/g) ?? []);
    for (const code of mentioned) expect(Object.keys(ERROR_CODES), `README mentions ${code}`).toContain(code);
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
