import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeGateway, sign, T, world } from "./world.js";

const HOUR = 3_600_000;

// The replay guard must hold whatever any clock does: the reference time (NTP, the modem's
// network time, the SMS's service-centre stamp, the unsynchronised system clock) only decides
// the window; no clock may make the journal forget a tag that could still be accepted.
describe("the replay guard holds whatever the clocks do", () => {
  it("daemon clock 3 h ahead, no network time: the same signed modem-reset runs once, also across a restart", async () => {
    const gateway = new FakeGateway();
    const ref = { ms: T + 3 * HOUR, quality: "unsynced" as const }; // windows are checked against the SC time stamps
    const w = await world({ gateway, ref });
    const text = sign("modem-reset");
    const first = await w.deliver(w.msg(text));
    expect(first).toMatchObject({ auth: "verified", clock: "scts" });
    // The network delivers the same text again 16 s later (a replay, or an operator's double send).
    await w.deliver(w.msg(text, { timestamp: new Date(T + 16_000).toISOString() }));
    expect(gateway.resets).toBe(1);
    expect(w.replies.at(-1)).toBe("NAK modem-reset replay");
    const after = await world({ dir: w.dir, gateway, ref });
    await after.deliver(after.msg(text, { timestamp: new Date(T + 60_000).toISOString() }));
    expect(gateway.resets).toBe(1);
    expect(after.replies).toEqual(["NAK modem-reset replay"]);
  });

  it("network time jumping +3 h then back: an unsigned help does not empty the journal; a signed text does not run again", async () => {
    const gateway = new FakeGateway();
    const w = await world({ gateway, ref: { ms: T, quality: "network" } });
    const texts = Array.from({ length: 8 }, (_, i) => sign(i % 2 ? "status" : "signal", T - i * 60_000));
    for (const t of texts) await w.deliver(w.msg(t));
    expect(gateway.views).toBe(8);
    w.ref.ms = T + 3 * HOUR; // the modem's network time jumps
    await w.deliver(w.msg("help"));
    w.ref.ms = T + 60_000; // and back
    for (const t of texts) await w.deliver(w.msg(t));
    expect(gateway.views).toBe(8);
    expect(w.replies.slice(-8)).toEqual(texts.map((t) => `NAK ${t.split(" ")[0]} replay`));
  });

  it("a tag is forgotten only once the high-water mark has moved a whole window past it (then it is refused as expired)", async () => {
    const w = await world({ ref: { ms: T, quality: "synced" } });
    await w.deliver(w.msg(sign("status")));
    // The system clock jumps a day ahead, runs a Command, and comes back: the old tag is kept.
    w.ref.ms = T + 24 * HOUR;
    await w.deliver(w.msg("help"));
    w.ref.ms = T + 60_000;
    await w.deliver(w.msg(sign("status")));
    expect(w.replies.at(-1)).toBe("NAK status replay");
    // A Command signed a day later moves the mark: the first tag may go, and is refused by the mark.
    w.ref.ms = T + 24 * HOUR;
    await w.deliver(w.msg(sign("signal", T + 24 * HOUR)));
    w.ref.ms = T + 60_000;
    await w.deliver(w.msg(sign("status")));
    expect(w.replies.at(-1)).toBe("NAK status expired");
    expect(w.gateway.views).toBe(2);
  });

  it("property: under any sequence of clock jumps, quality changes and restarts, no signed Command runs twice", async () => {
    // Mostly near the signing times (so Commands pass the window), sometimes a jump of hours or days.
    const offsetS = fc.oneof(
      fc.integer({ min: -600, max: 600 }),
      fc.constantFrom(3 * 3600, -3 * 3600, 24 * 3600, 30 * 3600, -30 * 3600),
      fc.integer({ min: -30 * 3600, max: 30 * 3600 }),
    );
    const step = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant("deliver" as const), which: fc.nat(2), sctsOffsetS: offsetS }) },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("clock" as const),
          offsetS,
          quality: fc.constantFrom("synced" as const, "network" as const, "unsynced" as const),
        }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("help" as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const gateway = new FakeGateway();
        const ref = { ms: T, quality: "synced" as "synced" | "network" | "unsynced" };
        let w = await world({ gateway, ref });
        const texts = Array.from({ length: 3 }, (_, i) => sign(i % 2 ? "status" : "modem-reset", T + (i - 1) * 120_000));
        const runs = new Map<string, number>();
        const textOf = new Map<string, string>();
        const count = () => {
          for (const e of w.events.splice(0))
            if (e.type === "command-run") {
              const t = textOf.get(e.extra?.id as string); // unsigned help is not tracked
              if (t !== undefined) runs.set(t, (runs.get(t) ?? 0) + 1);
            }
        };
        for (const s of steps) {
          if (s.kind === "deliver") {
            const m = w.msg(texts[s.which]!, { timestamp: new Date(T + s.sctsOffsetS * 1000).toISOString() });
            textOf.set(m.id, m.text!);
            await w.deliver(m);
          } else if (s.kind === "clock") {
            ref.ms = T + s.offsetS * 1000;
            ref.quality = s.quality;
          } else if (s.kind === "help") await w.deliver(w.msg("help"));
          else {
            count();
            w = await world({ dir: w.dir, gateway, ref });
            await w.p.resume();
          }
          count();
        }
        for (const [t, n] of runs) expect(n, t).toBe(1);
      }),
      { numRuns: 300, seed: 20261130 },
    );
  }, 60_000);
});
