import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CommandSendRequest } from "../../src/mqtt/index.js";
import { MqttLink, Outbox, SendLedger, type SendBudget } from "../../src/mqtt/index.js";
import { BROKER_KIND, startBroker, subscriber, type TestBroker } from "../helpers/broker.js";
import { waitFor } from "../helpers/pty-modem.js";

// commands/send spends SMS, which cost money: on the broker as shipped (config/mosquitto: no
// anonymous clients, per-client passwords, the ACL), a real mosquitto, and cellgate's link.
const USERS = { cellgate: "pw-cellgate", app: "pw-app", viewer: "pw-viewer" };
const PREFIX = "cellgate/gw-send";
let broker: TestBroker;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  if (BROKER_KIND === "mosquitto") broker = await startBroker({ shipped: { users: USERS } });
});
afterAll(() => broker?.close());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** cellgate's link as the daemon builds it (user cellgate, a ledger in its state directory); `sent` records what reached the modem. */
async function gateway(budget: SendBudget = { perHour: 20, perDay: 100 }, dir = mkdtempSync(join(tmpdir(), "cellgate-send-"))) {
  const outbox = await Outbox.open(join(dir, "outbox"), { maxMessages: 100, maxBytes: 1_000_000, maxAgeMs: 3_600_000 });
  const link = new MqttLink({
    url: broker.url,
    clientId: `cellgate-send-${Math.random().toString(36).slice(2)}`,
    prefix: PREFIX,
    username: "cellgate",
    password: USERS.cellgate,
    outbox,
    sendLedger: await SendLedger.open(dir, budget),
    version: "0.1.0-test",
    stamp: () => ({ ts: new Date().toISOString(), clock: "synced" }),
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
  });
  const sent: CommandSendRequest[] = [];
  link.onCommandSend((req) => {
    sent.push(req);
    return Promise.resolve({ mr: sent.length, to: "2936", mode: "text" as const });
  });
  await link.start();
  const stop = async () => {
    await link.stop("test over", 500).catch(() => {});
    await outbox.close();
  };
  cleanups.push(stop, () => rmSync(dir, { recursive: true, force: true }));
  return { link, sent, dir, stop };
}

async function app() {
  const a = await subscriber(broker.url, [`${PREFIX}/commands/sent`], { username: "app", password: USERS.app });
  cleanups.push(() => a.close());
  const answers = () => a.on(`${PREFIX}/commands/sent`).map((m) => m.json);
  const send = (p: unknown, retain = false) =>
    a.client.publishAsync(`${PREFIX}/commands/send`, JSON.stringify(p), { qos: 1, retain });
  return { ...a, answers, send };
}

describe.runIf(BROKER_KIND === "mosquitto")("commands/send on the shipped broker", () => {
  it(
    "only the application user can ask for an SMS: anonymous clients are refused, viewers' and cellgate's own publishes " +
      "dropped",
    async () => {
      const g = await gateway();
      const a = await app();
      const viewer = await subscriber(broker.url, [], { username: "viewer", password: USERS.viewer });
      cleanups.push(() => viewer.close());
      const self = await subscriber(broker.url, [], { username: "cellgate", password: USERS.cellgate });
      cleanups.push(() => self.close());
      await viewer.client.publishAsync(`${PREFIX}/commands/send`, JSON.stringify({ text: "from a viewer", transaction: "v" }), {
        qos: 1,
      });
      await self.client.publishAsync(`${PREFIX}/commands/send`, JSON.stringify({ text: "from cellgate", transaction: "c" }), {
        qos: 1,
      });
      await a.send({ text: "from the app", transaction: "a" });
      await waitFor(() => a.answers().length === 1, 5000, "the app's answer");
      await new Promise((r) => setTimeout(r, 500)); // the others would have arrived by now
      expect(g.sent.map((r) => r.text)).toEqual(["from the app"]);
      expect(a.answers()).toMatchObject([{ status: "ok", transaction: "a", data: { to: "2936" } }]);
      await expect(subscriber(broker.url, [], { username: "app", password: "wrong" })).rejects.toThrow(
        /Not authorized|Bad user/i,
      );
    },
  );

  it("a retained request is answered with an error and never sent, also on every later subscribe", async () => {
    const a = await app();
    await a.send({ text: "retained by mistake", transaction: "r1" }, true);
    const first = await gateway();
    await waitFor(() => a.answers().length === 1, 5000, "the refusal");
    await first.stop();
    const second = await gateway();
    await waitFor(() => a.answers().length === 2, 5000, "the refusal after a restart");
    expect(a.answers()).toMatchObject([
      {
        status: "error",
        transaction: "r1",
        error: { code: "CG_ERR_MQTT_REFUSED", message: expect.stringMatching(/retained/) as string },
      },
      { status: "error", transaction: "r1", error: { code: "CG_ERR_MQTT_REFUSED" } },
    ]);
    expect([...first.sent, ...second.sent]).toEqual([]);
    await a.client.publishAsync(`${PREFIX}/commands/send`, "", { qos: 1, retain: true }); // clear it for the other tests
  });

  it("a transaction is sent once: repeats are answered, not sent, also after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-send-"));
    const g = await gateway(undefined, dir);
    const a = await app();
    for (let i = 0; i < 3; i++) await a.send({ text: "once", transaction: "tx-1" });
    await waitFor(() => a.answers().length === 3, 5000, "three answers");
    await g.stop();
    const again = await gateway(undefined, dir);
    await a.send({ text: "once", transaction: "tx-1" });
    await waitFor(() => a.answers().length === 4, 5000, "the answer after a restart");
    expect([...g.sent, ...again.sent].map((r) => r.transaction)).toEqual(["tx-1"]);
    expect(
      a
        .answers()
        .map((x) => x.status)
        .sort(),
    ).toEqual(["error", "error", "error", "ok"]);
    expect(a.answers().find((x) => x.status === "error")).toMatchObject({
      error: { code: "CG_ERR_MQTT_REFUSED", message: expect.stringMatching(/already sent/) as string },
    });
  });

  it("40 requests in a burst spend only the hourly budget; the rest are refused with CG_ERR_SMS_BUDGET, also after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-send-"));
    const g = await gateway({ perHour: 5, perDay: 8 }, dir);
    const a = await app();
    await Promise.all(Array.from({ length: 40 }, (_, i) => a.send({ text: `burst ${i}`, transaction: `b${i}` })));
    await waitFor(() => a.answers().length === 40, 10_000, "forty answers");
    expect(g.sent).toHaveLength(5);
    expect(a.answers().filter((x) => x.status === "ok")).toHaveLength(5);
    expect(a.answers().filter((x) => (x.error as { code?: string } | undefined)?.code === "CG_ERR_SMS_BUDGET")).toHaveLength(35);
    await g.stop();
    const again = await gateway({ perHour: 5, perDay: 8 }, dir);
    await a.send({ text: "after the restart", transaction: "late" });
    await waitFor(() => a.answers().length === 41, 5000, "the answer after a restart");
    expect(again.sent).toEqual([]);
    expect(a.answers().at(-1)).toMatchObject({ status: "error", error: { code: "CG_ERR_SMS_BUDGET" } });
  });
});
