import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../helpers/broker.js";
import { cleanEnv, exited, runDaemon } from "../helpers/daemon-proc.js";
import { notifySocket } from "../helpers/notify-socket.js";
import { waitFor } from "../helpers/pty-modem.js";

// systemd's side of Type=notify, played by a small sd_notify listener: with the broker broken or
// absent at boot, READY=1 must still come (within the unit's TimeoutStartSec, else systemd kills
// and, with Restart=always, restarts cellgate in a loop, cutting the SMS diagnostics path exactly
// when it is needed), and the watchdog must keep being fed.
const HAS_SYSTEMD_NOTIFY = spawnSync("systemd-notify", ["--version"]).error === undefined;
if (!HAS_SYSTEMD_NOTIFY) console.log("[skipped] systemd-notify is not installed here: READY with a broken broker is not checked");

const UNIT = readFileSync(join(import.meta.dirname, "../../systemd/cellgate.service"), "utf8");
const unitSeconds = (key: string) => Number(new RegExp(`^${key}=(\\d+)$`, "m").exec(UNIT)?.[1]);
const TIMEOUT_START_MS = unitSeconds("TimeoutStartSec") * 1000;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A "broker" that accepts TCP and never answers CONNECT: a mosquitto wedged at boot. */
async function mutedBroker(): Promise<number> {
  const sockets: Socket[] = [];
  const s: Server = createServer((c) => void sockets.push(c.on("error", () => {})));
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => {
    for (const c of sockets) c.destroy();
    return new Promise((r) => s.close(r));
  });
  return (s.address() as { port: number }).port;
}

describe.runIf(HAS_SYSTEMD_NOTIFY)("READY=1 means cellgate is up, whatever the broker does", () => {
  it.each([
    ["absent (connection refused)", freePort],
    ["broken (accepts, never answers CONNECT)", mutedBroker],
  ])(
    "broker %s: READY=1 within TimeoutStartSec, the watchdog fed after it, no exit",
    async (_name, broker) => {
      expect(TIMEOUT_START_MS).toBeGreaterThan(0);
      const notify = await notifySocket();
      cleanups.push(() => notify.close());
      const dir = mkdtempSync(join(tmpdir(), "cellgate-ready-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const config = join(dir, "cellgate.yaml");
      writeFileSync(
        config,
        [
          "gateway:\n  id: ready-gw",
          // No modem either: being looked for is part of doing its job.
          `modem:\n  port: ${join(dir, "no-modem-yet")}\n  pollS: 2`,
          `mqtt:\n  url: mqtt://127.0.0.1:${await broker()}\n  keepaliveS: 5`,
          "api:\n  provider: none",
          `state:\n  dir: ${join(dir, "state")}`,
          `control:\n  socket: ${join(dir, "control.sock")}`,
          "log:\n  level: info\n",
        ].join("\n"),
      );
      const out = { logs: "" };
      // As systemd runs it: the notification socket, and a watchdog (2 s here; WatchdogSec= in the unit).
      const daemon: ChildProcess = runDaemon(config, cleanEnv({ NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: "2000000" }), out);
      cleanups.push(async () => {
        if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill("SIGTERM");
        await exited(daemon);
      });
      const ready = () => notify.messages.findIndex((m) => m.split("\n").includes("READY=1"));
      await waitFor(() => ready() >= 0 || daemon.exitCode !== null, TIMEOUT_START_MS, "READY=1 within TimeoutStartSec");
      expect(daemon.exitCode, out.logs.slice(-2000)).toBeNull();
      expect(notify.messages[ready()]).toMatch(/STATUS=health=\S+ .*mqtt=down/);
      // After READY, systemd restarts the service only if it exits or stops feeding the watchdog.
      const pingsAfterReady = () => notify.messages.slice(ready()).filter((m) => m === "WATCHDOG=1").length;
      await waitFor(() => pingsAfterReady() >= 3 || daemon.exitCode !== null, 30_000, "watchdog pings after READY");
      expect(daemon.exitCode).toBeNull();
      expect(notify.messages.filter((m) => m.includes("READY=1"))).toHaveLength(1);
      expect(out.logs).not.toContain('"msg":"MQTT connected"'); // it came up without the broker
    },
    TIMEOUT_START_MS + 60_000,
  );
});
