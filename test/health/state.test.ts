import { describe, expect, it } from "vitest";
import { assess, type StateInput } from "../../src/health/index.js";

const MB = 1024 * 1024;
const report = (state: StateInput) => assess({ modem: { error: { code: "CG_ERR_LINK_OPEN", message: "x" } }, now: 0, state });

describe("the state check", () => {
  it.each<[string, StateInput, string, RegExp]>([
    [
      "writable with room",
      { dir: "/var/lib/cellgate", freeBytes: 512 * MB, failure: null },
      "pass",
      /^\/var\/lib\/cellgate writable, 512\.0 MB free$/,
    ],
    ["nearly full", { dir: "/var/lib/cellgate", freeBytes: 2 * MB, failure: null }, "warn", /2\.0 MB free/],
    [
      "the last write failed",
      {
        dir: "/var/lib/cellgate",
        freeBytes: 0,
        failure: { path: "/var/lib/cellgate/seen.json", error: "ENOSPC: no space left on device" },
      },
      "fail",
      /^cannot write \/var\/lib\/cellgate\/seen\.json: ENOSPC/,
    ],
  ])("%s", (_name, state, status, detail) => {
    const c = report(state).checks.find((x) => x.id === "state")!;
    expect(c.status).toBe(status);
    expect(c.detail).toMatch(detail);
    if (status === "fail") expect(c.hint).toMatch(/SMS stay on the modem/);
  });

  it("a failing state directory degrades the verdict (nothing is lost: it waits)", () => {
    const r = assess({
      modem: { error: { code: "CG_ERR_LINK_OPEN", message: "x" } },
      now: 0,
      state: { dir: "/s", freeBytes: null, failure: { path: "/s/x", error: "EROFS" } },
    });
    expect(r.checks.find((c) => c.id === "state")?.status).toBe("fail");
  });
});
