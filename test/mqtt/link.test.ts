import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { MqttLink, Outbox, type Stamp } from "../../src/mqtt/index.js";
import { startBroker, subscriber, type TestBroker } from "../helpers/broker.js";
import { waitFor } from "../helpers/pty-modem.js";

// MqttLink against a real broker on loopback (mosquitto where installed).
let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(() => broker.close());

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await broker.start().catch(() => {}); // a test that stopped the broker leaves it running again
});

let n = 0;
const stamp = (): Stamp => ({ ts: new Date().toISOString(), clock: "synced" });

async function link(
  o: {
    prefix?: string;
    outbox?: Partial<{ maxMessages: number; maxBytes: number; maxAgeMs: number }>;
    stamp?: (at?: number) => Stamp;
    clock?: ManualClock;
  } = {},
) {
  const prefix = o.prefix ?? `test/gw${++n}`;
  const dir = mkdtempSync(join(tmpdir(), "cellgate-link-"));
  const outbox = await Outbox.open(dir, { maxMessages: 1000, maxBytes: 1_000_000, maxAgeMs: 3_600_000, ...o.outbox });
  const l = new MqttLink({
    ...(process.env.DEBUG_LINK ? { log: (await import("../../src/core/index.js")).createLogger({ fd: 2, level: "debug" }) } : {}),
    url: broker.url,
    clientId: `cellgate-${prefix.replace(/\//g, "-")}`,
    prefix,
    outbox,
    version: "0.1.0-test",
    stamp: o.stamp ?? stamp,
    ...(o.clock ? { clock: o.clock } : {}),
    keepaliveS: 5,
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
    ackTimeoutMs: 2000,
  });
  cleanups.push(async () => {
    await l.stop("test over", 500).catch(() => {});
    await outbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { link: l, outbox, prefix };
}

describe("MqttLink", () => {
  it("status: `since` is on the clock of the payload's `ts`, whichever clock that is when it is sent", async () => {
    // Started on the unverified system clock; the modem's network time (an hour behind) arrives before the broker answers.
    let offsetMs = 0;
    const shifted = (at = Date.now()): Stamp => ({
      ts: new Date(at + offsetMs).toISOString(),
      clock: offsetMs === 0 ? "unsynced" : "network",
    });
    const { link: l, prefix } = await link({ stamp: shifted });
    offsetMs = -3_600_000;
    await l.start();
    const sub = await subscriber(broker.url, [`${prefix}/status`]);
    cleanups.push(() => sub.close());
    await waitFor(() => sub.on(`${prefix}/status`).length === 1, 3000, "retained status");
    const s = sub.got[0]!.json as { ts: string; since: string; clock: string };
    expect(s.clock).toBe("network");
    expect(Date.parse(s.since)).toBeLessThanOrEqual(Date.parse(s.ts));
    expect(Date.parse(s.ts) - Date.parse(s.since)).toBeLessThan(60_000); // not an hour apart
  });

  it("publishes retained online on connect; a fresh subscriber reads it; stop leaves offline retained", async () => {
    const { link: l, prefix } = await link();
    await l.start();
    const sub = await subscriber(broker.url, [`${prefix}/status`]);
    cleanups.push(() => sub.close());
    await waitFor(() => sub.on(`${prefix}/status`).length === 1, 3000, "retained status");
    expect(sub.got[0]).toMatchObject({ retain: true, qos: 1, json: { state: "online", version: "0.1.0-test", clock: "synced" } });
    expect(typeof sub.got[0]!.json.ts).toBe("string");
    await l.stop("maintenance");
    await waitFor(() => sub.got.length === 2, 3000, "offline");
    expect(sub.got[1]!.json).toMatchObject({ state: "offline", reason: "maintenance" });
    const late = await subscriber(broker.url, [`${prefix}/status`]);
    cleanups.push(() => late.close());
    await waitFor(() => late.got.length === 1, 3000, "retained offline");
    expect(late.got[0]).toMatchObject({ retain: true, json: { state: "offline" } });
  });

  it("stop ends even while a QoS 1 message waits for a PUBACK that never comes (a frozen broker)", async () => {
    // MQTT.js's graceful end waits, with no bound, until nothing is in flight: a daemon stopped then would never exit.
    if (broker.freeze === undefined) return; // aedes runs in this process: it cannot be frozen apart from the test
    const { link: l, prefix } = await link();
    await l.start();
    broker.freeze();
    cleanups.push(() => broker.thaw?.());
    const acked = l.publishRaw(`${prefix}/probe`, "waits", { retain: false });
    await l.stop("frozen broker", 200);
    expect(await acked).toBe(false);
  }, 30_000);

  it("heartbeat(): status is published again, with a fresh ts, each time", async () => {
    const { link: l, prefix } = await link({ stamp: (at = Date.now()) => ({ ts: new Date(at).toISOString(), clock: "synced" }) });
    await l.start();
    const sub = await subscriber(broker.url, [`${prefix}/status`]);
    cleanups.push(() => sub.close());
    await waitFor(() => sub.on(`${prefix}/status`).length === 1, 3000, "retained status");
    l.heartbeat();
    await waitFor(() => sub.on(`${prefix}/status`).length === 2, 3000, "the first heartbeat");
    l.heartbeat();
    await waitFor(() => sub.on(`${prefix}/status`).length === 3, 3000, "the second heartbeat");
    const [first, , third] = sub.on(`${prefix}/status`);
    expect(third!.json).toMatchObject({ state: "online", since: first!.json.since });
    expect(Date.parse(third!.json.ts as string)).toBeGreaterThanOrEqual(Date.parse(first!.json.ts as string));
  });

  it("its QoS 1 publishes leave mqtt-packet's message-id cache unbuilt (65,536 Buffers, 6.6 MB of heap)", async () => {
    const numbers = createRequire(createRequire(import.meta.url).resolve("mqtt"))("mqtt-packet/numbers.js") as { cache: object };
    const { link: l, prefix } = await link();
    await l.start(); // the retained `online` goes out at QoS 1, with a message id
    const sub = await subscriber(broker.url, [`${prefix}/status`]);
    cleanups.push(() => sub.close());
    await waitFor(() => sub.on(`${prefix}/status`).length === 1, 3000, "retained status");
    expect(Object.keys(numbers.cache)).toHaveLength(0);
  });

  it("after the broker restarts, the link reconnects and republishes online and every snapshot", async () => {
    const { link: l, prefix } = await link();
    await l.start();
    l.publishRetained("health", { verdict: "ok", checks: [], at: new Date().toISOString() });
    const sub = await subscriber(broker.url, [`${prefix}/status`, `${prefix}/health`], {
      persistent: `sub-${prefix.replace(/\//g, "-")}`,
    });
    cleanups.push(() => sub.close());
    await waitFor(() => sub.got.length === 2, 3000, "status and health");
    await broker.stop();
    await broker.start();
    await waitFor(
      () => sub.on(`${prefix}/status`).length >= 2 && sub.on(`${prefix}/health`).length >= 2,
      10_000,
      "republished after reconnect",
    );
    expect(l.state.reconnects).toBe(1);
  });

  it("retained snapshots are published only when they change", async () => {
    const { link: l, prefix } = await link();
    await l.start();
    const sub = await subscriber(broker.url, [`${prefix}/network`]);
    cleanups.push(() => sub.close());
    const net = {
      registration: null,
      operator: { name: "T-Mobile", mcc: "310", mnc: "260" },
      accessTech: "lte",
      cell: null,
      signal: null,
      attached: true,
      apn: "wireless.twilio.com",
      ip: null,
      rat: "lte",
    };
    expect(l.publishRetained("network", net)).toBe(true);
    expect(l.publishRetained("network", { ...net })).toBe(false);
    expect(l.publishRetained("network", { ...net, attached: false })).toBe(true);
    await waitFor(() => sub.got.length === 2, 3000, "two network snapshots");
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.got.map((m) => m.json.attached)).toEqual([true, false]);
  });

  it("a QoS 1 message published while the broker is down waits in the outbox and arrives once after it returns", async () => {
    const { link: l, outbox, prefix } = await link();
    await l.start();
    const sub = await subscriber(broker.url, [`${prefix}/commands/received`], {
      persistent: `sub-${prefix.replace(/\//g, "-")}`,
    });
    cleanups.push(() => sub.close());
    await broker.stop();
    await waitFor(() => !l.state.connected, 5000, "the link to notice");
    const r = await l.publishQueued("commands/received", {
      id: "m1",
      sid: null,
      kind: "command",
      sender: "2936",
      mode: "text",
      text: "status",
      received_at: new Date().toISOString(),
      sent_at: null,
      auth: "none",
    });
    expect(r).toBe("queued");
    expect(outbox.size).toBe(1);
    await broker.start();
    await waitFor(
      () => sub.on(`${prefix}/commands/received`).length === 1 && outbox.size === 0,
      10_000,
      "the backlog to be delivered",
    );
    await new Promise((res) => setTimeout(res, 300));
    expect(sub.on(`${prefix}/commands/received`).map((m) => m.json.id)).toEqual(["m1"]);
  });

  it(
    "commands/send: {text} reaches the handler and the result lands on commands/sent; bad payloads are refused with the " +
      "reason",
    async () => {
      const { link: l, prefix } = await link();
      const asked: unknown[] = [];
      l.onCommandSend((req) => {
        asked.push(req);
        if (req.text === "boom") return Promise.reject(new Error("modem said no"));
        return Promise.resolve({ mr: 7, to: "2936", mode: "text" as const });
      });
      await l.start();
      const sub = await subscriber(broker.url, [`${prefix}/commands/sent`]);
      cleanups.push(() => sub.close());
      const pub = await subscriber(broker.url, []);
      cleanups.push(() => pub.close());
      await new Promise((r) => setTimeout(r, 100));
      for (const p of [
        { text: "hello", transaction: "t1" },
        { text: "boom", transaction: "t2" },
        { foo: 1, transaction: "t3" },
      ])
        await pub.client.publishAsync(`${prefix}/commands/send`, JSON.stringify(p), { qos: 1 });
      await pub.client.publishAsync(`${prefix}/commands/send`, "not json", { qos: 1 });
      await waitFor(() => sub.got.length === 4, 5000, "four results");
      const byTx = Object.fromEntries(sub.got.map((m) => [String(m.json.transaction), m.json]));
      expect(byTx.t1).toMatchObject({ status: "ok", data: { mr: 7, to: "2936", mode: "text" } });
      expect(byTx.t2).toMatchObject({ status: "error", error: { message: "modem said no" } });
      expect(byTx.t3).toMatchObject({
        status: "error",
        error: { code: "CG_ERR_MQTT_PAYLOAD", message: expect.stringContaining("unknown field(s) foo") as string },
      });
      expect(byTx.null).toMatchObject({
        status: "error",
        error: { code: "CG_ERR_MQTT_PAYLOAD", message: expect.stringContaining("not JSON") as string },
      });
      expect(asked).toEqual([
        { text: "hello", transaction: "t1" },
        { text: "boom", transaction: "t2" },
      ]);
    },
  );

  it("start() rejects with the broker's address when nothing answers, and keeps trying", async () => {
    await broker.stop();
    const { link: l } = await link();
    await expect(l.start(800)).rejects.toThrow(/did not answer within 800 ms/);
    await broker.start();
    await waitFor(() => l.state.connected, 8000, "the link to connect once the broker is up");
  });

  it("while the broker is away the link waits out its own back-off: no attempt before the retry is due", async () => {
    await broker.stop();
    const clock = new ManualClock(1_000_000);
    const { link: l } = await link({ clock });
    void l.start(60_000).catch(() => {});
    // The refused first attempt leaves one retry timer beside start()'s own timeout.
    await waitFor(() => l.state.lastError !== null && clock.pending === 2, 8000, "the first attempt refused and a retry set");
    await broker.start();
    // MQTT.js retrying on its own period would connect in this window; the link must not until its
    // timer fires. (A window for a wrong retry: a slow machine can only hide the bug, not fail the test.)
    await new Promise((r) => setTimeout(r, 1500));
    expect(l.state.connected).toBe(false);
    clock.advance(400); // reconnectMaxMs: every back-off is at most this
    await waitFor(() => l.state.connected, 8000, "the link to connect once its retry is due");
  });
});
