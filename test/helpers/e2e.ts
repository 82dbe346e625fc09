import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createApiClient, type ApiClient } from "../../src/api/index.js";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { startBroker, subscriber, type TestBroker } from "./broker.js";
import { callbackServer } from "./capture.js";
import { CLI, cleanEnv, exited, runDaemon } from "./daemon-proc.js";
import type { ModemSimulatorOptions } from "../../src/sim/modem/index.js";
import { PTY_BACKENDS, startPtyModem } from "./pty-modem.js";

const run = promisify(execFile);

/**
 * A gateway end to end: a real broker (mosquitto where installed), the Wireless API simulator
 * joined by the simulated network to the modem simulator on a pty (the real serialport
 * binding), an operator's callback endpoint, a local application subscribed to cellgate's
 * topics, and `cellgate run` as a child process with `yaml` added to its configuration.
 */
export interface E2eOptions {
  id: string;
  key: string;
  /** More top-level blocks of the configuration. */
  yaml?: (dir: string) => string[];
  /** A broker of the caller's (closed by the caller), else a fresh one. */
  broker?: TestBroker;
  /** More lines in the `modem:`, `mqtt:` and `api:` blocks (`pollS: 2` is the modem's default). */
  modemYaml?: string[];
  mqtt?: string[];
  apiYaml?: string[];
  logLevel?: "debug" | "info" | "warn";
  /** The modem simulator's personality, or all its options (personality, clock, network). */
  personality?: string;
  modem?: ModemSimulatorOptions;
  /** The local application keeps its session across broker restarts (it misses nothing an outage queued). */
  persistentApp?: boolean;
  /** The SIM's product (default Programmable Wireless): the API simulator, the client and `sim.product` follow it. */
  product?: "programmable-wireless" | "super-sim";
  /** Modules the daemon's node imports first (test seams), and more of its environment. */
  preload?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function e2eWorld(o: E2eOptions) {
  const prefix = `cellgate/${o.id}`;
  const broker: TestBroker = o.broker ?? (await startBroker());
  const product = o.product ?? "programmable-wireless";
  const api = await ApiSimulator.start({ asyncMs: 50, product });
  const modem = await startPtyModem(PTY_BACKENDS[0]!, o.modem ?? (o.personality ? { personality: o.personality } : {}));
  const bridge = new ModemBridge(api, modem.sim, { trafficEveryMs: 1000 });
  const client: ApiClient = createApiClient({
    provider: "twilio",
    product,
    baseUrl: api.baseUrl,
    credentials: { username: api.credentials.accountSid, password: api.credentials.authToken },
  });
  const hook = await callbackServer();
  // Commands from the SIM reach the hook (Programmable Wireless: the SIM's callback; Super SIM has none here).
  await client.wireless?.updateSim("gateway-0001", { commandsCallbackUrl: hook.url, commandsCallbackMethod: "POST" });
  const dir = mkdtempSync(join(tmpdir(), `cellgate-${o.id}-`));
  const config = join(dir, "cellgate.yaml");
  writeFileSync(
    config,
    [
      `gateway:\n  id: ${o.id}`,
      block("modem", [`port: ${modem.link}`, ...(o.modemYaml ?? ["pollS: 2"])]),
      block("mqtt", [`url: ${broker.url}`, "keepaliveS: 5", ...(o.mqtt ?? [])]),
      block("api", [`baseUrl: ${api.baseUrl}`, "refreshS: 60", ...(o.apiYaml ?? [])]),
      ...(product === "super-sim" ? ["sim:\n  product: super-sim"] : []),
      `state:\n  dir: ${join(dir, "state")}`,
      `control:\n  socket: ${join(dir, "control.sock")}`,
      ...(o.yaml?.(dir) ?? []),
      `log:\n  level: ${o.logLevel ?? "debug"}\n`,
    ].join("\n"),
  );
  const app = await subscriber(
    broker.url,
    [`${prefix}/commands/received`, `${prefix}/commands/sent`, `${prefix}/events`],
    o.persistentApp ? { persistent: `app-${o.id}-${process.pid}` } : {},
  );
  const out = { logs: "" };
  let daemon: ChildProcess | undefined;
  const env = () =>
    cleanEnv({
      TWILIO_ACCOUNT_SID: api.credentials.accountSid,
      TWILIO_AUTH_TOKEN: api.credentials.authToken,
      CELLGATE_COMMAND_KEY: o.key,
      ...o.env,
    });
  const w = {
    prefix,
    broker,
    api,
    modem,
    client,
    hook,
    dir,
    config,
    app,
    out,
    daemon: () => daemon,
    start: () => (daemon = runDaemon(config, env(), out, o.preload)),
    events: (type: string) => app.on(`${prefix}/events`).filter((m) => m.json.type === type),
    received: (sid: string) => app.on(`${prefix}/commands/received`).filter((m) => m.json.sid === sid),
    fromSim: () => hook.hits.filter((h) => h.params.get("Direction") === "from_sim").map((h) => h.params.get("Command") ?? ""),
    async sign(text: string, key = o.key): Promise<string> {
      const r = await run(process.execPath, [...CLI, "sign", text], { env: cleanEnv({ CELLGATE_COMMAND_KEY: key }) });
      return r.stdout.trim();
    },
    async post(text: string): Promise<string> {
      return (await client.wireless!.createCommand({ sim: "gateway-0001", command: text, includeSid: "end" })).sid;
    },
    async close(): Promise<void> {
      if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
        daemon.kill("SIGTERM");
        await exited(daemon);
      }
      await app.close();
      bridge.stop();
      await client.close();
      await api.close();
      await hook.close();
      await modem.cleanup();
      if (!o.broker) await broker.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return w;
}

/** A configuration block: `name:` and its lines indented. */
const block = (name: string, lines: string[]) => [`${name}:`, ...lines.map((l) => `  ${l}`)].join("\n");

export type E2eWorld = Awaited<ReturnType<typeof e2eWorld>>;
