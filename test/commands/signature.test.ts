import { describe, expect, it } from "vitest";
import {
  authenticate,
  commandKey,
  replayWindowMs,
  signText,
  SIGNED_BODY_MAX,
  splitSignature,
  windowFor,
  type CommandPolicy,
} from "../../src/commands/index.js";
import { isCellgateError } from "../../src/core/index.js";
import { gsm7Length } from "../../src/sms/pdu/index.js";
import { stripCommandSid } from "../../src/sms/index.js";

const KEY = commandKey("correct horse battery staple 42!", "test");
const OTHER = commandKey("another gateway's key, 32 bytes!", "test");
const T = 1_764_200_000_000; // 2025-11-26T23:33:20Z
const septets = (s: string) => gsm7Length(s);
const POLICY: CommandPolicy = {
  unsigned: new Set(["help"]),
  disabled: new Set(),
  maxAgeMs: 900_000,
  maxFutureMs: 300_000,
  rebootToken: "CONFIRM",
};

function check(
  text: string,
  o: { now?: number; key?: Buffer | null; seen?: string[]; notBefore?: number | null; policy?: Partial<CommandPolicy> } = {},
) {
  return authenticate({
    text,
    key: o.key === null ? undefined : (o.key ?? KEY),
    policy: { ...POLICY, ...o.policy },
    now: o.now ?? T,
    seen: (t) => (o.seen ?? []).includes(t),
    notBefore: o.notBefore ?? null,
  });
}
const reason = (d: ReturnType<typeof check>) => (d.accept ? "accepted" : d.reason);

describe("signing", () => {
  // Computed independently (Python's hmac): HMAC-SHA256(key, "cellgate/1\n" + base36(ts) + "\n" + text), first 16 bytes, base64url.
  it.each([
    ["status", "status #t6cxfk.Bc6IlLzcwDOBesrhGGlGIw"],
    ["ping example.com 443", "ping example.com 443 #t6cxfk.BQHGpIE4PAiGNoKTItfjfA"],
    ["  reboot   CONFIRM ", "reboot CONFIRM #t6cxfk.ak9an42qj_1DONCQxmBeGw"],
  ])("%j signs to the known vector", (text, signed) => {
    expect(signText(KEY, text, T, septets)).toBe(signed);
    expect(check(signed)).toMatchObject({ accept: true, auth: "verified", signedAt: T });
  });

  // The same, over "cellgate/2\n" + base36(ts) + "\n" + rid + "\n" + text.
  it.each([
    ["status", "k3f9x", "status #t6cxfk.k3f9x.yowNzhbOOjIAQ7E2WcInSQ"],
    ["reboot CONFIRM", "00000", "reboot CONFIRM #t6cxfk.00000.saMCwXYzsifHh-SXTvrqjg"],
  ])("%j with request id %s signs to the known vector, and the decision carries the id", (text, rid, signed) => {
    expect(signText(KEY, text, T, septets, rid)).toBe(signed);
    expect(check(signed)).toMatchObject({ accept: true, auth: "verified", signedAt: T, rid });
  });

  it("the request id is signed: moved, dropped or added, the tag no longer matches; the NAK still echoes it", () => {
    const withId = signText(KEY, "status", T, septets, "k3f9x");
    const without = signText(KEY, "status", T, septets);
    expect(reason(check(withId.replace(".k3f9x.", ".k3f9y.")))).toBe("bad-tag");
    expect(reason(check(withId.replace(".k3f9x.", ".")))).toBe("bad-tag");
    expect(reason(check(without.replace("#t6cxfk.", "#t6cxfk.k3f9x.")))).toBe("bad-tag");
    expect(check(withId.replace(".k3f9x.", ".k3f9y."))).toMatchObject({ rid: "k3f9y" });
    expect(() => signText(KEY, "status", T, septets, "K3F9X")).toThrow(/request id "K3F9X"/);
  });

  it("fits one SMS with an IncludeSid SID at either end, in single GSM septets", () => {
    const longest = `ping ${"a".repeat(SIGNED_BODY_MAX - 31 - 5)}`;
    const signed = signText(KEY, longest, T, septets);
    expect(signed).toHaveLength(SIGNED_BODY_MAX);
    expect(septets(signed)).toBe(SIGNED_BODY_MAX);
    const sid = `DC${"0123456789abcdef".repeat(2)}`;
    for (const withSid of [`${signed} ${sid}`, `${sid} ${signed}`]) {
      expect(withSid.length).toBeLessThanOrEqual(160);
      expect(stripCommandSid(withSid)).toEqual({ body: signed, sid });
    }
    const err = (() => {
      try {
        return signText(KEY, `${longest}a`, T, septets);
      } catch (e) {
        return e;
      }
    })();
    expect(isCellgateError(err, "CG_ERR_COMMAND_SIGN") && err.message).toMatch(/126 characters; at most 125 .* may have 94/);
  });

  it.each([
    ["not GSM 7-bit", "ping naïve.example", /outside the GSM 7-bit basic table/],
    ["an escape character", "ping a|b", /outside the GSM 7-bit basic table/],
    ["empty", "   ", /empty/],
  ])("refuses %s", (_l, text, msg) => {
    expect(() => signText(KEY, text, T, septets)).toThrow(msg);
  });

  it("refuses a key shorter than 16 bytes, naming where it came from", () => {
    expect(() => commandKey("short\n", "/etc/cellgate/command-key")).toThrow(
      /command key from \/etc\/cellgate\/command-key has 5 bytes; at least 16/,
    );
  });
});

describe("verification", () => {
  const signed = signText(KEY, "status", T, septets);

  it.each<[string, string, Parameters<typeof check>[1], string]>([
    ["the right key", signed, {}, "accepted"],
    ["another gateway's key", signText(OTHER, "status", T, septets), {}, "bad-tag"],
    ["the verb altered", signed.replace("status", "reboot"), {}, "bad-tag"],
    ["one letter altered", signed.replace("status", "statuS"), {}, "bad-tag"],
    ["an argument added", signed.replace("status", "status x"), {}, "bad-tag"],
    ["the time altered", signed.replace("#t6cxfk", "#t6cxfl"), {}, "bad-tag"],
    ["a tag bit flipped", signed.slice(0, -2) + (signed.at(-2) === "I" ? "J" : "I") + signed.at(-1)!, {}, "bad-tag"],
    // "w" and "x" end the same 16 bytes (the last character's low bits are padding): a second spelling must not dodge the replay guard.
    ["the same tag spelt otherwise", signed.slice(0, -1) + "x", {}, "bad-tag"],
    ["a truncated tag", signed.slice(0, -2), {}, "bad-tag"],
    ["a trailer that is not base36.base64url", "status #2025-11-26.x", {}, "bad-tag"],
    ["replayed", signed, { seen: [signed.split(".")[1]!] }, "replay"],
    ["15 min old: still in the window", signed, { now: T + 900_000 }, "accepted"],
    ["15 min 1 s old: expired", signed, { now: T + 901_000 }, "expired"],
    ["5 min ahead: in the window", signed, { now: T - 300_000 }, "accepted"],
    ["5 min 1 s ahead: future", signed, { now: T - 301_000 }, "future"],
    ["signed before a Command already accepted, by more than the window", signed, { notBefore: T + 1 }, "expired"],
    ["no key on the gateway", signed, { key: null }, "no-key"],
    ["unsigned status (needs a signature)", "status", {}, "unsigned"],
    ["unsigned help (allowed)", "help", {}, "accepted"],
    ["unsigned HELP, any case, a phone's trailing period", "HELP.", {}, "accepted"],
    ["unsigned, help required to be signed by the config", "help", { policy: { unsigned: new Set() } }, "unsigned"],
    ["an unknown verb", "dataoff", {}, "unknown-verb"],
    ["an unknown verb, signed", signText(KEY, "firmware update", T, septets), {}, "unknown-verb"],
    ["a disabled verb, signed", signed, { policy: { disabled: new Set(["status"]) } }, "disabled"],
    ["reboot without the token", signText(KEY, "reboot", T, septets), {}, "bad-args"],
    ["reboot with a wrong token", signText(KEY, "reboot confirm", T, septets), {}, "bad-args"],
    ["reboot with the token", signText(KEY, "reboot CONFIRM", T, septets), {}, "accepted"],
    ["ping with a port", signText(KEY, "ping 8.8.8.8 53", T, septets), {}, "accepted"],
    ["ping with a bad port", signText(KEY, "ping 8.8.8.8 70000", T, septets), {}, "bad-args"],
    ["status with arguments", signText(KEY, "status now", T, septets), {}, "bad-args"],
  ])("%s → %s", (_label, text, o, want) => {
    expect(reason(check(text, o))).toBe(want);
  });

  it("says why, and marks whether the text was signed", () => {
    expect(check("status", {})).toMatchObject({
      accept: false,
      reason: "unsigned",
      signed: false,
      verb: "status",
      why: "status needs a signature (cellgate sign)",
    });
    expect(check(signed, { now: T + 3_600_000 })).toMatchObject({
      accept: false,
      reason: "expired",
      signed: true,
      why: "signed 3600 s ago (window 900 s)",
    });
  });

  describe("read and act windows (commands.maxAgeS: {read, act})", () => {
    const WINDOWS = { policy: { maxAgeMs: { read: 86_400_000, act: 900_000 } } };
    const at = (now: number) => ({ ...WINDOWS, now });
    it.each<[string, string, number, string]>([
      ["status 2 h late (a day's delivery retry)", signed, T + 7_200_000, "accepted"],
      ["status 24 h late", signed, T + 86_400_000, "accepted"],
      ["status 24 h 1 s late", signed, T + 86_401_000, "expired"],
      ["modem-reset 15 min late", signText(KEY, "modem-reset", T, septets), T + 900_000, "accepted"],
      ["modem-reset 15 min 1 s late", signText(KEY, "modem-reset", T, septets), T + 901_000, "expired"],
      ["modem-reset 2 h late", signText(KEY, "modem-reset", T, septets), T + 7_200_000, "expired"],
      ["reboot 2 h late", signText(KEY, "reboot CONFIRM", T, septets), T + 7_200_000, "expired"],
      ["ping 2 h late (it reads)", signText(KEY, "ping example.com", T, septets), T + 7_200_000, "accepted"],
    ])("%s → %s", (_l, text, now, want) => {
      expect(reason(check(text, at(now)))).toBe(want);
    });

    it("the replay guard covers the longer window; one number is both", () => {
      expect(replayWindowMs({ maxAgeMs: { read: 86_400_000, act: 900_000 } })).toBe(86_400_000);
      expect(replayWindowMs({ maxAgeMs: { read: 600_000, act: 3_600_000 } })).toBe(3_600_000);
      expect(replayWindowMs({ maxAgeMs: 900_000 })).toBe(900_000);
      expect(windowFor({ maxAgeMs: 900_000 }, "reboot")).toBe(900_000);
      expect(windowFor({ maxAgeMs: 900_000 }, "status")).toBe(900_000);
    });

    it("an expired acting verb says its own window", () => {
      expect(check(signText(KEY, "modem-reset", T, septets), at(T + 3_600_000))).toMatchObject({
        reason: "expired",
        why: "signed 3600 s ago (window 900 s)",
      });
    });
  });

  it("splits the trailer from the text only when it has the trailer's form", () => {
    expect(splitSignature("ping host #tag")).toEqual({ kind: "unsigned", text: "ping host #tag" });
    expect(splitSignature(signed)).toMatchObject({ kind: "signed", parts: { text: "status", ts: T / 1000 } });
  });
});
