import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verdict } from "./goals.js";
import { unitRun } from "./unit.js";

// The bench's table says itself which of issue 16's goals a run meets: that verdict, and the way
// the bench reads how the unit runs node, must be right or the table misreports.

describe("verdict: a row against its goal", () => {
  it("ratio goals, either way, and a value goal with a ratio one", () => {
    expect(verdict({ ratioAtMost: 1.5 }, 150, 100)).toBe("ratio ≤ 1.5: met");
    expect(verdict({ ratioAtMost: 1.5 }, 151, 100)).toBe("ratio ≤ 1.5: NOT met");
    expect(verdict({ ratioAtLeast: 0.9 }, 89, 100)).toBe("ratio ≥ 0.9: NOT met");
    expect(verdict({ valueAtMost: 10, ratioAtMost: 2 }, 9, 5)).toBe("≤ 10 and ratio ≤ 2: met");
    expect(verdict({ valueAtMost: 10, ratioAtMost: 2 }, 107, 80)).toBe("≤ 10 and ratio ≤ 2: NOT met");
    expect(verdict({ valueAtMost: 0 }, 0.1, 0)).toBe("≤ 0: NOT met");
  });

  it("a ratio goal against a zero baseline is not met; a row without a goal says nothing", () => {
    expect(verdict({ ratioAtMost: 2 }, 1, 0)).toBe("ratio ≤ 2: NOT met");
    expect(verdict(undefined, 1, 1)).toBe("");
  });
});

describe("unitRun: how systemd/cellgate.service runs node", () => {
  it("node's flags before the script, every Environment= variable", () => {
    const unit =
      "[Service]\nExecStart=/usr/bin/node --a --b=1 /x/main.js run --config c\nEnvironment=A=1 B=2\nEnvironment=C=x=y\n";
    expect(unitRun(unit)).toEqual({ flags: ["--a", "--b=1"], env: { A: "1", B: "2", C: "x=y" } });
  });

  it("reads the repository's unit (options only before the script); refuses an ExecStart= with no script", () => {
    const text = readFileSync(join(import.meta.dirname, "../../systemd/cellgate.service"), "utf8");
    expect(unitRun(text).flags.every((f) => f.startsWith("--"))).toBe(true);
    expect(() => unitRun("ExecStart=/usr/bin/node\n")).toThrow(/no .js script/);
  });
});
