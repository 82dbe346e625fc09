import { describe, expect, it } from "vitest";
import type { Admission, CommandProcessor } from "../../src/commands/index.js";
import { configSchema } from "../../src/config/index.js";
import { ManualClock } from "../../src/core/index.js";
import { commandConsumer } from "../../src/daemon/index.js";
import type { MqttLink, Stamp } from "../../src/mqtt/index.js";
import { TimeKeeper } from "../../src/runtime/index.js";
import type { InboundMessage } from "../../src/sms/index.js";

// One clock per payload: `received_at` of commands/received was the system clock while `ts` (and
// every event's ts) came from the modem's network time, so the events a Command caused appeared
// up to a second before it arrived.
describe("commands/received: ts and received_at on one clock", () => {
  it("received_at is on the clock `clock` names, and not after ts", async () => {
    const clock = new ManualClock(Date.parse("2026-11-27T10:00:00.900Z"));
    const time = new TimeKeeper({ clock });
    // The network's clock is whole seconds: 10:00:00 read at 10:00:00.900 (system), an offset of -0.9 s.
    time.setNetworkTime("2026-11-27T10:00:00Z");
    const published: Array<Record<string, unknown>> = [];
    const link = {
      publishQueued: (_topic: string, payload: Record<string, unknown>) => {
        published.push({ ...payload, ...time.stamp() }); // what MqttLink adds: its stamp, from the same TimeKeeper
        return Promise.resolve("acked" as const);
      },
    } as unknown as MqttLink;
    const processor = {
      admit: (msg: InboundMessage): Promise<Admission> =>
        Promise.resolve({ msg, auth: "none", decision: null, clock: "network" }),
      dispatch: () => Promise.resolve(),
    } as unknown as CommandProcessor;
    const consume = commandConsumer(processor, { config: () => configSchema.parse({}), link, time });
    const receivedAt = new Date(clock.now()).toISOString(); // what the inbox records: the system clock
    clock.advance(200); // the hand-off a little later
    await consume({
      id: "m1",
      kind: "command",
      sender: "2936",
      smsc: null,
      timestamp: null,
      receivedAt,
      text: "setpoint 21",
      pdus: [],
    });
    const p = published[0] as unknown as Stamp & { received_at: string };
    expect(p.clock).toBe("network");
    expect(p.received_at).toBe("2026-11-27T10:00:00.000Z"); // 10:00:00.900 system, on the network's clock
    expect(p.ts).toBe("2026-11-27T10:00:00.200Z");
    expect(Date.parse(p.ts)).toBeGreaterThanOrEqual(Date.parse(p.received_at));
  });
});

describe("TimeKeeper: network time from whole-second readings", () => {
  it("never steps payload times back from poll to poll; a real change of the clock starts over", () => {
    const clock = new ManualClock(Date.parse("2026-11-27T10:00:00.000Z"));
    const time = new TimeKeeper({ clock });
    let last = 0;
    // The modem's clock is 5.5 s behind the system's; +CCLK truncates to the second.
    const stampNow = (what: string) => {
      const t = Date.parse(time.stamp().ts);
      expect(t, what).toBeGreaterThanOrEqual(last);
      last = t;
    };
    for (let i = 0; i < 20; i++) {
      clock.advance(1_337);
      if (i > 0) stampNow(`an event before poll ${i}`); // (before the first reading, times are the system clock's)
      time.setNetworkTime(new Date(Math.floor((clock.now() - 5_500) / 1000) * 1000).toISOString());
      stampNow(`an event after poll ${i}`);
    }
    // Converged to within a reading's resolution of the true offset.
    expect(Math.abs(Date.parse(time.stamp().ts) - (clock.now() - 5_500))).toBeLessThan(1000);
    // The system clock set an hour ahead (NTP stepped it): the next reading is a real change.
    time.setNetworkTime(new Date(clock.now() - 3_600_000).toISOString());
    expect(Date.parse(time.stamp().ts)).toBe(clock.now() - 3_600_000);
  });

  it("stamp(at) puts an earlier system time on the same clock as now", () => {
    const clock = new ManualClock(Date.parse("2026-11-27T10:00:00.000Z"));
    const time = new TimeKeeper({ clock });
    expect(time.stamp(clock.now() - 1000)).toEqual({ ts: "2026-11-27T09:59:59.000Z", clock: "unsynced" });
    time.setNetworkTime("2026-11-27T09:00:00Z");
    expect(time.stamp(clock.now() - 1000)).toEqual({ ts: "2026-11-27T08:59:59.000Z", clock: "network" });
  });
});
