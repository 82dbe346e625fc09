import { describe, expect, it } from "vitest";
import { withDefaults } from "../../src/core/index.js";

describe("withDefaults", () => {
  const D = { pollMs: 1000, livenessMs: 30_000 };

  it.each([
    ["nothing given", {}, D],
    ["one given", { pollMs: 50 }, { pollMs: 50, livenessMs: 30_000 }],
    ["undefined keeps the default (an optional config key passed through)", { pollMs: undefined }, D],
    ["0 is a value, not a gap", { livenessMs: 0 }, { pollMs: 1000, livenessMs: 0 }],
  ])("%s", (_name, o, want) => {
    expect(withDefaults(o, D)).toEqual(want);
  });

  it("takes only the defaults' keys and leaves the defaults unchanged", () => {
    const o = { pollMs: 5, other: "x" };
    expect(withDefaults(o, D)).toEqual({ pollMs: 5, livenessMs: 30_000 });
    expect(D).toEqual({ pollMs: 1000, livenessMs: 30_000 });
  });
});
