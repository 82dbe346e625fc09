import { describe, expect, it } from "vitest";
import { checkConfig, loadConfig } from "../../src/config/index.js";
import { configFiles } from "./files.js";

const { file } = configFiles("cellgate-config-limits-");

/** Nine levels of nine aliases each: 9^9 nodes once expanded. */
function aliasBomb(): string {
  let s = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 10; i++) {
    const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
    s += `${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
  }
  return s;
}

// Hostile or broken files: every one is a coded CG_ERR_CONFIG_INVALID naming the limit, fast,
// never a stack overflow, an out-of-memory abort or minutes of parsing.
describe("the configuration loader's limits", () => {
  const hostile: Array<[string, () => string, RegExp]> = [
    ["a self-referencing anchor", () => "a: &a {b: *a}\n", /refers to itself|alias/],
    ["a self-referencing anchor inside a section", () => "modem: &m\n  port: [*m]\n", /refers to itself|alias/],
    ["an alias bomb", aliasBomb, /alias/],
    ["flow collections nested 20,000 deep", () => `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`, /nested/],
    ["flow mappings nested 100 deep", () => `a: ${"{b: ".repeat(100)}1${"}".repeat(100)}\n`, /nested/],
    [
      "block mappings nested 300 deep",
      () => Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n",
      /nested/,
    ],
    ["a file over 64 KiB", () => `# ${"x".repeat(70 * 1024)}\n`, /64 KiB/],
    [
      "6,000 keys in one mapping (under the size limit)",
      () => Array.from({ length: 6_000 }, (_, i) => `k${i}: 1`).join("\n"),
      /unknown key/,
    ],
  ];
  it.each(hostile)("%s: CG_ERR_CONFIG_INVALID, fast", (_name, text, why) => {
    const p = file(text());
    const started = performance.now();
    let err: unknown;
    try {
      loadConfig({ file: p, env: {} });
    } catch (e) {
      err = e;
    }
    const ms = performance.now() - started;
    expect(err).toMatchObject({ code: "CG_ERR_CONFIG_INVALID" });
    const problems = (err as { detail: { problems: Array<{ message: string }> } }).detail.problems;
    expect(problems.map((x) => x.message).join("; ")).toMatch(why);
    expect(ms, `${ms.toFixed(0)} ms`).toBeLessThan(3000); // a generous bound on a loaded machine: it took 13-60 s
  });

  it("anchors and aliases a person would write still work", () => {
    const r = checkConfig({
      file: file("commands:\n  unsigned: &ro [help]\n  disabled: *ro\nmodem:\n  port: [/dev/a, /dev/b]\n"),
      env: {},
    });
    expect("config" in r && r.config.commands.disabled).toEqual(["help"]);
  });

  it("duplicate keys are still refused, with their line and column (the one-pass check, not the parser's)", () => {
    const r = checkConfig({ file: file("mqtt:\n  url: mqtt://a\n  url: mqtt://b\n"), env: {} });
    expect("problems" in r && r.problems).toEqual([
      { path: "line 3, column 3", message: 'duplicate key "url": "url: mqtt://b"' },
    ]);
  });
});
