import { readFileSync } from "node:fs";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, it } from "vitest";
import { checkConfigText, envKeys } from "../../src/config/index.js";
import { fuzz, fuzzTimeout } from "../helpers/fuzz.js";

// The configuration loader on hostile and broken text: the loaded configuration or its listed
// problems, never an uncoded exception (a stack overflow, a TypeError) and never seconds of work.
const SHIPPED = readFileSync(new URL("../../config/cellgate.yaml", import.meta.url), "utf8");
const LINES = SHIPPED.split("\n");
const TOKENS = [
  ...["a", "b", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "<<: *a", "!!str ", "!!binary "],
  ...[
    "'",
    '"',
    "#",
    "|",
    ">",
    "? ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "\t",
    "\u00a0",
    "\ufeff",
    "1e309",
    "-1",
    "0x10",
    ".inf",
    ".nan",
  ],
  ...["null", "~", "true", "yes", "modem", "port", "mqtt", "url", "commands", "maxAgeS", "sendBudget", "perHour", "__proto__"],
];
const ENV = envKeys().map((k) => k.env);

const text = fc.oneof(
  // the shipped file, mutated line by line and character by character
  fc
    .record({
      drop: fc.array(fc.nat(LINES.length), { maxLength: 3 }),
      dup: fc.array(fc.nat(LINES.length), { maxLength: 3 }),
      insert: fc.array(fc.tuple(fc.nat(SHIPPED.length), fc.constantFrom(...TOKENS)), { maxLength: 5 }),
    })
    .map(({ drop, dup, insert }) => {
      let lines = LINES.filter((_, i) => !drop.includes(i));
      for (const i of dup) lines = [...lines.slice(0, i), lines[i] ?? "", ...lines.slice(i)];
      let t = lines.join("\n");
      for (const [at, tok] of insert) t = t.slice(0, at % (t.length + 1)) + tok + t.slice(at % (t.length + 1));
      return t;
    }),
  // YAML-ish token soup, nesting and aliases included
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join("")),
  // well-formed YAML of random shape
  fc.object({ maxDepth: 4 }).map((o) => stringify(o)),
  // deep nesting and alias chains
  fc.nat(200).map((n) => `a: ${"[".repeat(n)}${"]".repeat(n)}\n`),
  fc.nat(30).map((n) => Array.from({ length: n }, (_, i) => `k${i}: &k${i} [${i ? `*k${i - 1}, *k${i - 1}` : "x"}]`).join("\n")),
  fc.string({ maxLength: 200 }),
);
const env = fc.dictionary(
  fc.constantFrom(...ENV),
  fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("1", "0", "true", "x,y", "", " ")),
  {
    maxKeys: 3,
  },
);

describe("fuzz: the configuration loader", () => {
  it(
    "hostile text and environment: a configuration or its problems, never an uncoded exception",
    () => {
      fuzz("config loader", fc.tuple(text, env), ([t, e]) => checkConfigText(t, "fuzz.yaml", e), {
        codes: ["CG_ERR_CONFIG_INVALID", "CG_ERR_CONFIG_READ"],
      });
    },
    fuzzTimeout(3),
  );
});
