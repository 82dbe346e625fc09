import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import { ControlServer, controlRequest, Notifier, TimeKeeper } from "../../src/runtime/index.js";
import { notifySocket } from "../helpers/notify-socket.js";
import { waitFor } from "../helpers/pty-modem.js";

const dir = mkdtempSync(join(tmpdir(), "cellgate-runtime-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HAS_SYSTEMD_NOTIFY = spawnSync("systemd-notify", ["--version"]).error === undefined;
if (!HAS_SYSTEMD_NOTIFY) console.log("[skipped] systemd-notify is not installed here: the sd_notify round trip is not tested");

describe("Notifier (sd_notify through systemd-notify)", () => {
  it.runIf(HAS_SYSTEMD_NOTIFY)("sends READY with STATUS, STATUS, WATCHDOG and STOPPING to $NOTIFY_SOCKET", async () => {
    const sock = await notifySocket();
    try {
      const n = new Notifier({ env: { ...process.env, NOTIFY_SOCKET: sock.path } });
      expect(n.enabled).toBe(true);
      n.ready("health=ok mqtt=up");
      n.status("health=degraded");
      n.watchdog();
      n.stopping();
      await waitFor(() => sock.messages.length === 4, 10_000, "four notifications");
      expect(sock.messages).toEqual(["READY=1\nSTATUS=health=ok mqtt=up", "STATUS=health=degraded", "WATCHDOG=1", "STOPPING=1"]);
    } finally {
      sock.close();
    }
  });

  it("does nothing outside systemd, and reads the watchdog period only when it is ours", () => {
    const n = new Notifier({ env: {} });
    expect(n.enabled).toBe(false);
    n.ready("x"); // no socket: no child spawned, nothing thrown
    expect(new Notifier({ env: { WATCHDOG_USEC: "60000000" } }).watchdogMs()).toBe(60_000);
    expect(new Notifier({ env: { WATCHDOG_USEC: "60000000", WATCHDOG_PID: String(process.pid + 1) } }).watchdogMs()).toBeNull();
    expect(new Notifier({ env: {} }).watchdogMs()).toBeNull();
  });
});

describe("TimeKeeper", () => {
  it("synced when timesyncd's marker exists; else the modem's network time; else unsynced", () => {
    const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
    const marker = join(dir, "synchronized");
    const t = new TimeKeeper({ clock, syncedMarkers: [marker] });
    expect(t.stamp()).toEqual({ ts: "2026-11-26T12:00:00.000Z", clock: "unsynced" });
    t.setNetworkTime("2026-11-26T12:00:05+01:00"); // the modem says 11:00:05Z: the system clock is an hour ahead
    expect(t.stamp()).toEqual({ ts: "2026-11-26T11:00:05.000Z", clock: "network" });
    t.setNetworkTime("1980-01-06T00:00:00Z"); // a modem that never got NITZ: ignored
    expect(t.stamp().ts).toBe("2026-11-26T11:00:05.000Z");
    writeFileSync(marker, "");
    expect(t.stamp()).toEqual({ ts: "2026-11-26T12:00:00.000Z", clock: "synced" });
  });
});

describe("the control socket", () => {
  it("answers requests, passes errors with their code and detail, refuses a second daemon, replaces a stale socket", async () => {
    const path = join(dir, "control.sock");
    writeFileSync(path, ""); // left by a crash
    const server = await ControlServer.listen(path, (method, params) => {
      if (method === "echo") return Promise.resolve(params);
      return Promise.reject(new CellgateError("CG_ERR_AT_ERROR", "AT+NOPE: ERROR", { lines: [], final: "ERROR" }));
    });
    try {
      expect(await controlRequest(path, "echo", { a: 1 })).toEqual({ a: 1 });
      await expect(controlRequest(path, "at", {})).rejects.toMatchObject({
        code: "CG_ERR_AT_ERROR",
        message: "AT+NOPE: ERROR",
        detail: { final: "ERROR" },
      });
      await expect(ControlServer.listen(path, () => Promise.resolve(null))).rejects.toThrow(
        /another cellgate daemon already listens/,
      );
    } finally {
      await server.close();
    }
    await expect(controlRequest(path, "echo")).rejects.toMatchObject({ code: "CG_ERR_CONTROL_UNREACHABLE" });
  });
});
