import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commandKey, memoryStateFiles, signText } from "../../src/commands/index.js";
import { FakeGateway, KEY, sign, septets, T, world } from "./world.js";

describe("running Commands", () => {
  it("a signed status runs once and is answered in one SMS; the run is on events", async () => {
    const w = await world();
    const a = await w.deliver(w.msg(sign("status")));
    expect(a.auth).toBe("verified");
    expect(w.replies).toEqual([
      "status ok reg=roaming rat=lte rsrp=-95 att=1 data=up mqtt=up up=1m0s v=0.1.0 op=T-Mobile ip=10.64.12.7",
    ]);
    expect(w.events.map((e) => e.type)).toEqual(["command-run"]);
    expect(w.events[0]!.extra).toMatchObject({ verb: "status", auth: "verified" });
  });

  it.each([
    [
      "forged (another key)",
      () => signText(commandKey("an attacker's guess at the key!!", "t"), "status", T, septets),
      "NAK status bad-tag",
    ],
    ["altered", () => sign("status").replace("status", "health"), "NAK health bad-tag"],
    ["expired", () => sign("status", T - 16 * 60_000), "NAK status expired"],
    ["from the future", () => sign("status", T + 6 * 60_000), "NAK status future"],
    ["unsigned when a signature is required", () => "status", "NAK status unsigned"],
    ["a signed unknown verb", () => sign("format c:"), "NAK format unknown-verb"],
    ["an attempt at a signature", () => "reboot CONFIRM #1234.abcd", "NAK reboot bad-tag"],
  ])("%s: not run, NAKed, on events", async (_l, text, nak) => {
    const w = await world();
    const a = await w.deliver(w.msg(text()));
    expect(a.auth).toBe("rejected");
    expect(w.gateway.views).toBe(0);
    expect(w.replies).toEqual([nak]);
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: "command-rejected", extra: { reason: nak.split(" ")[2] } });
  });

  it(
    "a replay (the same signed text in a new SMS) is refused, also after a restart; the same SMS handed off again is " +
      "not a replay",
    async () => {
      const w = await world();
      const text = sign("status");
      const first = w.msg(text);
      await w.deliver(first);
      // The hand-off retried (the broker did not PUBACK in time): same message, admitted again, not run again.
      expect((await w.deliver(first)).auth).toBe("verified");
      expect(w.gateway.views).toBe(1);
      await w.deliver(w.msg(text));
      expect(w.replies.at(-1)).toBe("NAK status replay");
      const again = await world({ dir: w.dir });
      await again.deliver(again.msg(text));
      expect(again.replies).toEqual(["NAK status replay"]);
      expect(again.gateway.views).toBe(0);
    },
  );

  it("with publish-only, an unsigned verb is not answered; a bad signature still is", async () => {
    const w = await world({ unauthenticated: "publish-only" });
    await w.deliver(w.msg("status"));
    expect(w.replies).toEqual([]);
    expect(w.events.map((e) => e.extra?.reason)).toEqual(["unsigned"]);
    await w.deliver(w.msg(sign("status").replace("status", "signal")));
    expect(w.replies).toEqual(["NAK signal bad-tag"]);
  });

  it.each([
    ["a local application's own Command", "setpoint 21"],
    ["one whose first word is no verb", "format c:"],
    ["a JSON one", '{"valve":"open"}'],
    ["one that mentions a verb later", "set status ok"],
  ])("%s from 2936 is an application Command: delivered unjudged, no event, no NAK", async (_l, text) => {
    const w = await world(); // unauthenticated: nak, the default
    const a = await w.deliver(w.msg(text));
    expect(a).toMatchObject({ auth: "none", decision: null });
    expect(w.events).toEqual([]);
    expect(w.replies).toEqual([]);
    expect(w.gateway.views).toBe(0);
  });

  it("binary Commands and SMS from other numbers that are not addressed to cellgate: delivered, no event, no SMS", async () => {
    const w = await world();
    for (const m of [
      w.msg("", { text: undefined, dataBase64: "AAEC" }),
      w.msg("Your bill is ready. Reply STOP to opt out", { kind: "foreign", sender: "+15551234567" }),
      w.msg("Welcome to T-Mobile", { kind: "foreign", sender: "T-Mobile" }),
      w.msg("", { kind: "foreign", sender: "+15551234567", text: undefined, dataBase64: "AAEC" }),
    ])
      expect(await w.deliver(m)).toMatchObject({ auth: "none", decision: null });
    expect(w.events).toEqual([]);
    expect(w.replies).toEqual([]);
  });

  it("a cellgate Command from a foreign sender is never run, and is reported, but not answered (a NAK would go to 2936)", async () => {
    const w = await world();
    for (const text of [sign("status"), "reboot CONFIRM"]) {
      const a = await w.deliver(w.msg(text, { kind: "foreign", sender: "+15551234567" }));
      expect(a).toMatchObject({ auth: "rejected", decision: { reason: "foreign" } });
    }
    expect(w.gateway.views).toBe(0);
    expect(w.events.map((e) => e.type)).toEqual(["command-rejected", "command-rejected"]);
    expect(w.events[0]!.detail).toMatch(/^sms rejected \(foreign\): sender \+15551234567/);
    expect(w.replies).toEqual([]);
  });

  it("NAKs are limited to naksPerHour: a flood of forged Commands is not a flood of SMS", async () => {
    const w = await world();
    for (let i = 0; i < 15; i++) await w.deliver(w.msg(`status #t6cxfk.${"A".repeat(22)}`));
    expect(w.replies).toHaveLength(10);
    expect(w.events).toHaveLength(15);
  });

  it("without NTP or network time, the SMS's service-centre time stamp is the reference", async () => {
    const w = await world({ ref: { ms: Date.parse("1970-01-01T00:05:00Z"), quality: "unsynced" } });
    expect((await w.deliver(w.msg(sign("status")))).clock).toBe("scts");
    expect(w.replies[0]).toMatch(/^status ok/);
    // No SC time stamp either: the unsynced clock is all there is, and 1970 is far from the signing time.
    await w.deliver(w.msg(sign("health", T + 1000), { timestamp: null }));
    expect(w.replies[1]).toBe("NAK health future");
  });

  it("with the modem's network time, the window is checked against it, not the unsynchronised system clock", async () => {
    // ManualClock (the system clock) is at T; the network says T + 1 h, and so did the signer.
    const w = await world({ ref: { ms: T + 3_600_000, quality: "network" } });
    const a = await w.deliver(w.msg(sign("status", T + 3_600_000), { timestamp: null }));
    expect(a).toMatchObject({ auth: "verified", clock: "network" });
    await w.deliver(w.msg(sign("signal", T), { timestamp: null }));
    expect(w.replies[1]).toBe("NAK signal expired");
  });

  it("finished entries are pruned from the journal once well past the window; the high-water mark stays", async () => {
    const w = await world();
    await w.deliver(w.msg(sign("status")));
    w.ref.ms += 24 * 3_600_000;
    await w.deliver(w.msg(sign("signal", w.ref.ms)));
    const journal = JSON.parse(readFileSync(join(w.dir, "commands", "journal.json"), "utf8")) as {
      newestSignedAt: number;
      entries: Array<{ verb: string }>;
    };
    expect(journal.entries.map((e) => e.verb)).toEqual(["signal"]);
    expect(journal.newestSignedAt).toBe(T + 24 * 3_600_000);
    // The pruned status tag, re-sent: refused by the window, not run.
    await w.deliver(w.msg(sign("status")));
    expect(w.replies.at(-1)).toBe("NAK status expired");
  });

  it(
    "a journal that does not parse is moved aside; Commands signed before it was found are refused (their tags went " +
      "with it)",
    async () => {
      const first = await world();
      await first.deliver(first.msg(sign("status", T - 60_000)));
      writeFileSync(join(first.dir, "commands", "journal.json"), "{ torn");
      await world({ dir: first.dir }); // finds it torn; restarted before any Command came
      const w = await world({ dir: first.dir });
      expect(readdirSync(join(first.dir, "commands")).some((f) => f.startsWith("journal.json.") && f !== "journal.json")).toBe(
        true,
      );
      await w.deliver(w.msg(sign("status", T - 60_000)));
      expect(w.replies).toEqual(["NAK status expired"]);
      await w.deliver(w.msg(sign("status", T + 1000)));
      expect(w.replies[1]).toMatch(/^status ok /);
    },
  );

  it("disabled verbs are refused; help lists what runs", async () => {
    const w = await world({
      policy: {
        unsigned: new Set(["help"]),
        disabled: new Set(["reboot", "ping"]),
        maxAgeMs: 900_000,
        maxFutureMs: 300_000,
        rebootToken: "CONFIRM",
      },
    });
    await w.deliver(w.msg(sign("reboot CONFIRM")));
    await w.deliver(w.msg("help"));
    expect(w.replies).toEqual([
      "NAK reboot disabled",
      "help status health signal net sim mqtt version help* modem-reset (*=unsigned; sign: cellgate sign)",
    ]);
    expect(w.gateway.reboots).toBe(0);
  });
});

describe("ping", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("times a TCP connect; a closed port is a failure with the reason", async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const w = await world();
    await w.deliver(w.msg(sign(`ping 127.0.0.1 ${port}`)));
    expect(w.replies[0]).toMatch(new RegExp(`^ping ok 127\\.0\\.0\\.1:${port} dns=0ms tcp=\\d+ms$`));
    server.close();
    await w.deliver(w.msg(sign(`ping 127.0.0.1 ${port}`, T + 1000)));
    expect(w.replies[1]).toMatch(new RegExp(`^ping fail 127\\.0\\.0\\.1:${port} dns=0ms err=ECONNREFUSED$`));
  });
});

describe("replies of the verbs that act or reach out fit one SMS in the worst case", () => {
  it("ping to a 63-character name that does not resolve, a modem reset with a long failure, a long NAK template", async () => {
    const gateway = new FakeGateway();
    gateway.resetModem = () =>
      Promise.resolve({ ok: false, detail: `refused: ${"a recovery step is already running; ".repeat(8)}`, tookMs: 123_456_789 });
    const w = await world({ gateway, pingTimeoutMs: 2000, nakTemplate: `NÂK {verb} {reason} ${"x".repeat(40)}` });
    const host = `${"a".repeat(55)}.invalid`;
    await w.deliver(w.msg(sign(`ping ${host} 65535`)));
    await w.deliver(w.msg(sign("modem-reset", T + 1000)));
    await w.deliver(w.msg(`${"z".repeat(100)} please #abc.def`));
    expect(w.replies).toHaveLength(3);
    expect(w.replies[0]).toMatch(/^ping fail a{55}\.invalid:65535 err=\S+$/);
    expect(w.replies[1]).toMatch(/^modem-reset failed took=1d10h refused: a recovery step/);
    expect(w.replies[2]).toMatch(/^NAK z{20} bad-tag x+/);
    for (const r of w.replies) {
      expect(septets(r), r).toBeDefined();
      expect(septets(r)!, r).toBeLessThanOrEqual(160);
    }
  });
});

describe("state kept elsewhere than a state directory", () => {
  it("in memory (the simulator's gateways): the journal refuses a replay, across a reopen of the same state", async () => {
    const files = memoryStateFiles();
    const w = await world({ files, stateDir: "/nonexistent/never-written" });
    const m = w.msg(sign("status"));
    await w.deliver(m);
    const again = await world({ files, stateDir: "/nonexistent/never-written", gateway: w.gateway });
    await again.deliver(again.msg(m.text!));
    expect(w.replies[0]).toMatch(/^status ok /);
    expect(again.replies).toEqual(["NAK status replay"]);
    expect(existsSync("/nonexistent/never-written")).toBe(false);
  });
});

describe("request ids", () => {
  const signId = (text: string, rid: string, at = T) => signText(KEY, text, at, septets, rid);

  it("every reply and NAK echoes the id of the Command it answers; the old format still runs", async () => {
    const w = await world();
    await w.deliver(w.msg(signId("status", "aaaaa")));
    await w.deliver(w.msg(signId("status", "bbbbb", T + 1000)));
    await w.deliver(w.msg(sign("status", T + 2000)));
    await w.deliver(w.msg(signId("status", "ccccc", T - 3_600_000)));
    await w.deliver(w.msg(signId("dataoff", "ddddd", T + 3000)));
    await w.deliver(w.msg(signText(commandKey("another gateway's key, 32 bytes!", "t"), "status", T, septets, "eeeee")));
    expect(w.replies[0]).toMatch(/^#aaaaa status ok /);
    expect(w.replies[1]).toMatch(/^#bbbbb status ok /);
    expect(w.replies[2]).toMatch(/^status ok /);
    expect(w.replies.slice(3)).toEqual([
      "#ccccc NAK status expired",
      "#ddddd NAK dataoff unknown-verb",
      "#eeeee NAK status bad-tag",
    ]);
    for (const r of w.replies) expect(septets(r)!).toBeLessThanOrEqual(160);
  });

  it("the same text with two ids is two requests, not a replay; the same id and tag again is", async () => {
    const w = await world();
    const first = w.msg(signId("status", "aaaaa"));
    await w.deliver(first);
    await w.deliver(w.msg(signId("status", "bbbbb")));
    await w.deliver(w.msg(first.text!));
    expect(w.replies.map((r) => r.split(" ").slice(0, 3).join(" "))).toEqual([
      "#aaaaa status ok",
      "#bbbbb status ok",
      "#aaaaa NAK status",
    ]);
    expect(w.replies[2]).toBe("#aaaaa NAK status replay");
  });

  it("an acting verb interrupted by a restart is reported with its id", async () => {
    const gateway = new FakeGateway();
    gateway.resetBehaviour = "die";
    const dying = await world({ gateway });
    void dying.p.dispatch(await dying.p.admit(dying.msg(signId("modem-reset", "rrrrr"))));
    await expect.poll(() => gateway.resets).toBe(1);
    const after = await world({ dir: dying.dir, gateway });
    await after.p.resume();
    expect(after.replies).toEqual(["#rrrrr modem-reset interrupted by a restart; not run again"]);
  });
});

describe("read and act windows", () => {
  const policy = {
    unsigned: new Set(["help"] as const),
    disabled: new Set<never>(),
    maxAgeMs: { read: 86_400_000, act: 900_000 },
    maxFutureMs: 300_000,
    rebootToken: "CONFIRM",
  };

  it("a day-late status is answered, a 2 h late modem-reset is refused, and the journal keeps the day's tags", async () => {
    const w = await world({ policy, ref: { ms: T + 2 * 3_600_000, quality: "synced" } });
    const status = w.msg(sign("status"));
    await w.deliver(status);
    await w.deliver(w.msg(sign("modem-reset")));
    await w.deliver(w.msg(sign("modem-reset", T + 2 * 3_600_000 - 60_000)));
    expect(w.replies[0]).toMatch(/^status ok /);
    expect(w.replies[1]).toBe("NAK modem-reset expired");
    expect(w.replies[2]).toMatch(/^modem-reset ok /);
    expect(w.gateway.resets).toBe(1);
    // The status signed 2 h before the newest accepted Command is still a replay, not forgotten.
    await w.deliver(w.msg(status.text!));
    expect(w.replies[3]).toBe("NAK status replay");
  });

  it("after a restart, an accepted status still runs 2 h later; an accepted modem-reset does not", async () => {
    const w = await world({ policy });
    await w.p.admit(w.msg(sign("status")));
    await w.p.admit(w.msg(sign("modem-reset", T + 1000)));
    const after = await world({ policy, dir: w.dir, gateway: w.gateway, ref: { ms: T + 2 * 3_600_000, quality: "synced" } });
    await after.p.resume();
    expect(w.gateway.views).toBe(1);
    expect(w.gateway.resets).toBe(0);
    expect(after.replies).toHaveLength(1);
    expect(after.replies[0]).toMatch(/^status ok /);
    const rejected = after.events.find((e) => e.type === "command-rejected");
    expect(rejected?.extra).toMatchObject({ verb: "modem-reset", reason: "expired" });
  });
});
