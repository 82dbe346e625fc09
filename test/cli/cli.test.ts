import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONALITIES } from "../../src/sim/modem/index.js";
import { waitFor } from "../helpers/pty-modem.js";

const EC25 = PERSONALITIES["quectel-ec25"]!;

// The CLI as an operator runs it: separate processes, the simulator on a pty, the engine
// opening it with the real serialport binding.
const run = promisify(execFile);
const CLI = ["--import", "tsx", join(import.meta.dirname, "../../src/cli/main.ts")];

async function cellgate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cellgateWith({}, ...args);
}

async function cellgateWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], {
      env: { ...process.env, CELLGATE_MODEM_PORT: "", CELLGATE_COMMAND_KEY: "", CREDENTIALS_DIRECTORY: "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("cellgate CLI against `cellgate simulate modem`", () => {
  let dir: string;
  let link: string;
  let sim: ChildProcess;
  let banner = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cellgate-cli-"));
    link = join(dir, "modem.pty");
    sim = spawn(process.execPath, [...CLI, "simulate", "modem", "--link", link], { stdio: ["ignore", "pipe", "inherit"] });
    sim.stdout!.on("data", (b: Buffer) => (banner += b.toString()));
    await waitFor(() => existsSync(link) && banner.includes("Ctrl-C"), 45_000, "the simulator to start");
    console.log(`[real parts] ${banner.trim()}`);
  });

  afterAll(async () => {
    sim.kill("SIGTERM");
    await new Promise((r) => sim.once("exit", r));
    expect(existsSync(link)).toBe(false); // the simulator removes its link on SIGTERM
    rmSync(dir, { recursive: true, force: true });
  });

  it("`cellgate at --port PATH AT+CSQ` prints +CSQ and OK", async () => {
    const r = await cellgate("at", "--port", link, "AT+CSQ");
    expect(r).toMatchObject({ code: 0, stdout: "+CSQ: 21,99\nOK\n" });
  });

  it("`cellgate at` prints every line of a compound command's reply", async () => {
    // Quectel's manual: commands joined by ";" answer in order with one final result (a roaming SIM: 0,5).
    const r = await cellgate("at", "--port", link, "AT+CSQ;+CREG?;+CGATT?");
    expect(r).toMatchObject({ code: 0, stdout: "+CSQ: 21,99\n+CREG: 0,5\n+CGATT: 1\nOK\n" });
  });

  it("`cellgate at` prints the modem's error and exits 1", async () => {
    const r = await cellgate("at", "--port", link, "AT+NOSUCH");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("ERROR\n");
    expect(r.stderr).toContain("CG_ERR_AT_ERROR");
  });

  it("`cellgate status --port PATH --json` prints identity, signal and registration", async () => {
    const r = await cellgate("status", "--port", link, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { modem: Record<string, never> };
    expect(j.verdict).toBe("ok");
    expect(j.modem.identity).toMatchObject({
      manufacturer: "Quectel",
      model: "EC25",
      imei: EC25.imei,
      iccid: "8988307000012345678",
    });
    expect(j.modem.signal).toMatchObject({ rssiDbm: -71, rsrpDbm: -95 });
    expect(j.modem.registration).toMatchObject({ eps: { state: "roaming", tac: 0x2d18 } });
  });

  it("with no daemon answering and no --port, `at` and `status` open the first existing port of the config's modem.port", async () => {
    const config = join(dir, "cellgate.yaml");
    writeFileSync(config, `modem:\n  port: [${join(dir, "absent-tty")}, ${join(dir, "modem.p*")}]\n`);
    const env = { CELLGATE_CONFIG: config, CELLGATE_CONTROL_SOCKET: join(dir, "no-daemon.sock") };
    expect(await cellgateWith(env, "at", "AT+CSQ")).toMatchObject({ code: 0, stdout: "+CSQ: 21,99\nOK\n" });
    const r = await cellgateWith(env, "status", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ port: link, verdict: "ok" });

    writeFileSync(config, `modem:\n  port: ${join(dir, "absent-*")}\n`);
    const none = await cellgateWith(env, "at", "AT");
    expect(none.code).toBe(69);
    expect(none.stderr).toContain(`no cellgate daemon on ${join(dir, "no-daemon.sock")}`);
    expect(none.stderr).toContain(`no modem port found at ${join(dir, "absent-*")} (modem.port)`);
  });

  it("`cellgate send` sends an MO Command to 2936 and prints the message reference", async () => {
    const r = await cellgate("send", "--port", link, "status ok");
    expect(r).toMatchObject({ code: 0, stdout: "sent to 2936: message reference 1 (gsm7, 9 characters, 1 attempt)\n" });
    const j = await cellgate("send", "--port", link, "--product", "super-sim", "--binary", "AAEC/w==", "--json");
    expect(JSON.parse(j.stdout)).toMatchObject({ to: "000", encoding: "8bit", mr: 2 });
  });

  it("`cellgate send` refuses a Command that does not fit one SMS before sending anything", async () => {
    const r = await cellgate("send", "--port", link, "x".repeat(161));
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/CG_ERR_PDU_ENCODE: 161 GSM 7-bit characters do not fit one SMS \(160\)/);
  });

  it("`cellgate send` says why extension-table characters count double", async () => {
    const r = await cellgate("send", "--port", link, "{".repeat(81));
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^cellgate: CG_ERR_PDU_ENCODE: 162 GSM 7-bit characters do not fit one SMS \(160\): /);
    expect(r.stderr).toContain(
      "the text has 81 characters, 81 of them ({) from the GSM 7-bit extension table, which takes two septets each",
    );
  });

  it("`cellgate at --port P --trace` shows the bytes on stderr", async () => {
    const r = await cellgate("at", "--port", link, "--trace", "AT+CSQ");
    expect(r).toMatchObject({ code: 0, stdout: "+CSQ: 21,99\nOK\n" });
    expect(r.stderr).toContain("> AT+CSQ\\r");
    expect(r.stderr).toMatch(/< .*\+CSQ: 21,99/);
  });

  it("`cellgate status` in human form", async () => {
    const r = await cellgate("status", "--port", link);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: OK/);
    expect(r.stdout).toMatch(/pass +registration +roaming/);
  });
});

describe("cellgate CLI: bad input gets a clear error", () => {
  it.each([
    [["at", "AT"], 69, /^cellgate: CG_ERR_CONTROL_UNREACHABLE: no cellgate daemon on .*pass --port PATH/],
    [["at", "--port", "/dev/null", "--timeout", "soon", "AT"], 64, /--timeout must be an integer/],
    [["at", "--port", "/dev/nonexistent-tty", "AT"], 69, /^cellgate: CG_ERR_LINK_OPEN: cannot open \/dev\/nonexistent-tty/],
    [
      ["simulate", "modem", "--link", "/tmp/x.pty", "--personality", "nokia"],
      64,
      /no simulated modem "nokia"; known: quectel, simcom, quectel-ec25/,
    ],
    [["frobnicate"], 64, /unknown command/],
    [["send", "--port", "/dev/null", "--binary", "not base64!"], 64, /--binary is not valid base64/],
    [["send", "--port", "/dev/null", "hi", "--binary", "AA=="], 64, /not both/],
    [["send", "--port", "/dev/null", "--product", "nb-iot", "hi"], 64, /--product must be programmable-wireless or super-sim/],
    // The input is judged before any port is opened: the missing port is not what is reported.
    [["send", "--port", "/dev/nonexistent-tty", "x".repeat(200)], 64, /CG_ERR_PDU_ENCODE: 200 GSM 7-bit characters/],
  ])("cellgate %j exits %i", async (args, code, message) => {
    const r = await cellgate(...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it("status of a port that is not there: down, exit 2, the modem check says why", async () => {
    const r = await cellgate("status", "--port", "/dev/nonexistent-tty", "--json");
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout) as { verdict: string; checks: Array<{ id: string; status: string; hint?: string }> };
    expect(j.verdict).toBe("down");
    expect(j.checks[0]).toMatchObject({ id: "modem", status: "fail" });
  });
});

describe("`cellgate config check` and the environment", () => {
  it("reports a misspelt CELLGATE_ variable as a problem, with the variable it was meant to be", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-envcheck-"));
    try {
      const config = join(dir, "cellgate.yaml");
      writeFileSync(config, "gateway:\n  id: gw-env\n");
      const r = await cellgateWith({ CELLGATE_MQTT_ULR: "mqtt://broker:1883" }, "config", "check", "--config", config);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("  CELLGATE_MQTT_ULR: not a cellgate variable, ignored (did you mean CELLGATE_MQTT_URL?)\n");
      const j = await cellgateWith({ CELLGATE_MQTT_ULR: "mqtt://broker:1883" }, "config", "check", "--config", config, "--json");
      expect(JSON.parse(j.stdout)).toMatchObject({
        error: {
          code: "CG_ERR_CONFIG_INVALID",
          problems: [{ path: "CELLGATE_MQTT_ULR", message: expect.stringContaining("CELLGATE_MQTT_URL") as string }],
        },
      });
      expect((await cellgateWith({ CELLGATE_MQTT_URL: "mqtt://broker:1883" }, "config", "check", "--config", config)).code).toBe(
        0,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("papercuts", () => {
  it("`at --trace` through a running daemon refuses clearly (the daemon owns the port's bytes)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-trace-"));
    const sock = join(dir, "control.sock");
    const server = createServer((c) => c.end());
    await new Promise<void>((r) => server.listen(sock, () => r()));
    try {
      for (const cmd of [["at", "AT"], ["status"], ["send", "hi"]]) {
        const r = await cellgate(...cmd, "--socket", sock, "--trace");
        expect(r.code, cmd.join(" ")).toBe(64);
        expect(r.stderr).toMatch(
          new RegExp(
            "^cellgate: CG_ERR_CLI_USAGE: --trace shows the bytes on a port this command opens, but the daemon on .* " +
              "owns the modem: run without --trace, or stop the daemon and pass --port PATH\\n$",
          ),
        );
      }
    } finally {
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("`pdu decode` takes hex with spaces, quoted or not, as modems and logs print it", async () => {
    const spaced =
      "07 91 13 26 04 00 00 F0 04 0B 91 13 46 61 00 89 F6 00 00 20 80 62 91 73 14 08 0C C8 F7 1D 14 96 97 41 F9 77 FD 07";
    for (const args of [[spaced], spaced.split(" "), [spaced.toLowerCase().replace(/ /g, "\n")]]) {
      const r = await cellgate("pdu", "decode", ...args, "--json");
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ sender: "+31641600986", text: "How are you?" });
    }
  });

  it("`sign reboot` without the confirmation word is refused before anything is signed; `reboot CONFIRM` is signed", async () => {
    const key = { CELLGATE_COMMAND_KEY: "correct horse battery staple 42!" };
    const bare = await cellgateWith(key, "sign", "reboot");
    expect(bare.code).toBe(64);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toMatch(/^cellgate: CG_ERR_COMMAND_SIGN: reboot needs the confirmation token: sign "reboot CONFIRM"/);
    expect((await cellgateWith(key, "sign", "ping")).stderr).toMatch(/CG_ERR_COMMAND_SIGN: ping: usage: ping HOST \[PORT\]/);
    expect((await cellgateWith(key, "sign", "status now")).stderr).toMatch(
      /CG_ERR_COMMAND_SIGN: status: status takes no arguments/,
    );
    const ok = await cellgateWith(key, "sign", "reboot CONFIRM");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^reboot CONFIRM #[0-9a-z]{6}\.[\w-]{22}\n$/);
  });
});

describe("cellgate sign", () => {
  it("prints the signed text for the key in --key-file; refuses without a usable key, an unknown verb, a bad --at", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-sign-"));
    try {
      const key = join(dir, "command-key");
      writeFileSync(key, "correct horse battery staple 42!\n");
      // The vector of test/commands/signature.test.ts, computed independently.
      expect(await cellgate("sign", "status", "--key-file", key, "--at", "2025-11-26T23:33:20Z")).toEqual({
        code: 0,
        stdout: "status #t6cxfk.Bc6IlLzcwDOBesrhGGlGIw\n",
        stderr: "",
      });
      expect(
        await cellgate("sign", "status", "--key-file", key, "--at", "2025-11-26T23:33:20Z", "--request-id", "k3f9x"),
      ).toEqual({
        code: 0,
        stdout: "status #t6cxfk.k3f9x.yowNzhbOOjIAQ7E2WcInSQ\n",
        stderr: "",
      });
      expect((await cellgate("sign", "status")).stderr).toMatch(
        /^cellgate: CG_ERR_COMMAND_KEY: no command key: pass --key-file, or set CELLGATE_COMMAND_KEY\n$/,
      );
      writeFileSync(key, "short\n");
      expect(await cellgate("sign", "status", "--key-file", key)).toMatchObject({
        code: 78,
        stderr: expect.stringMatching(/^cellgate: CG_ERR_COMMAND_KEY: the command key from .*command-key has 5 bytes/) as string,
      });
      expect(await cellgate("sign", "format c:", "--key-file", key)).toMatchObject({
        code: 64,
        stderr: expect.stringMatching(/^cellgate: CG_ERR_COMMAND_SIGN: "format" is not a verb/) as string,
      });
      expect(await cellgate("sign", "status", "--key-file", key, "--at", "yesterday")).toMatchObject({
        code: 64,
        stderr: expect.stringMatching(/^cellgate: CG_ERR_CLI_USAGE: --at "yesterday"/) as string,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cellgate demo", () => {
  it("runs the daemon on embedded defaults; `cellgate status --json` reaches it; it stops cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-demo-test-"));
    // cellgate's own log shown (info), to see that even then the demo prints no raw JSON line.
    const demo = spawn(process.execPath, [...CLI, "demo", "--duration", "60", "--state-dir", dir, "--api-port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CELLGATE_LOG_LEVEL: "info" },
    });
    let out = "";
    let err = "";
    demo.stdout.on("data", (b: Buffer) => (out += b.toString()));
    demo.stderr.on("data", (b: Buffer) => (err += b.toString()));
    try {
      for (let i = 0; !out.includes("mqtt health:"); i++) {
        if (i > 1000 || demo.exitCode !== null) throw new Error(`demo did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(out).toMatch(/simulated Quectel EC25 on .*modem\.pty \(pty via (socat|python)\)/);
      expect(out).toMatch(/simulated Wireless API on http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/MQTT broker embedded \(aedes\) at mqtt:\/\/127\.0\.0\.1:\d+/);
      expect(out).toContain(`modem: Quectel EC25 rev ${EC25.revision}, IMEI ${EC25.imei}`);
      expect(out).toMatch(/mqtt health: health (OK|DEGRADED)/);
      const r = await cellgate("status", "--json", "--socket", join(dir, "control.sock"));
      const j = JSON.parse(r.stdout) as { verdict: string; gateway: string; checks: Array<{ id: string; status: string }> };
      expect(j.gateway).toBe("demo");
      expect(["ok", "degraded"]).toContain(j.verdict);
      expect(r.code).toBe(j.verdict === "ok" ? 0 : 1);
      expect(j.checks.map((c) => c.id)).toEqual(
        expect.arrayContaining(["modem", "registration", "carrier-sim", "carrier-plan", "usage", "mqtt", "clock"]),
      );
      // The demo's signed `status` Command (at 8 s) is verified, run, and answered through the simulated network.
      for (let i = 0; !out.includes(`the gateway's reply to 2936: "status `); i++) {
        if (i > 1000 || demo.exitCode !== null) throw new Error(`no reply to the demo's status Command: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(out).toMatch(/commands\/received: command from 2936: "status #[0-9a-z]{6}\.[\w-]{22}" auth=verified/);
      expect(out).toMatch(/command key: [0-9a-f]{32} {3}\(demo only/);
    } finally {
      demo.kill("SIGINT");
      await new Promise((r) => demo.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out).toMatch(/demo stopped/);
    expect(err).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}.+$/m); // the log was there, one readable line an entry
    expect([...out.split("\n"), ...err.split("\n")].filter((l) => l.trimStart().startsWith('{"'))).toEqual([]);
  }, 60_000);
});

describe("cellgate pdu decode", () => {
  it.each([
    [
      "a DELIVER (python-messaging pmsg-7bit)",
      ["07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"],
      {
        type: "deliver",
        smsc: "+31624000000",
        sender: "+31641600986",
        timestamp: "2002-08-26T19:37:41-00:00",
        encoding: "gsm7",
        text: "How are you?",
      },
    ],
    [
      "a bare TPDU (warthog618 w618-tpdu-haha)",
      ["040491361900005150713220052308C8303A8C0EA3C3", "--no-smsc"],
      {
        type: "deliver",
        smsc: null,
        sender: "+6391",
        timestamp: "2015-05-17T23:02:50+08:00",
        encoding: "gsm7",
        text: "Hahahaha",
      },
    ],
    [
      "an 8-bit SUBMIT (python-gsmmodem pgm-8bit-submit)",
      ["0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421"],
      { type: "submit", smsc: "+2781191", recipient: "+27821234567", encoding: "8bit", dataHex: "48656C6C6F20776F726C6421" },
    ],
    [
      "a concatenated part (node-pdu npdu-concat16-0x1234-2of3)",
      ["07919730071111F1400B919746121611F10000811170021232230C06080412340302A03A9C05"],
      {
        type: "deliver",
        smsc: "+79037011111",
        sender: "+79642161111",
        timestamp: "2018-11-07T20:21:23+08:00",
        encoding: "gsm7",
        text: " up,",
        concat: { ref: 0x1234, total: 3, part: 2 },
      },
    ],
    [
      "a status report (python-messaging pmsg-status-report)",
      ["0791538375000075061805810531F1019082416500400190824165004000"],
      { type: "status-report", smsc: "+353857000057", recipient: "50131", timestamp: "2010-09-28T14:56:00+01:00", status: 0 },
    ],
  ])("%s: exactly the contract's fields", async (_label, args, want) => {
    const r = await cellgate("pdu", "decode", ...args, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toStrictEqual(want);
  });

  it("a malformed PDU exits 1 with a one-line reason, or the error object with --json", async () => {
    const human = await cellgate("pdu", "decode", "07911614220991");
    expect(human.code).toBe(1);
    expect(human.stderr).toBe("cellgate: CG_ERR_PDU_DECODE: SMSC digits at octet 2: needs 6 octets, 5 left\n");
    const json = await cellgate("pdu", "decode", "03", "--no-smsc", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "CG_ERR_PDU_DECODE", message: "first octet at octet 0: message type indicator 3 is reserved (0x03)" },
    });
  });
});
