import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTROL_PROTOCOL, parseControlRequest } from "../../src/runtime/index.js";
import { fuzz, fuzzTimeout } from "../helpers/fuzz.js";

// Control-socket request lines: a validated request or CG_ERR_CONTROL_REQUEST saying why, never
// an exception out of the parser (one `null` line used to kill the daemon).
const METHODS = Object.keys(CONTROL_PROTOCOL);
const params = fc.oneof(
  fc.record(
    {
      command: fc.oneof(fc.string({ maxLength: 20 }), fc.constant("AT+CSQ"), fc.jsonValue({ maxDepth: 1 })),
      timeoutMs: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 })),
      text: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(""), fc.jsonValue({ maxDepth: 1 })),
      data: fc.oneof(fc.base64String({ maxLength: 20 }), fc.constantFrom("!!!notbase64", "QR==", "")),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const line = fc.oneof(
  fc
    .record(
      {
        method: fc.oneof(
          fc.constantFrom(...METHODS, "__proto__", "constructor", "toString", "reboot"),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        params,
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom("null", "[]", "{}", '"status"', "0", "true", "{ torn"),
  fc.string({ maxLength: 100 }),
);

describe("fuzz: control-socket requests", () => {
  it(
    "a request of the protocol or a coded refusal",
    () => {
      fuzz(
        "control-socket requests",
        line,
        (l) => {
          const r = parseControlRequest(l);
          expect(METHODS).toContain(r.method);
          // what a handler gets has passed its method's schema
          expect(CONTROL_PROTOCOL[r.method].params.safeParse(r.params).success).toBe(true);
        },
        { codes: ["CG_ERR_CONTROL_REQUEST"] },
      );
    },
    fuzzTimeout(0.3),
  );
});
