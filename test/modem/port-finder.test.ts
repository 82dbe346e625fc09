import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findPorts } from "../../src/modem/index.js";

describe("findPorts: the names the AT port may appear under", () => {
  const dir = mkdtempSync(join(tmpdir(), "cellgate-ports-"));
  const byId = join(dir, "by-id");
  mkdirSync(byId);
  for (const n of ["ttyUSB2", "ttyUSB3", "ttyACM0"]) writeFileSync(join(dir, n), "");
  symlinkSync(join(dir, "ttyUSB3"), join(byId, "usb-Quectel_EC25_0123-if02-port0"));
  symlinkSync(join(dir, "gone"), join(byId, "usb-Quectel_EC25_0123-if03-port0")); // dangling
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a fixed path", [join(dir, "ttyUSB2")], [join(dir, "ttyUSB2")]],
    ["a fixed path that is not there", [join(dir, "ttyUSB9")], []],
    [
      "a by-id pattern (dangling links skipped)",
      [join(byId, "usb-Quectel_*-if0?-port0")],
      [join(byId, "usb-Quectel_EC25_0123-if02-port0")],
    ],
    [
      "several patterns, in order, without repeats",
      [join(dir, "ttyUSB*"), join(dir, "ttyUSB2")],
      [join(dir, "ttyUSB2"), join(dir, "ttyUSB3")],
    ],
    ["a pattern in a missing directory", [join(dir, "nope", "tty*")], []],
  ])("%s", async (_label, patterns, want) => {
    expect(await findPorts(patterns)).toEqual(want);
  });
});
