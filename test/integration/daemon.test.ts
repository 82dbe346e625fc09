import { execFile, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, type ApiClient } from "../../src/api/index.js";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { startBroker, subscriber, type Received, type TestBroker } from "../helpers/broker.js";
import { CLI, cleanEnv, exited, runDaemon } from "../helpers/daemon-proc.js";
import { notifySocket } from "../helpers/notify-socket.js";
import { loadConformance } from "../helpers/openapi.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "../helpers/pty-modem.js";

// The product end to end: a real broker (mosquitto where installed), the modem simulator on a
// pty opened with the real serialport binding, the Wireless API simulator on loopback joined to
// the modem by the simulated network, and `cellgate run` as a child process.
const PREFIX = "cellgate/e2e-gw";

let broker: TestBroker;
let api: ApiSimulator;
let modem: Awaited<ReturnType<typeof startPtyModem>>;
let bridge: ModemBridge;
let client: ApiClient;
let dir: string;
let config: string;
let daemon: ChildProcess | undefined;
const out = { logs: "" };
let events: Awaited<ReturnType<typeof subscriber>>;
const nonConforming: string[] = [];
const HAS_SYSTEMD_NOTIFY = spawnSync("systemd-notify", ["--version"]).error === undefined;
let notify: Awaited<ReturnType<typeof notifySocket>> | undefined;

function env(): NodeJS.ProcessEnv {
  // As systemd runs it: a notification socket and a 2 s watchdog (pinged every second while the modem answers).
  const sd = notify ? { NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: "2000000" } : {};
  // CELLGATE_MQTT_ULR: a misspelt variable, which the daemon must warn about (and ignore).
  return cleanEnv({
    ...sd,
    TWILIO_ACCOUNT_SID: api.credentials.accountSid,
    TWILIO_AUTH_TOKEN: api.credentials.authToken,
    CELLGATE_MQTT_ULR: "mqtt://typo.invalid:1883",
  });
}

function startDaemon(): ChildProcess {
  daemon = runDaemon(config, env(), out);
  return daemon;
}

/** The retained messages a brand-new subscriber gets. */
async function retained(topics: string[]): Promise<Record<string, Received>> {
  const s = await subscriber(broker.url, topics);
  await new Promise((r) => setTimeout(r, 400));
  await s.close();
  return Object.fromEntries(s.got.filter((m) => m.retain).map((m) => [m.topic.slice(PREFIX.length + 1), m]));
}

beforeAll(async () => {
  broker = await startBroker();
  if (HAS_SYSTEMD_NOTIFY) notify = await notifySocket();
  else console.log("[skipped] systemd-notify is not installed here: READY/STATUS/WATCHDOG are not checked");
  api = await ApiSimulator.start({ asyncMs: 50 });
  const spec = loadConformance("wireless", { exact: true });
  api.onResponse((r) => {
    if (r.status >= 200 && r.status < 300 && r.status !== 204 && r.operationId !== "token")
      nonConforming.push(...spec.check(r.operationId, r.body).map((e) => `${r.operationId}: ${e}`));
  });
  modem = await startPtyModem(PTY_BACKENDS[0]!);
  bridge = new ModemBridge(api, modem.sim, { trafficEveryMs: 1000 });
  client = createApiClient({
    provider: "twilio",
    product: "programmable-wireless",
    baseUrl: api.baseUrl,
    credentials: { username: api.credentials.accountSid, password: api.credentials.authToken },
  });
  dir = mkdtempSync(join(tmpdir(), "cellgate-e2e-"));
  config = join(dir, "cellgate.yaml");
  writeFileSync(
    config,
    [
      "gateway:\n  id: e2e-gw",
      `modem:\n  port: ${modem.link}\n  pollS: 2`,
      `mqtt:\n  url: ${broker.url}\n  keepaliveS: 5\n  telemetryS: 5`,
      `api:\n  baseUrl: ${api.baseUrl}\n  refreshS: 60`,
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      "log:\n  level: debug\n",
    ].join("\n"),
  );
  // A local application's durable session: it must get every Command even across a broker restart.
  events = await subscriber(broker.url, [`${PREFIX}/commands/received`, `${PREFIX}/commands/sent`, `${PREFIX}/events`], {
    persistent: "e2e-app",
  });
  startDaemon();
  await waitFor(
    () => events.got.some((m) => m.topic.endsWith("/events") && m.json.type === "started"),
    20_000,
    "the daemon to start",
  );
}, 60_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    daemon.kill("SIGTERM");
    await exited(daemon);
  }
  await events?.close();
  bridge?.stop();
  await client?.close();
  await api?.close();
  await modem?.cleanup();
  await broker?.close();
  notify?.close();
  rmSync(dir, { recursive: true, force: true });
  expect(nonConforming).toEqual([]);
  // No credential in anything the daemon wrote (debug level, every line).
  expect(out.logs.length, out.logs.slice(0, 2000)).toBeGreaterThan(1000);
  expect(out.logs).not.toContain(api.credentials.authToken);
});

describe("cellgate run, end to end", () => {
  it("a fresh subscriber finds the retained status, modem, network, sim and health", async () => {
    await waitFor(() => out.logs.includes('"msg":"MQTT connected"'), 10_000, "the broker link");
    let r: Record<string, Received> = {};
    for (let i = 0; i < 50 && Object.keys(r).length < 5; i++) {
      r = await retained([`${PREFIX}/status`, `${PREFIX}/modem`, `${PREFIX}/network`, `${PREFIX}/sim`, `${PREFIX}/health`]);
    }
    expect(r.status?.json).toMatchObject({ state: "online", version: "0.1.0" });
    expect(r.modem?.json).toMatchObject({
      manufacturer: "Quectel",
      model: "EC25",
      iccid: "8988307000012345678",
      port: modem.link,
    });
    expect(r.network?.json).toMatchObject({
      registration: { state: "roaming", roaming: true },
      operator: { name: "T-Mobile", mcc: "310", mnc: "260" },
      attached: true,
      apn: "wireless.twilio.com",
    });
    expect(r.sim?.json).toMatchObject({
      view: { sim: { uniqueName: "gateway-0001", status: "active" }, plan: { name: "gateway-plan", dataLimitMb: 500 } },
    });
    // Everything passes but perhaps the clock: a test machine may have no timedatectl to ask (unknown,
    // which leaves the verdict alone) or an unsynchronised clock (a warning: degraded). The data path is
    // unknown: the default probe reads the MQTT bridge's state, and this broker has no bridge.
    const checks = r.health!.json.checks as Array<{ id: string; status: string; detail: string }>;
    expect(checks.find((c) => c.id === "data-path")).toMatchObject({ status: "unknown" });
    const notPassing = checks.filter((c) => c.status !== "pass" && c.id !== "data-path");
    expect(
      notPassing.filter((c) => c.id !== "clock"),
      JSON.stringify(notPassing),
    ).toEqual([]);
    expect(r.health?.json.verdict).toBe(notPassing.some((c) => c.status === "warn") ? "degraded" : "ok");
    for (const m of Object.values(r))
      expect(m.json).toMatchObject({
        ts: expect.any(String) as string,
        clock: expect.stringMatching(/^(synced|network|unsynced)$/) as string,
      });
    const ids = (r.health!.json.checks as Array<{ id: string }>).map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "modem",
        "sim",
        "registration",
        "signal",
        "attach",
        "apn",
        "carrier-sim",
        "carrier-plan",
        "usage",
        "data-session",
        "data-path",
        "mqtt",
        "clock",
      ]),
    );
  });

  it("warns at start about a CELLGATE_ variable it does not know, naming the one it resembles", () => {
    const line = out.logs.split("\n").find((l) => l.includes("CELLGATE_MQTT_ULR"));
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      level: 40,
      variable: "CELLGATE_MQTT_ULR",
      suggestion: "CELLGATE_MQTT_URL",
      msg: "environment: CELLGATE_MQTT_ULR is not a cellgate variable, ignored (did you mean CELLGATE_MQTT_URL?)",
    });
  });

  it.runIf(HAS_SYSTEMD_NOTIFY)(
    "tells systemd: READY=1 once up, STATUS= with the health, WATCHDOG=1 while the modem answers",
    async () => {
      const m = notify!.messages;
      await waitFor(
        () =>
          m.filter((x) => x === "WATCHDOG=1").length >= 2 &&
          m.some((x) => /^STATUS=health=(ok|degraded) reg=roaming rat=lte rsrp=-95 data=unknown mqtt=up$/.test(x)),
        10_000,
        "watchdog pings and a health STATUS",
      );
      const ready = m.findIndex((x) => x.startsWith("READY=1\nSTATUS="));
      expect(ready).toBeGreaterThanOrEqual(0);
      expect(m.filter((x) => x.startsWith("READY=1"))).toHaveLength(1);
      expect(out.logs.indexOf('"msg":"MQTT connected"')).toBeGreaterThanOrEqual(0);
    },
  );

  it("a Command created with POST /v1/Commands appears once on commands/received, and leaves the modem", async () => {
    const cmd = await client.wireless!.createCommand({ sim: "gateway-0001", command: "status", includeSid: "end" });
    await waitFor(
      () => events.on(`${PREFIX}/commands/received`).some((m) => m.json.sid === cmd.sid),
      15_000,
      "the Command on MQTT",
    );
    await waitFor(() => modem.sim.store.used("ME") === 0, 5000, "the SMS to be deleted");
    await new Promise((r) => setTimeout(r, 1500));
    const got = events.on(`${PREFIX}/commands/received`).filter((m) => m.json.sid === cmd.sid);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      qos: 1,
      retain: false,
      json: { kind: "command", sender: "2936", mode: "text", text: "status", auth: "rejected", auth_reason: "unsigned" },
    });
  });

  it("{text} on commands/send arrives at the API as a from_sim Command; the result lands on commands/sent", async () => {
    await events.client.publishAsync(`${PREFIX}/commands/send`, JSON.stringify({ text: "pong 42", transaction: "tx-1" }), {
      qos: 1,
    });
    await waitFor(() => events.on(`${PREFIX}/commands/sent`).some((m) => m.json.transaction === "tx-1"), 15_000, "the result");
    expect(events.on(`${PREFIX}/commands/sent`).find((m) => m.json.transaction === "tx-1")?.json).toMatchObject({
      status: "ok",
      data: { to: "2936", mode: "text" },
    });
    const mo = await client.wireless!.all(client.wireless!.listCommands({ direction: "from_sim" }));
    expect(mo.map((c) => c.command)).toContain("pong 42");
  });

  it("Commands that arrive while the broker is down are all delivered, once each, after it returns", async () => {
    await broker.stop();
    await waitFor(() => out.logs.includes('"msg":"MQTT disconnected"'), 10_000, "the daemon to notice");
    const sids: string[] = [];
    for (const text of ["one", "two", "three"])
      sids.push((await client.wireless!.createCommand({ sim: "gateway-0001", command: text, includeSid: "start" })).sid);
    await waitFor(
      () => (out.logs.match(/"msg":"queued in the outbox"/g) ?? []).length >= 3 && modem.sim.store.used("ME") === 0,
      20_000,
      "the Commands handed off to the outbox and deleted from the modem",
    );
    await broker.start();
    await waitFor(
      () => sids.every((sid) => events.on(`${PREFIX}/commands/received`).some((m) => m.json.sid === sid)),
      20_000,
      "every Command after the outage",
    );
    await new Promise((r) => setTimeout(r, 1500));
    for (const sid of sids)
      expect(
        events.on(`${PREFIX}/commands/received`).filter((m) => m.json.sid === sid),
        sid,
      ).toHaveLength(1);
  });

  it("`cellgate status --json` reaches the running daemon through its control socket", async () => {
    const run = promisify(execFile);
    const r = await run(process.execPath, [...CLI, "status", "--json", "--socket", join(dir, "control.sock")], {
      env: env(),
    }).catch((e: { stdout: string; code: number }) => e);
    const j = JSON.parse(r.stdout) as { verdict: string; gateway: string; checks: Array<{ id: string; status: string }> };
    expect(j.gateway).toBe("e2e-gw");
    expect(["ok", "degraded"]).toContain(j.verdict);
    expect(j.checks.find((c) => c.id === "carrier-sim")).toMatchObject({ status: "pass" });
    const at = await run(process.execPath, [...CLI, "at", "--socket", join(dir, "control.sock"), "AT+CSQ"], { env: env() });
    expect(at.stdout).toBe("+CSQ: 21,99\nOK\n");
    const send = await run(
      process.execPath,
      [...CLI, "send", "--socket", join(dir, "control.sock"), "--json", "via the socket"],
      { env: env() },
    );
    expect(JSON.parse(send.stdout)).toMatchObject({ to: "2936", encoding: "gsm7" });
    const mo = await client.wireless!.all(client.wireless!.listCommands({ direction: "from_sim" }));
    expect(mo.map((c) => c.command)).toContain("via the socket");
    // `cellgate sim` with neither ICCID nor credentials here: the daemon reads the ICCID and asks the API.
    const noCredentials = cleanEnv({});
    const simJson = await run(process.execPath, [...CLI, "sim", "--json", "--socket", join(dir, "control.sock")], {
      env: noCredentials,
    });
    expect(JSON.parse(simJson.stdout)).toMatchObject({
      via: "daemon",
      iccid: api.gatewaySim.iccid,
      provider: "twilio",
      baseUrl: api.baseUrl,
      sim: { sid: api.gatewaySim.sid, status: "active" },
      plan: { dataEnabled: true },
      errors: {},
    });
    const simText = await run(process.execPath, [...CLI, "sim", "--socket", join(dir, "control.sock")], { env: noCredentials });
    expect(simText.stdout).toContain(`ICCID      ${api.gatewaySim.iccid}`);
  });

  it("abuse of the control socket is answered with errors and does not kill the daemon; no empty or mangled SMS is sent", async () => {
    const sock = join(dir, "control.sock");
    const lines = [
      "null",
      '{"method":"send","params":{"text":""}}',
      '{"method":"send","params":{"data":"!!!notbase64"}}',
      '{"method":"status","params":[]}',
    ];
    const answers: string[] = [];
    for (const line of lines) {
      // As the operator would: printf 'null\n' | socat - UNIX-CONNECT:$SOCK (node's net where socat is missing).
      const hasSocat = spawnSync("socat", ["-V"]).error === undefined;
      const out = hasSocat
        ? spawnSync("socat", ["-t", "5", "-", `UNIX-CONNECT:${sock}`], { input: `${line}\n`, encoding: "utf8", timeout: 10_000 })
            .stdout
        : await new Promise<string>((resolve) => {
            const c = createConnection(sock);
            let b = "";
            c.setEncoding("utf8")
              .on("data", (d: string) => (b += d))
              .on("end", () => resolve(b));
            c.end(`${line}\n`);
          });
      answers.push(out.trim());
    }
    for (const a of answers) expect(JSON.parse(a)).toMatchObject({ ok: false, error: { code: "CG_ERR_CONTROL_REQUEST" } });
    expect(daemon!.exitCode).toBeNull();
    const run = promisify(execFile);
    const at = await run(process.execPath, [...CLI, "at", "--socket", sock, "AT+CSQ"], { env: env() });
    expect(at.stdout).toBe("+CSQ: 21,99\nOK\n");
    const mo = await client.wireless!.all(client.wireless!.listCommands({ direction: "from_sim" }));
    expect(mo.map((c) => c.command)).not.toContain("");
    expect(mo.map((c) => c.command).join("|")).not.toMatch(/notbase6/);
  });

  it("SIGHUP reloads what can change live, lists what needs a restart, and keeps a valid config when the new one is not", async () => {
    const original = readFileSync(config, "utf8");
    writeFileSync(config, original.replace("pollS: 2", "pollS: 3").replace("keepaliveS: 5", "keepaliveS: 6"));
    daemon!.kill("SIGHUP");
    await waitFor(() => out.logs.includes('"msg":"configuration reloaded"'), 5000, "the reload");
    const line = out.logs.split("\n").find((l) => l.includes('"msg":"configuration reloaded"'))!;
    expect(JSON.parse(line)).toMatchObject({ changed: ["modem.pollS", "mqtt.keepaliveS (needs a restart)"] });
    writeFileSync(config, original.replace("pollS: 2", "pollS: many"));
    daemon!.kill("SIGHUP");
    await waitFor(() => out.logs.includes("configuration not reloaded: keeping the running one"), 5000, "the refusal");
    expect(out.logs).toContain("modem.pollS: Invalid input: expected number");
    writeFileSync(config, original);
    expect(daemon!.exitCode).toBeNull();
  });

  it.runIf(HAS_SYSTEMD_NOTIFY)(
    "the watchdog is not fed while the modem's AT channel hangs, and is again once it answers",
    async () => {
      const pings = () => notify!.messages.filter((x) => x === "WATCHDOG=1").length;
      modem.sim.hang("all");
      await new Promise((r) => setTimeout(r, 2500)); // the last answer ages past WATCHDOG_USEC (2 s)
      const before = pings();
      await new Promise((r) => setTimeout(r, 2500));
      expect(pings() - before).toBe(0);
      modem.sim.unhang();
      await waitFor(() => pings() > before, 30_000, "watchdog pings again after the modem answers");
    },
    45_000,
  );

  it("SIGTERM leaves status offline, retained", async () => {
    daemon!.kill("SIGTERM");
    expect(await exited(daemon!)).toBe(0);
    if (notify) await waitFor(() => notify!.messages.includes("STOPPING=1"), 5000, "STOPPING=1");
    const r = await retained([`${PREFIX}/status`]);
    expect(r.status?.json).toMatchObject({ state: "offline", reason: "stopped by the service manager (SIGTERM)" });
  });

  it("the Will fires on SIGKILL, and the next start says why it is back", async () => {
    startDaemon();
    await waitFor(() => events.got.filter((m) => m.json.type === "started").length === 2, 20_000, "the second start");
    expect(events.got.filter((m) => m.json.type === "started")[1]!.json.detail).toMatch(
      /after a clean stop \(stopped by the service manager \(SIGTERM\)\)/,
    );
    for (let i = 0; i < 50; i++) if ((await retained([`${PREFIX}/status`])).status?.json.state === "online") break;
    daemon!.kill("SIGKILL");
    await exited(daemon!);
    let status: Received | undefined;
    for (let i = 0; i < 30 && status?.json.state !== "offline"; i++) status = (await retained([`${PREFIX}/status`])).status;
    expect(status?.json).toMatchObject({ state: "offline", reason: "connection lost (last will)" });
    startDaemon();
    await waitFor(() => events.got.filter((m) => m.json.type === "started").length === 3, 20_000, "the third start");
    expect(events.got.filter((m) => m.json.type === "started")[2]!.json.detail).toMatch(/after an unclean shutdown/);
  });
});
