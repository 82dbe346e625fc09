import { describe, expect, it } from "vitest";
import { twilioSignature, validTwilioSignature } from "../../src/remote/index.js";

// Twilio's documented example (twilio.com/docs/usage/security, "Validating Requests are coming from Twilio").
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS: Array<[string, string]> = [
  ["Digits", "1234"],
  ["To", "+18005551212"],
  ["From", "+12349013030"],
  ["Caller", "+12349013030"],
  ["CallSid", "CA1234567890ABCDE"],
];

describe("X-Twilio-Signature", () => {
  it("is Twilio's documented example", () => {
    expect(twilioSignature("12345", URL_, PARAMS)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    expect(validTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", URL_, PARAMS)).toBe(true);
  });

  it.each<[string, string | undefined, string, Array<[string, string]>]>([
    ["missing", undefined, URL_, PARAMS],
    ["empty", "", URL_, PARAMS],
    ["another token's", twilioSignature("54321", URL_, PARAMS), URL_, PARAMS],
    ["a parameter changed", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", URL_, [...PARAMS.slice(1), ["Digits", "1235"]]],
    ["a parameter added", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", URL_, [...PARAMS, ["Extra", "1"]]],
    ["another URL", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "https://mycompany.com/other.php?foo=1&bar=2", PARAMS],
  ])("%s is refused", (_l, header, url, params) => {
    expect(validTwilioSignature("12345", header, url, params)).toBe(false);
  });

  it("accepts the URL with its default port added or removed, as Twilio's libraries do", () => {
    const sig = twilioSignature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS);
    expect(validTwilioSignature("12345", sig, URL_, PARAMS)).toBe(true);
    expect(
      validTwilioSignature("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS),
    ).toBe(true);
  });

  it("a repeated parameter counts each value, sorted", () => {
    const a = twilioSignature("t", "https://x/y", [
      ["K", "b"],
      ["K", "a"],
    ]);
    expect(a).toBe(
      twilioSignature("t", "https://x/y", [
        ["K", "a"],
        ["K", "b"],
      ]),
    );
    expect(a).not.toBe(twilioSignature("t", "https://x/y", [["K", "a"]]));
  });
});
