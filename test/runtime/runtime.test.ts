import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CellgateError, ManualClock } from "../../src/core/index.js";
import {
  ClockSync,
  ControlServer,
  controlRequest,
  Notifier,
  TimeKeeper,
  type Runner,
  type SyncReading,
} from "../../src/runtime/index.js";
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
  it("synced when the kernel says so; else the modem's network time; else unsynced", () => {
    const clock = new ManualClock(Date.parse("2026-11-26T12:00:00Z"));
    let reading: SyncReading = { state: "unsynced", via: "timedatectl: NTPSynchronized=no" };
    const t = new TimeKeeper({ clock, sync: { current: () => reading } });
    expect(t.stamp()).toEqual({ ts: "2026-11-26T12:00:00.000Z", clock: "unsynced" });
    t.setNetworkTime("2026-11-26T12:00:05+01:00"); // the modem says 11:00:05Z: the system clock is an hour ahead
    expect(t.stamp()).toEqual({ ts: "2026-11-26T11:00:05.000Z", clock: "network" });
    t.setNetworkTime("1980-01-06T00:00:00Z"); // a modem that never got NITZ: ignored
    expect(t.stamp().ts).toBe("2026-11-26T11:00:05.000Z");
    reading = { state: "synced", via: "timedatectl: NTPSynchronized=yes" };
    expect(t.stamp()).toEqual({ ts: "2026-11-26T12:00:00.000Z", clock: "synced" });
    expect(t.sync()).toBe(reading);
  });
});

describe("ClockSync: the kernel's synchronisation state", () => {
  const answers = (r: Awaited<ReturnType<Runner>>) => {
    const calls: string[][] = [];
    const run: Runner = (file, args) => (calls.push([file, ...args]), Promise.resolve(r));
    return { run, calls };
  };
  const absent = join(dir, "no-marker");

  it.each<[string, Awaited<ReturnType<Runner>>, SyncReading]>([
    // chrony or ntpd keeping time: no timesyncd marker, but the kernel (through timedated) says synchronised.
    [
      "timedatectl says yes",
      { code: 0, stdout: "yes\n", stderr: "" },
      { state: "synced", via: "timedatectl: NTPSynchronized=yes" },
    ],
    [
      "timedatectl says no",
      { code: 0, stdout: "no\n", stderr: "" },
      { state: "unsynced", via: "timedatectl: NTPSynchronized=no" },
    ],
    [
      "no timedatectl",
      { code: null, stdout: "", stderr: "", error: "ENOENT" },
      { state: "unknown", via: "timedatectl could not tell (ENOENT)" },
    ],
    [
      "no systemd as init (a container)",
      {
        code: 1,
        stdout: "",
        stderr:
          "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
      },
      { state: "unknown", via: "timedatectl could not tell (Failed to connect to bus: Host is down)" },
    ],
  ])("%s", async (_name, answer, want) => {
    const { run, calls } = answers(answer);
    const s = new ClockSync({ run, marker: absent });
    expect(s.current()).toEqual({ state: "unknown", via: "not read yet" });
    expect(await s.refresh()).toEqual(want);
    expect(s.current()).toEqual(want);
    expect(calls).toEqual([["timedatectl", "show", "--property=NTPSynchronized", "--value"]]);
  });

  it("timesyncd's marker is a yes when timedatectl cannot answer; never a no when it is missing", async () => {
    const marker = join(dir, "synchronized-marker");
    writeFileSync(marker, "");
    const s = new ClockSync({ run: answers({ code: null, stdout: "", stderr: "", error: "ENOENT" }).run, marker });
    expect(await s.refresh()).toEqual({ state: "synced", via: `systemd-timesyncd (${marker})` });
  });

  it("asks once per maxAgeMs, one question at a time", async () => {
    const clock = new ManualClock(0);
    const { run, calls } = answers({ code: 0, stdout: "no\n", stderr: "" });
    const s = new ClockSync({ run, clock, marker: absent, maxAgeMs: 60_000 });
    await Promise.all([s.refresh(), s.refresh()]);
    await s.refresh();
    expect(calls).toHaveLength(1);
    clock.advance(60_000);
    await s.refresh();
    expect(calls).toHaveLength(2);
  });

  it("reads a real timedatectl's answer (a stand-in program on the path given)", async () => {
    const bin = join(dir, "timedatectl");
    writeFileSync(bin, '#!/bin/sh\n[ "$1 $2 $3" = "show --property=NTPSynchronized --value" ] && echo yes\n');
    chmodSync(bin, 0o755);
    expect(await new ClockSync({ timedatectl: bin, marker: absent }).refresh()).toEqual({
      state: "synced",
      via: "timedatectl: NTPSynchronized=yes",
    });
    expect((await new ClockSync({ timedatectl: join(dir, "nothing-here"), marker: absent }).refresh()).state).toBe("unknown");
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
