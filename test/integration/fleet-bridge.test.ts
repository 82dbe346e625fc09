import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKER_KIND, subscriber, type Received } from "../helpers/broker.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { fleetPair, type FleetPair } from "../helpers/fleet.js";
import { waitFor } from "../helpers/pty-modem.js";

// The fleet broker: two real mosquitto brokers, the gateway's local one with the shipped
// persistence settings and the shipped bridge profile (config/mosquitto/bridge.conf, TLS lines
// aside), a "fleet" one behind a loopback proxy that stands for the WAN (cut, restored), and the
// real daemon. Nothing acknowledged locally may be lost across a fleet restart, a WAN cut or a
// power cut of the local broker.
const ID = "fleet-gw";
const PREFIX = `cellgate/${ID}`;
// mosquitto keeps a bridge keepalive of at least 5 s: a silent cut is noticed after 1.5 × that.
const KEEPALIVE_S = 5;

let pair: FleetPair;
let w: E2eWorld;
let fleetApp: Awaited<ReturnType<typeof subscriber>>;
let localApp: Awaited<ReturnType<typeof subscriber>>;
let sms = 0;

/** An SMS from a phone; its text is unique, so each can be followed across both brokers. */
function sendSms(): string {
  const text = `reading ${++sms}`;
  w.modem.sim.sendFromNetwork({ from: "+15550001111", text });
  return text;
}
const texts = (s: { got: Received[] }) => s.got.filter((m) => m.topic === `${PREFIX}/commands/received`).map((m) => m.json.text);
/** The bridge's own link state, retained on the local broker by mosquitto (notification_topic). */
const bridgeState = () => localApp.got.filter((m) => m.topic === `${PREFIX}/bridge`).at(-1)?.payload;

beforeAll(async () => {
  if (BROKER_KIND !== "mosquitto") return;
  pair = await fleetPair(ID, { keepaliveS: KEEPALIVE_S });
  // The fleet's consumer: a persistent session, so what the bridge delivers while it is away waits for it.
  fleetApp = await subscriber(pair.fleet.url, [`${PREFIX}/#`, "homeassistant/#"], { persistent: "fleet-consumer" });
  w = await e2eWorld({
    id: ID,
    key: "f".repeat(32),
    broker: pair.local,
    mqtt: ["telemetryS: 2"],
    yaml: () => ["homeassistant:\n  enabled: true"],
  });
  localApp = await subscriber(pair.local.url, [`${PREFIX}/commands/received`, `${PREFIX}/bridge`, "homeassistant/#"], {
    persistent: "local-consumer",
  });
  w.start();
  await waitFor(
    () => fleetApp.got.some((m) => m.topic === `${PREFIX}/events` && m.json.type === "started"),
    30_000,
    "started, upstream",
  );
}, 60_000);

afterAll(async () => {
  await fleetApp?.close();
  await localApp?.close();
  await w?.close();
  await pair?.close();
});

describe.runIf(BROKER_KIND === "mosquitto")("the fleet bridge (config/mosquitto/bridge.conf)", () => {
  it("retained state, telemetry and Commands arrive upstream; Home Assistant's discovery does not", async () => {
    const text = sendSms();
    await waitFor(() => texts(fleetApp).includes(text), 20_000, "the SMS upstream");
    await waitFor(() => fleetApp.got.some((m) => m.topic === `${PREFIX}/telemetry`), 20_000, "telemetry upstream");
    const fresh = await subscriber(
      pair.fleet.url,
      ["status", "modem", "network", "sim", "health"].map((t) => `${PREFIX}/${t}`),
    );
    await waitFor(
      () => new Set(fresh.got.filter((m) => m.retain).map((m) => m.topic)).size === 5,
      20_000,
      "five retained snapshots upstream",
    );
    await fresh.close();
    expect(fresh.got.find((m) => m.topic === `${PREFIX}/status`)?.json.state).toBe("online");
    expect(fresh.got.find((m) => m.topic === `${PREFIX}/modem`)?.json.model).toBe("EC25");
    // Home Assistant's discovery is on the local broker and nowhere else.
    await waitFor(() => localApp.got.some((m) => m.topic.startsWith("homeassistant/")), 20_000, "the discovery, locally");
    expect(fleetApp.got.filter((m) => m.topic.startsWith("homeassistant/"))).toEqual([]);
  });

  it("the gateway id and the client id agree: the fleet sees cellgate-<id>, which publishes cellgate/<id>/…", async () => {
    await waitFor(
      () => fleetApp.got.some((m) => m.topic === `${PREFIX}/bridge` && m.payload === "1"),
      10_000,
      "the bridge's state upstream",
    );
    const log = readFileSync(join(pair.fleet.dir, "fleet.log"), "utf8");
    expect(log).toMatch(new RegExp(`New bridge connected from 127\\.0\\.0\\.1:\\d+ as cellgate-${ID} `));
  });

  it("a fleet broker restart loses nothing acknowledged locally", async () => {
    await pair.fleet.stop();
    const sent = [sendSms(), sendSms(), sendSms()];
    await waitFor(() => sent.every((t) => texts(localApp).includes(t)), 20_000, "the SMS acknowledged by the local broker");
    await pair.fleet.start();
    await waitFor(() => sent.every((t) => texts(fleetApp).includes(t)), 30_000, "every SMS upstream after the restart");
  }, 60_000);

  it("a WAN cut of a minute (the radio silent, then back) loses nothing acknowledged locally", async () => {
    // mosquitto publishes no local notification when its keepalive gives up: its log shows the reconnects.
    const connects = () =>
      readFileSync(join(pair.local.dir, "local.log"), "utf8").split(`Bridge cellgate-${ID} sending CONNECT`).length;
    const connectsAtCut = connects();
    const cutAt = Date.now();
    pair.proxy.cut("blackhole");
    const sent = [sendSms(), sendSms()];
    await waitFor(() => sent.every((t) => texts(localApp).includes(t)), 20_000, "the SMS acknowledged by the local broker");
    // The fleet notices the silence by the bridge's keepalive (1.5 × keepalive_interval) and drops
    // its connection, keeping its session (cleansession false); the gateway's bridge notices by
    // its own keepalive and keeps trying to reconnect through the silent link.
    const fleetLog = () => readFileSync(join(pair.fleet.dir, "fleet.log"), "utf8");
    await waitFor(() => fleetLog().includes(`Client cellgate-${ID} has exceeded timeout`), 30_000, "the fleet to notice the cut");
    await waitFor(() => connects() > connectsAtCut, 30_000, "the gateway's bridge to notice the cut and reconnect");
    sent.push(sendSms()); // received while both ends know the link is down
    await waitFor(() => texts(localApp).includes(sent[2]!), 20_000, "the third SMS acknowledged by the local broker");
    // The scenario is a minute without radio, however early both ends noticed: the bridge's
    // reconnect attempts and their back-off (restart_timeout) run through it.
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + 60_000 - Date.now())));
    pair.proxy.restore();
    await waitFor(() => sent.every((t) => texts(fleetApp).includes(t)), 30_000, "every SMS upstream after the cut");
  }, 180_000);

  it("a power cut of the local broker while the WAN is down loses nothing it acknowledged (autosave_on_changes)", async () => {
    pair.proxy.cut("refuse");
    await waitFor(() => bridgeState() === "0", 30_000, "the bridge down");
    const sent = [sendSms(), sendSms()];
    await waitFor(() => sent.every((t) => texts(localApp).includes(t)), 20_000, "the SMS acknowledged by the local broker");
    // mosquitto acknowledges a message before it writes its database (docs/fleet-bridge.md): what
    // autosave_on_changes guarantees is a write right after each change, in the same pass of its
    // loop. The cut comes once that write is done — a later line in its log (it is single-threaded)
    // — where the default autosave_interval (1800 s) would still hold everything in memory.
    const log = () => readFileSync(join(pair.local.dir, "local.log"), "utf8").split("\n");
    await waitFor(
      () => {
        const lines = log();
        const last = lines.findLastIndex((l) => l.includes("Received PUBLISH from cellgate-") && l.includes("commands/received"));
        const saved = lines.findIndex((l, i) => i > last && l.includes("Saving in-memory database"));
        return last >= 0 && saved > 0 && lines.slice(saved + 1).some((l) => l.trim() !== "" && !l.includes("Saving"));
      },
      20_000,
      "the local broker's database written after the last message",
    );
    await pair.local.crash(); // SIGKILL: only what mosquitto wrote to its database survives
    await pair.local.start();
    pair.proxy.restore();
    await waitFor(() => sent.every((t) => texts(fleetApp).includes(t)), 40_000, "every SMS upstream after the power cut");
  }, 90_000);
});
