import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
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
  type ControlHandlers,
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

/** Handlers that record what reached them: invalid requests must never get this far. */
function recordingHandlers() {
  const calls: Array<[string, unknown]> = [];
  const handlers: ControlHandlers = {
    status: () => Promise.reject(new CellgateError("CG_ERR_LINK_OPEN", "no modem")),
    at: (p) => {
      calls.push(["at", p]);
      return p.command === "AT+NOPE"
        ? Promise.reject(new CellgateError("CG_ERR_AT_ERROR", "AT+NOPE: ERROR", { lines: [], final: "ERROR" }))
        : Promise.resolve({ lines: ["+CSQ: 21,99"], final: "OK" });
    },
    send: (p) => {
      calls.push(["send", p]);
      return Promise.resolve({ mr: 7, to: "2936", encoding: "gsm7", attempts: 1 });
    },
    // A handler that rejects with a non-Error must still be answered.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    sim: () => Promise.reject("a string, not an Error"),
    "sms/list": (p) => {
      calls.push(["sms/list", p]);
      return Promise.resolve({ messages: [] });
    },
    "sms/read": (p) => {
      calls.push(["sms/read", p]);
      return Promise.reject(new CellgateError("CG_ERR_CONTROL_REQUEST", `no message at index ${p.index}`));
    },
    "sms/delete": (p) => {
      calls.push(["sms/delete", p]);
      return Promise.resolve({ deleted: { index: p.index, memory: "ME" }, wasHandedOff: true });
    },
  };
  return { calls, handlers };
}

/** Raw lines to the socket as `printf … | socat - UNIX-CONNECT:…` would send them; the answers. */
function rawRequest(path: string, text: string, answers: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const c = createConnection(path);
    let buf = "";
    c.setEncoding("utf8");
    c.on("data", (d: string) => {
      buf += d;
      const lines = buf.split("\n").filter((l) => l !== "");
      if (lines.length >= answers) {
        c.destroy();
        resolve(lines.map((l) => JSON.parse(l) as Record<string, unknown>));
      }
    });
    c.on("error", reject);
    c.on("connect", () => c.write(text));
  });
}

describe("the control socket", () => {
  it("answers requests, passes errors with their code and detail, refuses a second daemon, replaces a stale socket", async () => {
    const path = join(dir, "control.sock");
    writeFileSync(path, ""); // left by a crash
    const { handlers } = recordingHandlers();
    const server = await ControlServer.listen(path, handlers);
    try {
      expect(await controlRequest(path, "at", { command: "AT+CSQ" })).toEqual({ lines: ["+CSQ: 21,99"], final: "OK" });
      await expect(controlRequest(path, "at", { command: "AT+NOPE" })).rejects.toMatchObject({
        code: "CG_ERR_AT_ERROR",
        message: "AT+NOPE: ERROR",
        detail: { final: "ERROR" },
      });
      await expect(controlRequest(path, "sim", {})).rejects.toMatchObject({
        code: "CG_ERR_CONTROL_REQUEST",
        message: "a string, not an Error",
      });
      await expect(ControlServer.listen(path, handlers)).rejects.toThrow(/another cellgate daemon already listens/);
    } finally {
      await server.close();
    }
    await expect(controlRequest(path, "status", {})).rejects.toMatchObject({ code: "CG_ERR_CONTROL_UNREACHABLE" });
  });

  it("closing hangs up on a client that stays connected, rather than waiting for it to leave", async () => {
    const path = join(dir, "idle.sock");
    const server = await ControlServer.listen(path, recordingHandlers().handlers);
    const idle = createConnection(path);
    await new Promise((r) => idle.once("connect", r));
    const hungUp = new Promise((r) => idle.once("close", r));
    await server.close();
    await hungUp;
    expect(idle.destroyed).toBe(true);
  });

  it("every malformed request is answered with a coded error and never reaches a handler; the server keeps serving", async () => {
    const path = join(dir, "abuse.sock");
    const { calls, handlers } = recordingHandlers();
    const server = await ControlServer.listen(path, handlers);
    try {
      const bad: Array<[string, RegExp]> = [
        ["null", /must be \{"method"/],
        ["[]", /must be \{"method"/],
        ['"status"', /must be \{"method"/],
        ["{}", /method/],
        ["{ torn", /not JSON/],
        ['{"method":"reboot"}', /unknown method "reboot" \(status, at, send, sim, sms\/list, sms\/read, sms\/delete\)/],
        ['{"method":"toString"}', /unknown method/],
        ['{"method":"__proto__"}', /unknown method/],
        ['{"method":"at","params":null}', /at: /],
        ['{"method":"at","params":{"command":42}}', /at: command: /],
        ['{"method":"send","params":{"text":""}}', /send: text: text is empty/],
        ['{"method":"send","params":{"data":"!!!notbase64"}}', /send: data: data is not strict base64/],
        ['{"method":"send","params":{"data":"QR=="}}', /not strict base64/],
        ['{"method":"send","params":{"text":"a","data":"QQ=="}}', /exactly one of text or data/],
        ['{"method":"send","params":{}}', /exactly one of text or data/],
        ['{"method":"status","params":{"x":1}}', /status: .*x/],
        ['{"method":"status","extra":1}', /must be \{"method"/],
      ];
      const answers = await rawRequest(path, bad.map(([l]) => `${l}\n`).join(""), bad.length);
      expect(answers).toHaveLength(bad.length);
      for (const [i, [line, why]] of bad.entries()) {
        expect(answers[i], line).toMatchObject({ ok: false, error: { code: "CG_ERR_CONTROL_REQUEST" } });
        expect((answers[i]!.error as { message: string }).message, line).toMatch(why);
      }
      expect(calls).toEqual([]);
      // A line longer than the limit is refused and the connection closed; the server still serves.
      const long = await rawRequest(path, "x".repeat(70 * 1024), 1);
      expect(long[0]).toMatchObject({ ok: false, error: { message: expect.stringMatching(/longer than/) as string } });
      // A client that hangs up before its answer does not take the server down.
      const c = createConnection(path);
      await new Promise((r) => c.once("connect", r));
      c.end('{"method":"at","params":{"command":"AT+CSQ"}}\n');
      await waitFor(() => calls.length === 1, 5000, "the request to be handled");
      expect(await controlRequest(path, "send", { text: "still here" })).toMatchObject({ mr: 7 });
      expect(calls.at(-1)).toEqual(["send", { text: "still here" }]);
    } finally {
      await server.close();
    }
  });
});
