import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeSubmit } from "../../src/sms/pdu/index.js";
import { buildMtPdus } from "../../src/sim/modem/index.js";
import { freePort, subscriber, type Received } from "../helpers/broker.js";
import { cleanEnv, exited, runCli } from "../helpers/daemon-proc.js";
import { e2eWorld, type E2eWorld } from "../helpers/e2e.js";
import { waitFor } from "../helpers/pty-modem.js";

// Where users already are: Home Assistant discovery, local request/response, Prometheus — with
// the real broker, the real daemon, and the real promtool and Prometheus where installed.
const ID = "int-gw";
const HA = "homeassistant";
const DISCOVERY = `${HA}/device/cellgate_${ID}/config`;
const HAS_PROMTOOL = spawnSync("promtool", ["--version"]).error === undefined;
const HAS_PROMETHEUS = spawnSync("prometheus", ["--version"]).error === undefined;

let w: E2eWorld;
let metricsPort: number;
let haEnabled = true;

beforeAll(async () => {
  metricsPort = await freePort();
  w = await e2eWorld({
    id: ID,
    key: "k".repeat(32),
    yaml: (dir) => [
      `homeassistant:\n  enabled: ${"${HA_ENABLED}"}`,
      `metrics:\n  listen: 127.0.0.1:${metricsPort}\n  textfile: ${join(dir, "cellgate.prom")}\n  textfileS: 5`,
    ],
  });
  setHa(true);
  // MQTT 5: cellgate sees a request's response topic and correlation data only on a v5 session.
  writeFileSync(w.config, readFileSync(w.config, "utf8").replace("keepaliveS: 5", "keepaliveS: 5\n  protocolVersion: 5"));
  w.start();
  await waitFor(() => w.events("started").length > 0, 30_000, "the daemon to start");
  if (!HAS_PROMTOOL)
    console.log("[skipped] promtool is not installed (Debian package prometheus): the exposition is not checked by it");
  if (!HAS_PROMETHEUS) console.log("[skipped] prometheus is not installed (Debian package prometheus): no real scrape");
}, 60_000);

afterAll(async () => {
  console.log(
    w.out.logs
      .split("\n")
      .filter((l) => /request|subscribe|handler/.test(l))
      .join("\n"),
  );
  await w?.close();
});

/** The config with homeassistant.enabled set (the yaml above leaves a placeholder). */
function setHa(on: boolean): void {
  haEnabled = on;
  const text = readFileSync(w.config, "utf8").replace(/enabled: (\$\{HA_ENABLED\}|true|false)/, `enabled: ${on}`);
  writeFileSync(w.config, text);
}

async function restart(): Promise<void> {
  const d = w.daemon()!;
  const before = w.events("started").length;
  d.kill("SIGTERM");
  await exited(d);
  w.start();
  await waitFor(() => w.events("started").length > before, 30_000, "the daemon to start again");
}

/** The retained message on each topic, as a fresh subscriber gets it (waits until all came, or the bound). */
async function retained(topics: string[], bound = 10_000): Promise<Record<string, Received>> {
  const s = await subscriber(w.broker.url, topics);
  await waitFor(
    () => topics.every((t) => s.got.some((m) => m.topic === t && m.retain)),
    bound,
    `retained ${topics.join(", ")}`,
  ).catch(() => {});
  await s.close();
  return Object.fromEntries(s.got.filter((m) => m.retain).map((m) => [m.topic, m]));
}

/** Waits for an asynchronous condition (a fetch, a fresh subscriber). */
async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every `value_json.a.b` path of a template. */
function templatePaths(template: string): string[][] {
  return [...template.matchAll(/value_json((?:\.[A-Za-z_]\w*)+)/g)].map((m) => m[1]!.slice(1).split("."));
}

function hasPath(json: unknown, path: string[]): boolean {
  let cur = json;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null || !(key in cur)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}

describe("Home Assistant discovery", () => {
  it("one retained device message: dev, o, availability on status, and every entity's state topic retained with its paths", async () => {
    // An SMS arrives so that the event entity's topic carries a message.
    const app = await subscriber(w.broker.url, [`${w.prefix}/commands/received`]);
    w.modem.sim.sendFromNetwork({ from: "+15551230000", text: "hello from a phone" });
    await waitFor(() => app.got.length > 0, 20_000, "an SMS on commands/received");
    await app.close();
    const received = app.got[0]!;
    // The device block names the modem once cellgate has read its identity.
    let r: Record<string, Received> = {};
    await until(
      async () => {
        r = await retained([DISCOVERY, `${w.prefix}/network`, `${w.prefix}/sim`, `${w.prefix}/health`, `${w.prefix}/status`]);
        return (r[DISCOVERY]?.json.dev as { mdl?: string } | undefined)?.mdl !== undefined;
      },
      20_000,
      "the discovery message with the modem's model",
    );
    const d = r[DISCOVERY]!.json as {
      dev: Record<string, unknown>;
      o: Record<string, unknown>;
      cmps: Record<string, Record<string, unknown>>;
    };
    expect(d.dev).toMatchObject({ ids: [`cellgate_${ID}`], name: `cellgate ${ID}`, mf: "Quectel", mdl: "EC25", sw: "0.1.0" });
    expect(d.o).toEqual({ name: "cellgate", sw: "0.1.0" });
    expect(r[DISCOVERY]!.json.availability).toEqual([
      {
        topic: `${w.prefix}/status`,
        value_template: "{{ value_json.state }}",
        payload_available: "online",
        payload_not_available: "offline",
      },
    ]);
    expect(r[`${w.prefix}/status`]!.json.state).toBe("online");
    expect(Object.keys(d.cmps).sort()).toEqual(
      [
        "access_technology",
        "data_limit",
        "data_path",
        "data_used",
        "health",
        "last_command",
        "modem_reset",
        "operator",
        "registration",
        "roaming",
        "rsrp",
        "rsrq",
        "rssi",
        "sim_status",
        "sinr",
      ].sort(),
    );
    for (const [key, c] of Object.entries(d.cmps)) {
      expect(c.p, key).toMatch(/^(sensor|binary_sensor|event|button)$/);
      expect(c.unique_id).toBe(`cellgate_${ID}_${key}`);
      if (c.p === "button") continue;
      const topic = c.state_topic as string;
      const msg = c.p === "event" ? received : r[topic];
      expect(msg, `${key}: ${topic}`).toBeDefined();
      // Events are not state: a retained Command would fire again on every Home Assistant restart.
      expect(msg!.retain, `${key} retained`).toBe(c.p !== "event");
      for (const p of templatePaths(c.value_template as string))
        expect(hasPath(msg!.json, p), `${key}: value_json.${p.join(".")}`).toBe(true);
    }
    expect(d.cmps.rsrp).toMatchObject({
      device_class: "signal_strength",
      state_class: "measurement",
      unit_of_measurement: "dBm",
    });
    expect(d.cmps.data_used).toMatchObject({ device_class: "data_size", state_class: "total_increasing" });
    expect(d.cmps.data_path).toMatchObject({ p: "binary_sensor", device_class: "connectivity" });
    expect(d.cmps.last_command).toMatchObject({
      p: "event",
      event_types: ["command", "foreign", "undecodable", "status-report"],
    });
  });

  it("published again after Home Assistant says online on its status topic", async () => {
    const s = await subscriber(w.broker.url, [DISCOVERY]);
    await waitFor(() => s.got.length === 1, 10_000, "the retained discovery");
    await s.client.publishAsync(`${HA}/status`, "online", { qos: 1 });
    await waitFor(() => s.got.some((m) => !m.retain), 15_000, "the discovery republished after online");
    await s.close();
  });

  it("the modem reset button publishes a local request, answered on the response topic", async () => {
    const d = (await retained([DISCOVERY]))[DISCOVERY]!.json as { cmps: Record<string, Record<string, string>> };
    const b = d.cmps.modem_reset!;
    expect(b.command_topic).toBe(`${w.prefix}/request/modem/reset`);
    const s = await subscriber(w.broker.url, [`${w.prefix}/response/modem/reset`]);
    await s.client.publishAsync(b.command_topic!, b.payload_press!, { qos: 1 });
    await waitFor(() => s.got.length > 0, 30_000, "the reset's answer");
    await s.close();
    expect(s.got[0]!.json).toMatchObject({ status: "ok", transaction: "homeassistant", data: { ok: true } });
  });

  it("unique ids are the same after a restart; a retained request is refused; disabled, the device is removed", async () => {
    const before = (await retained([DISCOVERY]))[DISCOVERY]!.json as { cmps: Record<string, { unique_id: string }> };
    // A retained request: run once as it is published (the broker forwards it live), but refused
    // when it comes back retained at the daemon's next subscribe — it must not run on every connect.
    const answers = await subscriber(w.broker.url, [`${w.prefix}/response/sim/refresh`]);
    await answers.client.publishAsync(`${w.prefix}/request/sim/refresh`, JSON.stringify({ transaction: "kept" }), {
      qos: 1,
      retain: true,
    });
    await waitFor(() => answers.got.length === 1, 20_000, "the live answer");
    await restart();
    await waitFor(() => answers.got.length === 2, 20_000, "the answer at the subscribe");
    await answers.client.publishAsync(`${w.prefix}/request/sim/refresh`, "", { qos: 1, retain: true });
    await answers.close();
    expect(answers.got.map((m) => m.json.status)).toEqual(["ok", "error"]);
    expect(answers.got[1]!.json).toMatchObject({ transaction: "kept", error: { code: "CG_ERR_MQTT_REFUSED" } });
    const after = (await retained([DISCOVERY]))[DISCOVERY]!.json as { cmps: Record<string, { unique_id: string }> };
    const ids = (d: typeof before) => Object.values(d.cmps).map((c) => c.unique_id);
    expect(ids(after)).toEqual(ids(before));
    setHa(false);
    await restart();
    await until(async () => Object.keys(await retained([DISCOVERY], 300)).length === 0, 15_000, "the discovery message removed");
    expect(haEnabled).toBe(false);
  });
});

/** One request and its answer; v5 with a response topic and correlation data, else by transaction. */
async function request(name: string, payload: unknown, o: { v5?: boolean } = {}): Promise<Record<string, unknown>> {
  const client = connect(w.broker.url, { protocolVersion: o.v5 ? 5 : 4 });
  await new Promise<void>((r) => client.once("connect", () => r()));
  const tx = `t-${Math.random().toString(36).slice(2)}`;
  const responseTopic = o.v5 ? `${w.prefix}/response/mine/${tx}` : `${w.prefix}/response/${name}`;
  const correlation = Buffer.from(tx);
  const got = new Promise<Record<string, unknown>>((resolve) =>
    client.on("message", (_t, p, packet) => {
      const j = JSON.parse(p.toString()) as Record<string, unknown>;
      if (o.v5 ? packet.properties?.correlationData?.equals(correlation) : j.transaction === tx) resolve(j);
    }),
  );
  await client.subscribeAsync(responseTopic, { qos: 1 });
  const body = typeof payload === "object" && payload !== null ? { ...payload, ...(o.v5 ? {} : { transaction: tx }) } : payload;
  await client.publishAsync(`${w.prefix}/request/${name}`, JSON.stringify(body), {
    qos: 1,
    retain: false,
    ...(o.v5 ? { properties: { responseTopic, correlationData: correlation } } : {}),
  });
  const answer = await Promise.race([
    got,
    new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer to ${name}`)), 20_000)),
  ]);
  await client.endAsync();
  return answer;
}

describe("local request/response", () => {
  it("status and health answer with the transaction (3.1.1) or the correlation data on the response topic (5)", async () => {
    const st = await request("status", {});
    expect(st).toMatchObject({ status: "ok", data: { gateway: ID, version: "0.1.0" } });
    const h = await request("health", {}, { v5: true });
    expect(h).toMatchObject({ status: "ok", data: { verdict: expect.stringMatching(/^(ok|degraded)$/) as string } });
  });

  it("at is off unless configured; unknown names and bad params are refused with a code", async () => {
    expect(await request("at", { command: "AT+CSQ" })).toMatchObject({ status: "error", error: { code: "CG_ERR_MQTT_REFUSED" } });
    expect(await request("nope", {})).toMatchObject({ status: "error", error: { code: "CG_ERR_MQTT_PAYLOAD" } });
    expect(await request("sms/read", { index: "x" })).toMatchObject({ status: "error", error: { code: "CG_ERR_MQTT_PAYLOAD" } });
  });

  it("sms/list decodes the storage; sms/delete refuses a message not handed off unless forced", async () => {
    const submit = encodeSubmit({ to: "2936", text: "an outgoing draft" });
    const draft = w.modem.sim.store.add("ME", { stat: 2, pdu: submit.hex })!;
    // An inbound message put in storage without +CMTI: cellgate has not seen it yet.
    const inbound = w.modem.sim.store.add("ME", {
      stat: 0,
      pdu: buildMtPdus({ from: "+15557654321", text: "unseen" }, Date.now())[0]!,
    })!;
    const list = await request("sms/list", {});
    const messages = (list.data as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          index: draft,
          memory: "ME",
          status: "unsent",
          handedOff: true,
          fields: expect.objectContaining({ text: "an outgoing draft" }) as unknown,
        }),
        expect.objectContaining({
          index: inbound,
          status: "unread",
          handedOff: false,
          fields: expect.objectContaining({ text: "unseen" }) as unknown,
        }),
      ]),
    );
    const refused = await request("sms/delete", { index: inbound, memory: "ME" });
    expect(refused).toMatchObject({ status: "error", error: { code: "CG_ERR_CONTROL_REQUEST" } });
    expect(w.modem.sim.store.get("ME", inbound)).toBeDefined();
    expect(await request("sms/delete", { index: inbound, memory: "ME", force: true })).toMatchObject({ status: "ok" });
    expect(w.modem.sim.store.get("ME", inbound)).toBeUndefined();
    // The CLI through the daemon's control socket.
    const cli = await runCli(["sms", "list", "--json", "--socket", join(w.dir, "control.sock")], cleanEnv());
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { messages: Array<{ index: number }> }).messages.map((m) => m.index)).toContain(draft);
    const del = await runCli(
      ["sms", "delete", String(draft), "--memory", "ME", "--socket", join(w.dir, "control.sock")],
      cleanEnv(),
    );
    expect(del.stdout).toBe(`deleted ME:${draft}\n`);
  });
});

describe("Prometheus", () => {
  const get = async () => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(r.status).toBe(200);
    return r.text();
  };

  it("/metrics serves the metric list, named the exporters' way, with no ICCID outside sim_info", async () => {
    await until(async () => (await get()).includes("cellgate_modem_signal_rsrp_dbm "), 20_000, "a signal metric");
    const text = await get();
    for (const name of [
      "cellgate_build_info",
      "cellgate_modem_signal_rsrp_dbm",
      "cellgate_modem_signal_rsrq_db",
      "cellgate_modem_signal_sinr_db",
      "cellgate_modem_signal_rssi_dbm",
      "cellgate_network_registered",
      "cellgate_network_roaming",
      "cellgate_network_attached",
      "cellgate_network_data_path_up",
      "cellgate_sim_data_used_bytes",
      "cellgate_sim_data_limit_bytes",
      "cellgate_mqtt_outbox_messages",
      "cellgate_mqtt_outbox_dropped_total",
      "cellgate_modem_recoveries_total",
      "cellgate_commands_received_total",
      "cellgate_sms_mo_sent_total",
      "cellgate_sms_mo_failed_total",
      "cellgate_at_commands_total",
      "cellgate_at_timeouts_total",
      "cellgate_api_requests_total",
    ])
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
    expect(text).toMatch(/^cellgate_network_roaming 1$/m);
    expect(text).toMatch(/^cellgate_api_requests_total\{status="200"\} [1-9]/m);
    expect(text).toMatch(/^cellgate_at_commands_total [1-9]/m);
    const iccidLines = text.split("\n").filter((l) => l.includes("8988307000012345678"));
    expect(iccidLines.length).toBe(1);
    expect(iccidLines[0]).toMatch(/^cellgate_sim_info\{/);
  });

  it.runIf(HAS_PROMTOOL)("promtool check metrics passes on the endpoint's text and on the textfile", async () => {
    const textfile = join(w.dir, "cellgate.prom");
    await waitFor(() => existsSync(textfile), 20_000, "the textfile");
    for (const input of [await get(), readFileSync(textfile, "utf8")]) {
      const r = spawnSync("promtool", ["check", "metrics"], { input, encoding: "utf8" });
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
      expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    }
  });

  it.runIf(HAS_PROMETHEUS)(
    "a real Prometheus scrapes the endpoint",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "cellgate-prom-"));
      const port = await freePort();
      writeFileSync(
        join(dir, "prometheus.yml"),
        ["global:", "  scrape_interval: 1s", "scrape_configs:", "  - job_name: cellgate", "    static_configs:"]
          .concat([`      - targets: ["127.0.0.1:${metricsPort}"]`, ""])
          .join("\n"),
      );
      const prom: ChildProcess = spawn(
        "prometheus",
        [
          `--config.file=${join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: "ignore" },
      );
      console.log(`[real parts] prometheus on 127.0.0.1:${port} scraping 127.0.0.1:${metricsPort}`);
      try {
        const query = async (q: string) => {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
          if (!r?.ok) return [];
          return ((await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } })
            .data.result;
        };
        await until(async () => (await query('up{job="cellgate"} == 1')).length === 1, 30_000, "Prometheus to scrape cellgate");
        const rsrp = await query("cellgate_modem_signal_rsrp_dbm");
        expect(Number(rsrp[0]?.value[1])).toBeLessThan(0);
      } finally {
        prom.kill("SIGTERM");
        await exited(prom);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
