import { readFileSync } from "node:fs";
import { createServer, connect as tcpConnect, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { startBroker, type TestBroker } from "./broker.js";

const CONFIG = join(import.meta.dirname, "../../config/mosquitto");

/** What crossed the "WAN": MQTT packets by kind (PUBLISH by topic), with their bytes, both ways. */
export interface Traffic {
  bytes: { up: number; down: number };
  /** key: `PUBLISH <topic>` or the packet type (`PINGREQ`, `PUBACK`, …) → count and bytes (fixed header included). */
  packets: Map<string, { count: number; bytes: number }>;
}

const TYPES = ["", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK"];
const TYPES2 = ["UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"];

/** Splits one direction's byte stream into MQTT packets and counts them (a loopback stand-in for the carrier's meter). */
class PacketCounter {
  #buf = Buffer.alloc(0);

  constructor(private readonly into: Traffic["packets"]) {}

  feed(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      if (this.#buf.length < 2) return;
      let len = 0;
      let mult = 1;
      let i = 1;
      for (; i < 5; i++) {
        if (i >= this.#buf.length) return;
        const b = this.#buf[i]!;
        len += (b & 0x7f) * mult;
        mult *= 128;
        if ((b & 0x80) === 0) break;
      }
      const total = i + 1 + len;
      if (this.#buf.length < total) return;
      const type = this.#buf[0]! >> 4;
      let key = type < 10 ? TYPES[type]! : TYPES2[type - 10]!;
      if (type === 3) key = `PUBLISH ${this.#buf.subarray(i + 3, i + 3 + this.#buf.readUInt16BE(i + 1)).toString("utf8")}`;
      const e = this.into.get(key) ?? { count: 0, bytes: 0 };
      this.into.set(key, { count: e.count + 1, bytes: e.bytes + total });
      this.#buf = this.#buf.subarray(total);
    }
  }
}

export interface CountingProxy {
  port: number;
  traffic: Traffic;
  /** Starts counting afresh. */
  reset(): void;
  /**
   * Cuts the link. `blackhole`: the connection stays open but nothing gets through (a radio that
   * went quiet; only keepalives notice); `refuse`: connections are reset and new ones refused.
   */
  cut(mode: "blackhole" | "refuse"): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of `targetPort`: the bridge's WAN, metered and cuttable. */
export async function countingProxy(targetPort: number): Promise<CountingProxy> {
  const traffic: Traffic = { bytes: { up: 0, down: 0 }, packets: new Map() };
  let state: "up" | "blackhole" | "refuse" = "up";
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    if (state === "refuse") return void client.destroy();
    const upstream = tcpConnect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const up = new PacketCounter(traffic.packets);
    const down = new PacketCounter(traffic.packets);
    client.on("data", (b: Buffer) => {
      if (state !== "up") return; // dropped on the floor
      traffic.bytes.up += b.length;
      up.feed(b);
      upstream.write(b);
    });
    upstream.on("data", (b: Buffer) => {
      if (state !== "up") return;
      traffic.bytes.down += b.length;
      down.feed(b);
      client.write(b);
    });
    // A close on one side reaches the other, unless the radio is silent: then each side finds
    // out by itself (its keepalive), and the other end hangs until the link is restored.
    const end = (other: Socket) => () => {
      if (state === "blackhole") return;
      pairs.delete(pair);
      other.destroy();
    };
    client.on("close", end(upstream)).on("error", end(upstream));
    upstream.on("close", end(client)).on("error", end(client));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const dropAll = () => {
    for (const p of pairs) for (const sock of p) sock.destroy();
    pairs.clear();
  };
  return {
    port: (server.address() as { port: number }).port,
    traffic,
    reset: () => {
      traffic.bytes.up = traffic.bytes.down = 0;
      traffic.packets.clear();
    },
    cut: (mode) => {
      state = mode;
      // A blackholed connection is of no use once the radio is back (the bridge's keepalive
      // has given up on it): it is closed when the link is restored.
      if (mode === "refuse") dropAll();
    },
    restore: () => {
      if (state === "blackhole") dropAll();
      state = "up";
    },
    close: async () => {
      dropAll();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The lines of a shipped file whose first word is one of `keys` (so a test runs what ships). */
export function shippedLines(file: string, keys: string[]): string[] {
  return readFileSync(join(CONFIG, file), "utf8")
    .split("\n")
    .filter((l) => keys.includes(l.split(/\s+/)[0] ?? ""));
}

/**
 * config/mosquitto/<profile> for this gateway, pointed at the proxy on loopback: the address,
 * and without the TLS and credential lines (the test's fleet broker is plain TCP); every topic
 * line, the sessions and notifications as shipped. `keepaliveS` shortens the keepalive so a
 * silent cut is noticed within a test's time.
 */
export function bridgeConf(profile: string, gatewayId: string, proxyPort: number, keepaliveS?: number): string[] {
  const drop =
    /^(address|bridge_cafile|bridge_capath|bridge_certfile|bridge_keyfile|remote_username|remote_password|bridge_insecure)\b/;
  const lines = readFileSync(join(CONFIG, profile), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#") && !drop.test(l))
    .map((l) => l.replaceAll("gw-0001", gatewayId))
    .map((l) => (keepaliveS !== undefined && l.startsWith("keepalive_interval") ? `keepalive_interval ${keepaliveS}` : l))
    .map((l) => (l.startsWith("restart_timeout") ? "restart_timeout 1 2" : l));
  const at = lines.findIndex((l) => l.startsWith("connection "));
  return [...lines.slice(0, at + 1), `address 127.0.0.1:${proxyPort}`, ...lines.slice(at + 1)];
}

export interface FleetPair {
  local: TestBroker;
  fleet: TestBroker;
  proxy: CountingProxy;
  close(): Promise<void>;
}

/**
 * Two real mosquitto brokers: the gateway's local one, with the shipped persistence settings
 * (local.conf) and a shipped bridge profile, and a "fleet" broker behind a counting proxy.
 */
export async function fleetPair(gatewayId: string, o: { profile?: string; keepaliveS?: number } = {}): Promise<FleetPair> {
  const fleet = await startBroker({ extra: (dir) => ["log_type all", `log_dest file ${dir}/fleet.log`] });
  const proxy = await countingProxy(fleet.port);
  const persistence = shippedLines("local.conf", [
    "autosave_on_changes",
    "autosave_interval",
    "max_queued_messages",
    "max_queued_bytes",
  ]);
  const local = await startBroker({
    extra: (dir) => [
      "log_type all",
      `log_dest file ${dir}/local.log`,
      ...persistence,
      ...bridgeConf(o.profile ?? "bridge.conf", gatewayId, proxy.port, o.keepaliveS),
    ],
  });
  return {
    local,
    fleet,
    proxy,
    close: async () => {
      await local.close();
      await proxy.close();
      await fleet.close();
    },
  };
}
