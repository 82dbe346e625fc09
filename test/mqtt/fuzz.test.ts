import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isStrictBase64 } from "../../src/core/index.js";
import { parseCommandSend } from "../../src/mqtt/index.js";
import { fuzz, fuzzTimeout } from "../helpers/fuzz.js";

// commands/send payloads: a request to send, or the reason it is refused (answered on
// commands/sent as CG_ERR_MQTT_PAYLOAD), never an exception; nothing empty or lenient is sent.
const field = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "QQ==", "QR==", "!!!notbase64", "AAAA", "AAA=", "A===", "////", "Zm9v\n"),
  fc.base64String({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const payload = fc.oneof(
  fc.record({ text: field, data: field, transaction: field, extra: field }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 100 }),
  fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString("latin1")),
);

describe("fuzz: commands/send payloads", () => {
  it(
    "a valid request (non-empty text, or strict base64 data) or a refusal with the reason",
    () => {
      fuzz(
        "MQTT commands/send payloads",
        payload,
        (raw) => {
          const r = parseCommandSend(raw);
          if ("error" in r) return expect(r.error).toMatch(/\S/);
          expect((r.text !== undefined) !== (r.data !== undefined)).toBe(true);
          if (r.text !== undefined) expect(r.text.length).toBeGreaterThan(0);
          if (r.data !== undefined) expect(isStrictBase64(r.data)).toBe(true);
          if (r.transaction !== undefined) expect(typeof r.transaction).toBe("string");
        },
        { codes: [] },
      );
    },
    fuzzTimeout(0.3),
  );
});
