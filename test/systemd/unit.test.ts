import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { connect } from "mqtt";
import { describe, expect, it } from "vitest";
import { startBroker, subscriber } from "../helpers/broker.js";

const root = join(import.meta.dirname, "../..");
const has = (bin: string) => spawnSync(bin, ["--version"]).error === undefined;
const HAS_ANALYZE = has("systemd-analyze");
const HAS_PPPD = spawnSync("/usr/sbin/pppd", ["--version"]).error === undefined;
const HAS_MOSQUITTO = spawnSync("mosquitto", ["-h"]).error === undefined;
console.log(
  HAS_ANALYZE
    ? "[real parts] systemd-analyze verify (systemd installed here)"
    : "[skipped] systemd-analyze is not installed here: the unit is not verified",
);

describe("systemd/cellgate.service", () => {
  it.runIf(HAS_ANALYZE)("passes `systemd-analyze verify`", () => {
    const r = spawnSync("systemd-analyze", ["verify", join(root, "systemd/cellgate.service")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("is Type=notify with the watchdog, credentials, the tty device groups and a non-root user", () => {
    const unit = readFileSync(join(root, "systemd/cellgate.service"), "utf8");
    for (const line of [
      "Type=notify",
      "NotifyAccess=all",
      "WatchdogSec=60",
      "User=cellgate",
      "SupplementaryGroups=dialout",
      "StateDirectory=cellgate",
      "RuntimeDirectory=cellgate",
      "DevicePolicy=closed",
      "DeviceAllow=char-ttyUSB rw",
      "LoadCredential=TWILIO_API_KEY:",
      "LoadCredential=COMMAND_KEY:",
      "ExecReload=/bin/kill -HUP $MAINPID",
    ]) {
      expect(unit, line).toContain(line);
    }
    expect(unit).not.toMatch(/^PrivateDevices=yes/m); // would hide the serial ports
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=yes/m); // V8's JIT aborts under it
  });

  it("runs what `npm run build` writes, where docs/install.md puts it: the package's bin under /usr/lib/cellgate", () => {
    const unit = readFileSync(join(root, "systemd/cellgate.service"), "utf8");
    const bin = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: { cellgate: string } }).bin.cellgate;
    expect(bin).toBe("dist/cli/main.js");
    expect(readFileSync(join(root, "scripts/build.ts"), "utf8")).toContain('outdir: join(root, "dist/cli")');
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node (--[\\w-]+ )*/usr/lib/cellgate/${bin} run `, "m"));
    expect(readFileSync(join(root, "docs/install.md"), "utf8")).toContain(
      "sudo cp -r dist node_modules package.json /usr/lib/cellgate/",
    );
  });
});

describe("the PPP bearer (link.bearer: ppp): systemd/cellgate-ppp.service and config/ppp/", () => {
  // verify checks that ExecStart's binary exists: pppd must be installed (`apt-get install ppp`).
  it.runIf(HAS_ANALYZE && HAS_PPPD)("the unit passes `systemd-analyze verify`", () => {
    const r = spawnSync("systemd-analyze", ["verify", join(root, "systemd/cellgate-ppp.service")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("the unit runs pppd in the foreground on the shipped peers file, restarted whenever it exits", () => {
    const unit = readFileSync(join(root, "systemd/cellgate-ppp.service"), "utf8");
    expect(unit).toMatch(/^ExecStart=\/usr\/sbin\/pppd call cellgate nodetach$/m);
    expect(unit).toMatch(/^Restart=always$/m);
  });

  // pppd parses the options file and checks each option before it needs a device or the kernel's
  // /dev/ppp: exit 2 (EXIT_OPTION_ERROR) and "In file …" name a bad option. The modem's tty does not
  // exist here (pppd takes an absent device path for an unknown option), so /dev/null stands in.
  it.runIf(HAS_PPPD)("pppd accepts every option of the peers file", () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-ppp-"));
    try {
      const peers = readFileSync(join(root, "config/ppp/cellgate"), "utf8");
      expect(peers).toMatch(/^\/dev\/serial\/by-id\/\S+-if03-port0$/m); // the modem's other tty, never cellgate's if02
      const file = join(dir, "cellgate");
      writeFileSync(file, peers.replace(/^\/dev\/serial\/by-id\/\S+$/m, "/dev/null"));
      const r = spawnSync("/usr/sbin/pppd", ["file", file, "dryrun"], { encoding: "utf8" });
      expect(r.stderr + r.stdout).not.toMatch(/In file|unrecognized option/);
      expect(r.status).not.toBe(2);
      // …and the check can fail: an option pppd does not know is refused the same way.
      writeFileSync(file, `${readFileSync(file, "utf8")}\nredial-forever\n`);
      const bad = spawnSync("/usr/sbin/pppd", ["file", file, "dryrun"], { encoding: "utf8" });
      expect(bad.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the chat script dials the context cellgate configures and gives up on a refusal", () => {
    const chat = readFileSync(join(root, "config/ppp/cellgate.chat"), "utf8");
    expect(chat).toMatch(/^OK ATD\*99\*\*\*1#$/m); // 27.007 §10.2.1.1: D*99***<cid>#, cid 1 as link.cid's default
    for (const abort of ["NO CARRIER", "ERROR", "BUSY"]) expect(chat).toContain(`ABORT "${abort}"`);
    expect(readFileSync(join(root, "config/ppp/cellgate"), "utf8")).toMatch(
      /^connect "\/usr\/sbin\/chat -v -f \/etc\/chatscripts\/cellgate"$/m,
    );
  });
});

describe("systemd/50-cellgate-reboot.rules", () => {
  // The rule file is JavaScript that polkitd runs: run it here against polkit's interface.
  const decide = (user: string, action: string): string => {
    let rule: ((a: { id: string }, s: { user: string }) => string) | undefined;
    const polkit = { Result: { YES: "yes", NO: "no", NOT_HANDLED: "not-handled" }, addRule: (f: typeof rule) => (rule = f) };
    runInNewContext(readFileSync(join(root, "systemd/50-cellgate-reboot.rules"), "utf8"), { polkit });
    return rule!({ id: action }, { user });
  };

  it("lets the cellgate user reboot the host through logind, and nothing else", () => {
    expect(decide("cellgate", "org.freedesktop.login1.reboot")).toBe("yes");
    expect(decide("cellgate", "org.freedesktop.login1.reboot-multiple-sessions")).toBe("yes");
    expect(decide("cellgate", "org.freedesktop.login1.power-off")).toBe("not-handled");
    expect(decide("cellgate", "org.freedesktop.systemd1.manage-units")).toBe("not-handled");
    expect(decide("pi", "org.freedesktop.login1.reboot")).toBe("not-handled");
  });
});

describe("config/mosquitto", () => {
  it("every bridge topic line names its QoS, QoS 1 for all but telemetry; sessions persist", () => {
    const conf = readFileSync(join(root, "config/mosquitto/bridge.conf"), "utf8");
    const topics = conf.split("\n").filter((l) => l.startsWith("topic "));
    expect(topics.length).toBeGreaterThanOrEqual(9);
    for (const t of topics) expect(t, t).toMatch(/ (out|in|both) [01]$/);
    for (const t of topics.filter((l) => !l.includes("/telemetry "))) expect(t, t).toMatch(/ 1$/);
    expect(conf).toMatch(/^cleansession false$/m);
    expect(readFileSync(join(root, "config/mosquitto/local.conf"), "utf8")).toMatch(/^persistence true$/m);
  });

  it.runIf(HAS_MOSQUITTO)("the local broker config starts mosquitto (on a test port) and refuses anonymous clients", async () => {
    const broker = await startBroker({ shipped: { users: { cellgate: "pw-c" } } });
    try {
      const anonymous = connect(broker.url, { reconnectPeriod: 0 });
      const refused = await new Promise<string>((r) => anonymous.once("error", (e) => r(e.message)));
      anonymous.end(true);
      expect(refused).toMatch(/Not authorized|Connection refused/i);
      const ok = await subscriber(broker.url, [], { username: "cellgate", password: "pw-c" });
      await ok.close();
    } finally {
      await broker.close();
    }
  });
});
