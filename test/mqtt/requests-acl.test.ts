import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttLink, Outbox, requestListener } from "../../src/mqtt/index.js";
import { silentLogger } from "../../src/core/index.js";
import { BROKER_KIND, startBroker, subscriber, type TestBroker } from "../helpers/broker.js";
import { waitFor } from "../helpers/pty-modem.js";

// Requests act on the gateway (sms/delete, modem/reset, at): on the broker as shipped
// (config/mosquitto), only the application user may ask anything, Home Assistant only for the
// modem reset its button publishes, viewers nothing; cellgate answers only under response/.
const USERS = { cellgate: "pw-cellgate", app: "pw-app", viewer: "pw-viewer", homeassistant: "pw-ha" };
const PREFIX = "cellgate/gw-acl";
let broker: TestBroker;
let dir: string;
let link: MqttLink;
const ran: string[] = [];

beforeAll(async () => {
  if (BROKER_KIND !== "mosquitto") return;
  broker = await startBroker({ shipped: { users: USERS } });
  dir = mkdtempSync(join(tmpdir(), "cellgate-acl-"));
  const outbox = await Outbox.open(join(dir, "outbox"), { maxMessages: 100, maxBytes: 1_000_000, maxAgeMs: 3_600_000 });
  link = new MqttLink({
    url: broker.url,
    clientId: "cellgate-acl",
    prefix: PREFIX,
    username: "cellgate",
    password: USERS.cellgate,
    outbox,
    version: "0.1.0-test",
    stamp: () => ({ ts: new Date().toISOString(), clock: "synced" }),
  });
  const spec = (name: string) => ({ params: z.strictObject({}), run: () => (ran.push(name), Promise.resolve({ name })) });
  link.subscribe(
    `${PREFIX}/request/#`,
    requestListener({
      prefix: PREFIX,
      handlers: { status: spec("status"), "modem/reset": spec("modem/reset"), "sms/delete": spec("sms/delete") },
      publish: (topic, payload) => link.publishRaw(topic, payload, { retain: false }),
      log: silentLogger,
    }),
  );
  await link.start();
});

afterAll(async () => {
  await link?.stop();
  await broker?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(BROKER_KIND === "mosquitto")("requests on the broker as shipped", () => {
  it("app asks anything; Home Assistant only the modem reset; a viewer nothing; answers reach the asker", async () => {
    const as = async (user: keyof typeof USERS) => {
      const s = await subscriber(broker.url, [`${PREFIX}/response/#`], { username: user, password: USERS[user] });
      return s;
    };
    const viewer = await as("viewer");
    const ha = await as("homeassistant");
    const app = await as("app");
    // Each publish is awaited (its PUBACK, which mosquitto sends for a denied one too) before
    // the next: the broker has handled each one before the next, so what reached cellgate
    // arrived in this order, and the app's answer comes after anything that got through.
    await viewer.client.publishAsync(`${PREFIX}/request/sms/delete`, "{}", { qos: 1 });
    await ha.client.publishAsync(`${PREFIX}/request/sms/delete`, "{}", { qos: 1 });
    await ha.client.publishAsync(`${PREFIX}/request/modem/reset`, '{"transaction":"homeassistant"}', { qos: 1 });
    await waitFor(() => ran.includes("modem/reset"), 10_000, "Home Assistant's modem reset");
    await app.client.publishAsync(`${PREFIX}/request/sms/delete`, '{"transaction":"app"}', { qos: 1 });
    await waitFor(() => app.got.some((m) => m.json.transaction === "app"), 10_000, "the app's answer");
    expect(ran).toEqual(["modem/reset", "sms/delete"]);
    expect(app.got.find((m) => m.json.transaction === "app")?.json).toMatchObject({ status: "ok", data: { name: "sms/delete" } });
    expect(ha.got.find((m) => m.json.transaction === "homeassistant")?.json).toMatchObject({ status: "ok" });
    for (const s of [viewer, ha, app]) await s.close();
  });

  it("cellgate may publish Home Assistant's discovery; Home Assistant reads it", async () => {
    const ha = await subscriber(broker.url, ["homeassistant/device/#"], {
      username: "homeassistant",
      password: USERS.homeassistant,
    });
    expect(await link.publishRaw("homeassistant/device/cellgate_gw-acl/config", '{"dev":{}}', { retain: false })).toBe(true);
    await waitFor(() => ha.got.length === 1, 5000, "the discovery message");
    await ha.close();
  });
});
