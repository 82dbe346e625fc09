import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect as tcpConnect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type MqttClient } from "mqtt";

/** mosquitto when installed (CI installs it), else the embedded aedes; CELLGATE_BROKER=aedes forces it. */
export const BROKER_KIND: "mosquitto" | "aedes" =
  process.env.CELLGATE_BROKER === "aedes" || spawnSync("mosquitto", ["-h"]).error ? "aedes" : "mosquitto";

export interface TestBroker {
  kind: "mosquitto" | "aedes";
  port: number;
  /** Its temporary directory (configuration, database, a log file a test asked for). */
  dir: string;
  url: string;
  /** Stops the broker (its persistence saved, for mosquitto). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** A power cut: SIGKILL, nothing saved but what is already on disk (mosquitto; aedes just stops). */
  crash(): Promise<void>;
  /** Frozen (SIGSTOP) and thawed: connections stay open, nothing is answered meanwhile (mosquitto only). */
  freeze?(): void;
  thaw?(): void;
  close(): Promise<void>;
}

/** A port on loopback that nothing listens on (taken, then let go). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A free port below Linux's ephemeral range (32768–60999), for a port a test keeps closed on
 * purpose: a port-0 listener of another test (or of a run beside this one) can never be given it,
 * where a released ephemeral port may be handed out again at once.
 */
export async function quietPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const s = createServer();
    const ok = await new Promise<boolean>((r) => {
      s.once("error", () => r(false));
      s.listen(port, "127.0.0.1", () => r(true));
    });
    if (ok) {
      await new Promise((r) => s.close(r));
      return port;
    }
  }
}

async function waitListening(port: number, exited: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (exited()) throw new Error(`the broker exited before it listened on ${port} (port taken?)`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = tcpConnect(port, "127.0.0.1");
      c.once("connect", () => (c.destroy(), resolve(true)));
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`broker did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A real broker on a loopback port. mosquitto runs as a child with the settings tests that assert
 * delivery need (TCP_NODELAY, no queue cap) and persistence on, as
 * the shipped local config has, so sessions and queued QoS 1 messages survive a restart.
 */
export async function startBroker(
  o: { shipped?: { users: Record<string, string> }; extra?: (dir: string) => string[]; port?: number } = {},
): Promise<TestBroker> {
  // Below the ephemeral range: while a test has the broker stopped, a port-0 listener elsewhere (or
  // the run beside this one) could be handed a released ephemeral port, and the restart would find
  // it taken, or the daemon would reconnect to that other listener.
  const port = o.port ?? (await quietPort());
  const dir = mkdtempSync(join(tmpdir(), "cellgate-broker-"));
  if ((o.shipped || o.extra) && BROKER_KIND !== "mosquitto") throw new Error("the shipped broker configuration needs mosquitto");
  if (BROKER_KIND === "mosquitto") {
    chmodSync(dir, 0o777); // run as root, mosquitto drops to its own user and must still save its database here
    const conf = join(dir, "mosquitto.conf");
    writeFileSync(
      conf,
      o.shipped
        ? shippedConf(dir, port, o.shipped.users)
        : [
            `listener ${port} 127.0.0.1`,
            "allow_anonymous true",
            "persistence true",
            `persistence_location ${dir}/`,
            "autosave_interval 1",
            "log_dest none",
            "set_tcp_nodelay true",
            "max_queued_messages 0",
            ...(o.extra?.(dir) ?? []),
            "",
          ].join("\n"),
    );
    let proc: ChildProcess | undefined;
    const start = async () => {
      if (proc && proc.exitCode === null && proc.signalCode === null) return; // running
      const p = spawn("mosquitto", ["-c", conf], { stdio: "ignore" });
      proc = p;
      await waitListening(port, () => p.exitCode !== null || p.signalCode !== null);
      if (p.exitCode !== null || p.signalCode !== null)
        throw new Error(`mosquitto exited (${p.exitCode ?? p.signalCode}): port ${port} taken?`);
    };
    const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const p = proc;
      p.kill(signal);
      await new Promise((r) => p.once("exit", r));
    };
    await start();
    console.log(`[real parts] mosquitto on 127.0.0.1:${port}`);
    return {
      kind: "mosquitto",
      port,
      dir,
      url: `mqtt://127.0.0.1:${port}`,
      start,
      stop: () => stop(),
      crash: () => stop("SIGKILL"),
      freeze: () => void proc?.kill("SIGSTOP"),
      thaw: () => void proc?.kill("SIGCONT"),
      close: async () => (proc?.kill("SIGCONT"), await stop(), rmSync(dir, { recursive: true, force: true })),
    };
  }
  const { Aedes } = await import("aedes");
  const broker = await Aedes.createBroker();
  let server: Server | undefined;
  const start = async () => {
    if (server) return; // running
    server = createServer((s) => broker.handle(s));
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", () => r()));
  };
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = undefined;
    const closed = new Promise((r) => s.close(r)); // resolves once every connection has ended
    for (const c of Object.values((broker as unknown as { clients: Record<string, { close(): void }> }).clients)) c.close();
    await closed;
  };
  await start();
  console.log(`[real parts] aedes (embedded; mosquitto not installed) on 127.0.0.1:${port}`);
  return {
    kind: "aedes",
    port,
    dir,
    url: `mqtt://127.0.0.1:${port}`,
    start,
    stop,
    crash: stop,
    close: async () => (
      await stop(),
      await new Promise((r) => broker.close(() => r(undefined))),
      rmSync(dir, { recursive: true, force: true })
    ),
  };
}

const CONFIG = join(import.meta.dirname, "../../config/mosquitto");

/** config/mosquitto/local.conf as shipped, on a test port and in a temporary directory, with its ACL and these users. */
function shippedConf(dir: string, port: number, users: Record<string, string>): string {
  const passwd = join(dir, "cellgate.passwd");
  for (const [i, [user, password]] of Object.entries(users).entries()) {
    const r = spawnSync("mosquitto_passwd", ["-b", ...(i === 0 ? ["-c"] : []), passwd, user, password], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`mosquitto_passwd: ${r.stderr}`);
  }
  const acl = join(dir, "cellgate.acl");
  writeFileSync(acl, readFileSync(join(CONFIG, "cellgate.acl"), "utf8"));
  const local = readFileSync(join(CONFIG, "local.conf"), "utf8");
  for (const line of [
    "listener 1883 127.0.0.1",
    "persistence_location /var/lib/mosquitto/",
    "password_file /etc/mosquitto/cellgate.passwd",
    "acl_file /etc/mosquitto/cellgate.acl",
  ])
    if (!local.includes(line)) throw new Error(`config/mosquitto/local.conf no longer has "${line}"`);
  return `${local
    .replace("listener 1883 127.0.0.1", `listener ${port} 127.0.0.1`)
    .replace("persistence_location /var/lib/mosquitto/", `persistence_location ${dir}/`)
    .replace("password_file /etc/mosquitto/cellgate.passwd", `password_file ${passwd}`)
    .replace("acl_file /etc/mosquitto/cellgate.acl", `acl_file ${acl}`)}\nlog_dest none\n`;
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  qos: number;
  json: Record<string, unknown>;
}

/** A subscriber that keeps everything it receives; `persistent` keeps its session across broker restarts. */
export async function subscriber(
  url: string,
  topics: string[],
  o: { persistent?: string; username?: string; password?: string } = {},
): Promise<{ client: MqttClient; got: Received[]; on(topic: string): Received[]; close(): Promise<void> }> {
  const client = connect(url, {
    reconnectPeriod: 200,
    ...(o.persistent ? { clientId: o.persistent, clean: false } : {}),
    ...(o.username !== undefined ? { username: o.username, password: o.password ?? "" } : {}),
  });
  const got: Received[] = [];
  client.on("message", (topic, payload, packet) => {
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(payload.toString()) as Record<string, unknown>;
    } catch {
      // not JSON: kept as text
    }
    got.push({ topic, payload: payload.toString(), retain: packet.retain, qos: packet.qos, json });
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  return { client, got, on: (t) => got.filter((m) => m.topic === t), close: () => client.endAsync() };
}
