import { describe, expect, it } from "vitest";
import { MATRIX_GROUPS, MODULE_CASES } from "../helpers/module-matrix.js";

describe("the module matrix's files", () => {
  it("run every module case exactly once: a new personality must join a group", () => {
    const grouped = Object.values(MATRIX_GROUPS).flat();
    expect([...grouped].sort()).toEqual(MODULE_CASES.map((c) => c.name).sort());
  });
});
