import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The CLI as an operator runs it: separate processes, the simulator on a pty, the engine
// opening it with the real serialport binding.
const run = promisify(execFile);
const CLI = ["--import", "tsx", join(import.meta.dirname, "../../src/cli/main.ts")];

async function cellgate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: { ...process.env, CELLGATE_MODEM_PORT: "" } });
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
    for (let i = 0; !existsSync(link) || !banner.includes("Ctrl-C"); i++) {
      if (i > 300) throw new Error(`simulator did not start: ${banner}`);
      await new Promise((r) => setTimeout(r, 20));
    }
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
    expect(j.modem.identity).toMatchObject({ manufacturer: "Quectel", model: "EC25", imei: "866834040123452", iccid: "8988307000012345678" });
    expect(j.modem.signal).toMatchObject({ rssiDbm: -71, rsrpDbm: -95 });
    expect(j.modem.registration).toMatchObject({ eps: { state: "roaming", tac: 0x2d18 } });
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
    [["at", "AT"], 64, /no modem port/],
    [["at", "--port", "/dev/null", "--timeout", "soon", "AT"], 64, /--timeout must be an integer/],
    [["at", "--port", "/dev/nonexistent-tty", "AT"], 2, /CG_ERR_LINK_OPEN: cannot open \/dev\/nonexistent-tty/],
    [["simulate", "modem", "--link", "/tmp/x.pty", "--personality", "nokia"], 64, /--personality must be quectel or simcom/],
    [["frobnicate"], 64, /unknown command/],
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

describe("cellgate demo", () => {
  it("runs on embedded defaults, reports a healthy simulated modem and stops cleanly", async () => {
    const r = await cellgate("demo", "--duration", "3");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/simulated Quectel EC25 on .*modem\.pty \(pty via (socat|python)\)/);
    expect(r.stdout).toMatch(/port open: /);
    expect(r.stdout).toMatch(/modem: Quectel EC25 rev EC25EFAR06A03M4G, IMEI 866834040123452/);
    expect(r.stdout).toMatch(/health OK \| roaming/);
    expect(r.stdout).toMatch(/demo stopped/);
  });
});
