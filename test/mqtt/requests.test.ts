import { z } from "zod";
import { describe, expect, it } from "vitest";
import { discoveryPayload, discoveryTopic, parseRequest, topicMatches, type RequestHandlers } from "../../src/mqtt/index.js";

const handlers: RequestHandlers = {
  status: { params: z.strictObject({}), run: () => Promise.resolve("s") },
  "sms/read": { params: z.strictObject({ index: z.number().int() }), run: () => Promise.resolve("r") },
  at: { off: "mqtt.requests.at: false" },
};

describe("parseRequest: a request's name and payload, validated", () => {
  it.each([
    ["an empty payload is no params", "status", "", false, { params: {}, transaction: null }],
    ["the transaction comes back", "status", '{"transaction":"t1"}', false, { params: {}, transaction: "t1" }],
    ["params are validated", "sms/read", '{"index":3,"transaction":"t2"}', false, { params: { index: 3 }, transaction: "t2" }],
  ])("%s", (_why, name, text, retained, want) => {
    expect(parseRequest(handlers, name, text, retained)).toMatchObject(want);
  });

  it.each([
    ["not JSON", "status", "{", false, "CG_ERR_MQTT_PAYLOAD", null, /not JSON/],
    ["not an object", "status", "[1]", false, "CG_ERR_MQTT_PAYLOAD", null, /JSON object/],
    ["a transaction that is not a string", "status", '{"transaction":5}', false, "CG_ERR_MQTT_PAYLOAD", null, /transaction/],
    ["retained", "status", '{"transaction":"t"}', true, "CG_ERR_MQTT_REFUSED", "t", /retained/],
    ["an unknown name, listing the known ones", "reboot", "{}", false, "CG_ERR_MQTT_PAYLOAD", null, /status, sms\/read, at/],
    ["a name turned off, naming the key", "at", '{"command":"AT"}', false, "CG_ERR_MQTT_REFUSED", null, /mqtt\.requests\.at/],
    ["a bad param, naming it", "sms/read", '{"index":"x"}', false, "CG_ERR_MQTT_PAYLOAD", null, /index/],
    ["an unknown param", "status", '{"force":true}', false, "CG_ERR_MQTT_PAYLOAD", null, /force/],
    ["a prototype key is no request", "__proto__", "{}", false, "CG_ERR_MQTT_PAYLOAD", null, /unknown request/],
  ])("refused: %s", (_why, name, text, retained, code, transaction, message) => {
    const r = parseRequest(handlers, name, text, retained);
    expect("error" in r && r.error.code).toBe(code);
    expect(r.transaction).toBe(transaction);
    expect("error" in r && r.error.message).toMatch(message);
  });
});

describe("topicMatches", () => {
  it.each([
    ["cellgate/gw/request/#", "cellgate/gw/request/sms/list", true],
    ["cellgate/gw/request/#", "cellgate/gw/requests", false],
    ["homeassistant/status", "homeassistant/status", true],
    ["cellgate/+/commands/send", "cellgate/gw/commands/send", true],
    ["cellgate/+/commands/send", "cellgate/gw/commands/send/x", false],
  ])("%s ~ %s: %s", (filter, topic, want) => expect(topicMatches(filter, topic)).toBe(want));
});

describe("Home Assistant discovery payload", () => {
  const d = discoveryPayload({ prefix: "cellgate/gw.1", gatewayId: "gw.1", version: "0.1.0", modem: null });
  it("one device topic; ids from the gateway id only, safe for Home Assistant", () => {
    expect(discoveryTopic("homeassistant", "gw.1")).toBe("homeassistant/device/cellgate_gw_1/config");
    const cmps = d.cmps as Record<string, { unique_id: string }>;
    for (const [k, c] of Object.entries(cmps)) expect(c.unique_id).toBe(`cellgate_gw_1_${k}`);
    expect(d.dev).toEqual({ ids: ["cellgate_gw_1"], name: "cellgate gw.1", sw: "0.1.0" });
  });
  it("every entity names its platform; state entities a state topic under the prefix, the button a request topic", () => {
    for (const c of Object.values(d.cmps as Record<string, Record<string, string>>)) {
      expect(c.p).toMatch(/^(sensor|binary_sensor|event|button)$/);
      if (c.p === "button") expect(c.command_topic).toBe("cellgate/gw.1/request/modem/reset");
      else expect(c.state_topic).toMatch(/^cellgate\/gw\.1\/(network|sim|health|commands\/received)$/);
    }
  });
});
