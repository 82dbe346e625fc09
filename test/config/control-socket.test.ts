import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkConfig } from "../../src/config/index.js";
import { controlSocketSetting } from "../../src/config/file/index.js";

// How the CLI finds a running daemon without the schema: control.socket read from the YAML alone.
// Where it answers, the answer is what the whole check gives; where it cannot tell (undefined), the
// CLI checks the whole file as before.

const dir = mkdtempSync(join(tmpdir(), "cellgate-socket-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

describe("controlSocketSetting", () => {
  it.each([
    ["the socket the file names", "control:\n  socket: /run/x/control.sock\n", "/run/x/control.sock"],
    ["no control section: the default", "gateway:\n  id: gw\n", null],
    ["an empty control section: the default", "control:\n", null],
    ["an empty file: the default", "", null],
    ["YAML that does not parse: cannot tell", "control: [\n", undefined],
    ["a socket that is not text: cannot tell", "control:\n  socket: 42\n", undefined],
    ["a list at the top: cannot tell", "- control\n", undefined],
  ])("%s", (_what, text, expected) => {
    const f = file(`c${text.length}.yaml`, text);
    expect(controlSocketSetting({ CELLGATE_CONFIG: f })).toBe(expected);
    // Where it tells, a valid file gives the same socket through the whole check.
    const whole = checkConfig({ env: { CELLGATE_CONFIG: f } });
    if (expected !== undefined && "config" in whole)
      expect(whole.config.control.socket).toBe(expected ?? "/run/cellgate/control.sock");
  });

  it("a configuration file named but missing: cannot tell (the whole check reports it)", () => {
    expect(controlSocketSetting({ CELLGATE_CONFIG: join(dir, "missing.yaml") })).toBeUndefined();
    expect(() => checkConfig({ env: { CELLGATE_CONFIG: join(dir, "missing.yaml") } })).toThrow(/cannot read the configuration/);
  });
});
