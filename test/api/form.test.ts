import { describe, expect, it } from "vitest";
import { encodeParams, type Params } from "../../src/api/index.js";

// The API's parameter encoding, as twilio-node sends it.
describe("encodeParams", () => {
  const cases: Array<[string, Params, string]> = [
    [
      "strings, form-escaped",
      { Command: "status now & then", CallbackUrl: "https://x.example/hook?a=1" },
      "Command=status+now+%26+then&CallbackUrl=https%3A%2F%2Fx.example%2Fhook%3Fa%3D1",
    ],
    [
      "booleans as true/false",
      { DeliveryReceiptRequested: false, DataEnabled: true },
      "DeliveryReceiptRequested=false&DataEnabled=true",
    ],
    [
      "arrays as repeated keys",
      { InternationalRoaming: ["data", "messaging"] },
      "InternationalRoaming=data&InternationalRoaming=messaging",
    ],
    [
      "dates as ISO 8601 UTC without milliseconds",
      { Start: new Date("2026-11-01T00:00:00.123Z") },
      "Start=2026-11-01T00%3A00%3A00Z",
    ],
    ["undefined left out, numbers as text", { PageSize: 50, Status: undefined }, "PageSize=50"],
    ["UCS2 text as UTF-8", { Command: "état ✓" }, "Command=%C3%A9tat+%E2%9C%93"],
  ];
  it.each(cases)("%s", (_name, params, expected) => {
    expect(encodeParams(params)).toBe(expected);
  });
});
