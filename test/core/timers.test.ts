import { describe, expect, it } from "vitest";
import { ManualClock, Timers, within } from "../../src/core/index.js";
import { flush } from "../helpers/drive.js";

describe("Timers", () => {
  it("runs a task every interval, never two at once, the interval read at each scheduling; stop cancels all", async () => {
    const clock = new ManualClock(0);
    const timers = new Timers(clock);
    let interval = 100;
    const runs: number[] = [];
    let release: () => void = () => {};
    timers.every(
      () => interval,
      () => {
        runs.push(clock.now());
        return new Promise<void>((r) => (release = r));
      },
    );
    clock.advance(100);
    await flush();
    expect(runs).toEqual([100]);
    clock.advance(500); // the first run has not ended: no second one
    await flush();
    expect(runs).toEqual([100]);
    interval = 50;
    release();
    await flush();
    clock.advance(50);
    await flush();
    expect(runs).toEqual([100, 650]);
    timers.stop();
    release();
    await flush();
    clock.advance(1000);
    await flush();
    expect(runs).toEqual([100, 650]);
    expect(clock.pending).toBe(0);
  });

  it("a failing task is reported and does not stop the next runs", async () => {
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const timers = new Timers(clock, (e) => errors.push(e));
    let n = 0;
    timers.every(10, () => {
      n++;
      throw new Error("boom");
    });
    for (let i = 0; i < 3; i++) {
      clock.advance(10);
      await flush();
    }
    expect(n).toBe(3);
    expect(errors).toHaveLength(3);
    timers.stop();
  });

  it("within gives up waiting after its time, without a stray timer", async () => {
    const clock = new ManualClock(0);
    let done = false;
    const w = within(new Promise(() => {}), 5000, clock).then(() => (done = true));
    clock.advance(5000);
    await w;
    expect(done).toBe(true);
    expect(clock.pending).toBe(0);
  });
});
