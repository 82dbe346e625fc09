import { exitFor } from "../../src/cli/output.js";
import { CellgateError, ERROR_CODES, type ErrorCode } from "../../src/core/index.js";
import { code, table } from "./markdown.js";

/** Every code of ERROR_CODES with the exit status a command ends with on it and what it means. */
export function errorTable(): string {
  const rows = (Object.entries(ERROR_CODES) as Array<[ErrorCode, string]>).map(([c, meaning]) => [
    code(c),
    // CG_ERR_CLI_INTERNAL names an error that came without a code: its exit is the one for those.
    String(c === "CG_ERR_CLI_INTERNAL" ? exitFor(new Error()) : exitFor(new CellgateError(c, ""))),
    meaning,
  ]);
  return table(["code", "exit", "meaning"], rows);
}
