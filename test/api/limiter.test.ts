import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../../src/api/index.js";
import { ManualClock } from "../../src/core/index.js";

describe("the account's concurrency limit", () => {
  it("lets `max` through, the next when one is released, in order", async () => {
    const l = new ConcurrencyLimiter(2);
    const got: number[] = [];
    const releases = await Promise.all([l.acquire(), l.acquire()]);
    const later = [3, 4].map((n) => l.acquire().then((r) => (got.push(n), r)));
    await Promise.resolve();
    expect(got).toEqual([]);
    releases[0]();
    releases[0](); // a second release of the same place changes nothing
    const r3 = await later[0]!;
    expect(got).toEqual([3]);
    expect(l.inFlight).toBe(2);
    r3();
    releases[1]();
    (await later[1]!)();
    expect(l.inFlight).toBe(0);
    expect(l.peak).toBe(2);
  });

  it("after a 429 nothing goes out before the pause ends, whoever asks", async () => {
    const clock = new ManualClock(0);
    const l = new ConcurrencyLimiter(5, clock);
    l.pause(1000);
    let out = false;
    const p = l.acquire().then((r) => ((out = true), r));
    clock.advance(999);
    await Promise.resolve();
    expect(out).toBe(false);
    clock.advance(1);
    (await p)();
    expect(out).toBe(true);
  });

  it("what others use of the account leaves less, never less than one", () => {
    const l = new ConcurrencyLimiter(10);
    l.observe(7);
    expect(l.limit).toBe(3);
    l.observe(50);
    expect(l.limit).toBe(1);
    l.observe(Number.NaN);
    expect(l.limit).toBe(1);
    l.observe(0);
    expect(l.limit).toBe(10);
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });

  it("each 429 takes a place from the window (from what was out); answers give them back one per window, after 30 s", async () => {
    const clock = new ManualClock(0);
    const l = new ConcurrencyLimiter(10, clock);
    const out = await Promise.all(Array.from({ length: 6 }, () => l.acquire()));
    out.pop()!(); // the refused one came back: 6 were out, so the account had room for 5
    l.throttled(1000);
    expect(l.limit).toBe(5);
    out.pop()!();
    l.throttled(1200); // another of the same burst
    expect(l.limit).toBe(4);
    for (const r of out) r();
    clock.advance(1200);
    for (let i = 0; i < 50; i++) l.answered();
    expect(l.limit).toBe(4); // not within 30 s of the 429
    clock.advance(30_000);
    for (let i = 0; i < 4; i++) l.answered();
    expect(l.limit).toBe(5);
    for (let i = 0; i < 5 + 6 + 7 + 8 + 9; i++) l.answered();
    expect(l.limit).toBe(10);
    for (let i = 0; i < 50; i++) l.answered();
    expect(l.limit).toBe(10);
  });
});
