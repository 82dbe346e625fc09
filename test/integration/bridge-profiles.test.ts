import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BROKER_KIND, subscriber } from "../helpers/broker.js";
import { fleetPair } from "../helpers/fleet.js";
import { waitFor } from "../helpers/pty-modem.js";

// Every shipped bridge profile (config/mosquitto/bridge*.conf): its topic lines as the fleet
// needs them, and the real mosquitto running it (TLS and credential lines aside) between a local
// and a "fleet" broker — what is forwarded arrives, what must stay local does not, and the client
// id the fleet sees is the one the profile says. test/integration/fleet-bridge.test.ts runs the
// generic profile with the daemon through outages.
const CONFIG = join(import.meta.dirname, "../../config/mosquitto");
const PROFILES: Array<[file: string, clientId: string]> = [
  ["bridge.conf", "cellgate-gw-0001"],
  ["bridge-aws-iot.conf", "gw-0001"], // the thing name is the gateway id
  ["bridge-emqx-hivemq.conf", "cellgate-gw-0001"],
  ["bridge-nonretained-status.conf", "gw-0001"],
];
const RETAINED = ["modem", "network", "sim", "health"];

const lines = (file: string) =>
  readFileSync(join(CONFIG, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));

describe.each(PROFILES)("config/mosquitto/%s", (file, clientId) => {
  it("names a direction and a QoS of 0 or 1 on every topic; keeps Home Assistant and requests local", () => {
    const topics = lines(file).filter((l) => l.startsWith("topic "));
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) expect(t).toMatch(/^topic cellgate\/gw-0001\/[a-z/]+ (out|in) [01]$/);
    expect(topics.filter((t) => / in /.test(t))).toEqual(["topic cellgate/gw-0001/commands/send in 1"]);
    expect(topics.join("\n")).not.toMatch(/homeassistant|request|response|#/);
    expect(lines(file)).toContain(`remote_clientid ${clientId}`);
    expect(lines(file)).toEqual(expect.arrayContaining(["cleansession false", "local_cleansession false"]));
  });

  it.runIf(BROKER_KIND === "mosquitto")(
    "runs in the real mosquitto: forwarded topics arrive, local ones do not",
    async () => {
      const id = "gw-0001";
      const pair = await fleetPair(id, { profile: file });
      const fleet = await subscriber(pair.fleet.url, ["#"]);
      const local = await subscriber(pair.local.url, [`cellgate/${id}/commands/send`]);
      try {
        // try_private false (AWS IoT, Event Grid: no bridge bit in CONNECT) connects as a plain client.
        const fleetLog = () => readFileSync(join(pair.fleet.dir, "fleet.log"), "utf8");
        await waitFor(
          () => new RegExp(`New (bridge|client) connected from 127\\.0\\.0\\.1:\\d+ as ${clientId} `).test(fleetLog()),
          30_000,
          "the bridge",
        );
        const pub = local.client;
        await pub.publishAsync("homeassistant/device/cellgate_gw-0001/config", "{}", { qos: 1, retain: true });
        await pub.publishAsync(`cellgate/${id}/request/status`, "{}", { qos: 1 });
        await pub.publishAsync(`cellgate/${id}/status`, '{"state":"online"}', {
          qos: 1,
          retain: file !== "bridge-nonretained-status.conf",
        });
        for (const t of RETAINED) await pub.publishAsync(`cellgate/${id}/${t}`, "{}", { qos: 1, retain: true });
        await pub.publishAsync(`cellgate/${id}/commands/received`, '{"text":"last"}', { qos: 1 });
        // One bridge connection carries them in order: once the last is upstream, the rest would be.
        await waitFor(
          () => fleet.got.some((m) => m.topic === `cellgate/${id}/commands/received`),
          30_000,
          "commands/received upstream",
        );
        const up = new Set(fleet.got.map((m) => m.topic));
        expect(up.has(`cellgate/${id}/status`)).toBe(true);
        expect([...up].filter((t) => t.startsWith("homeassistant/") || t.includes("/request/"))).toEqual([]);
        // The non-retained variant forwards nothing retained: the snapshots stay on the local broker.
        const snapshots = RETAINED.filter((t) => up.has(`cellgate/${id}/${t}`));
        expect(snapshots).toEqual(file === "bridge-nonretained-status.conf" ? [] : RETAINED);
        if (file === "bridge-nonretained-status.conf") expect(fleet.got.filter((m) => m.retain)).toEqual([]);
        // The fleet may ask the gateway for an MO Command.
        await fleet.client.publishAsync(`cellgate/${id}/commands/send`, '{"text":"ping"}', { qos: 1 });
        await waitFor(() => local.on(`cellgate/${id}/commands/send`).length === 1, 30_000, "commands/send down");
      } finally {
        await fleet.close();
        await local.close();
        await pair.close();
      }
    },
    90_000,
  );
});
