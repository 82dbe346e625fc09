import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEAN_ENV, CLI, cellgateIn } from "../helpers/cli.js";

// `cellgate simulate api` and `cellgate sim` as an operator runs them: separate processes,
// real HTTP on loopback, credentials passed only through the environment the banner prints.
const cellgate = cellgateIn;

/** Starts `cellgate simulate api` and returns the variables its banner says to export. */
async function simulateApi(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; banner: string; exports: Record<string, string>; also: Record<string, string> }> {
  const proc = spawn(process.execPath, [...CLI, "simulate", "api", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...CLEAN_ENV, ...env },
  });
  let banner = "";
  proc.stdout.on("data", (b: Buffer) => (banner += b.toString()));
  for (let i = 0; !banner.includes("# Ctrl-C stops the simulator"); i++) {
    if (i > 500 || proc.exitCode !== null) throw new Error(`API simulator did not start: ${banner}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const pairs = (re: RegExp) => Object.fromEntries([...banner.matchAll(re)].map((m) => [m[1]!, m[2]!]));
  return { proc, banner, exports: pairs(/^export (\w+)=(\S+)$/gm), also: pairs(/(?:^# or: export |\s)(\w+)=(\S+)/gm) };
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  p.kill("SIGTERM");
  await new Promise((r) => p.once("exit", r));
}

describe("`cellgate simulate api --port N` then `cellgate sim`", () => {
  let sim: Awaited<ReturnType<typeof simulateApi>>;
  beforeAll(async () => {
    sim = await simulateApi(["--port", "0"]);
    console.log(`[real parts] ${sim.banner.split("\n")[0]}`);
  });
  afterAll(() => stop(sim.proc));

  it("prints the SIM with its rate plan, this month's usage and the last data session as JSON", async () => {
    const r = await cellgate(sim.exports, "sim", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(v.sim).toMatchObject({ uniqueName: "gateway-0001", iccid: "8988307000012345678", status: "active" });
    expect(v.plan).toMatchObject({
      name: "gateway-plan",
      dataEnabled: true,
      dataLimitMb: 500,
      messagingEnabled: true,
      nationalRoamingEnabled: true,
      internationalRoaming: ["data", "messaging"],
    });
    expect(v.usage).toMatchObject({ dataBytes: 120_000_000, limitBytes: 500_000_000, percentOfLimit: 24 });
    expect(v.lastDataSession).toMatchObject({
      radioLink: "LTE",
      operatorName: "T-Mobile",
      cellId: "310-260-11544-50896642",
      open: false,
    });
    expect(v.errors).toEqual({});
  });

  it("prints the human form, with an API key or with KORE's OAuth2 client", async () => {
    const { TWILIO_ACCOUNT_SID: _sid, TWILIO_AUTH_TOKEN: _tok, ...rest } = sim.exports;
    const viaKey = await cellgate(
      { ...rest, TWILIO_API_KEY: sim.also.TWILIO_API_KEY!, TWILIO_API_SECRET: sim.also.TWILIO_API_SECRET! },
      "sim",
    );
    expect(viaKey.code).toBe(0);
    expect(viaKey.stdout).toMatch(/rate plan +gateway-plan: data on \(limit 500 MB\/month\)/);
    expect(viaKey.stdout).toMatch(/usage +120\.0 MB of 500\.0 MB \(24%\)/);
    const viaKore = await cellgate(
      {
        ...rest,
        CELLGATE_API_PROVIDER: "kore",
        KORE_CLIENT_ID: sim.also.KORE_CLIENT_ID!,
        KORE_CLIENT_SECRET: sim.also.KORE_CLIENT_SECRET!,
      },
      "sim",
    );
    expect(viaKore.code).toBe(0);
    expect(viaKore.stdout).toContain("status     active");
  });

  it("wrong credentials exit 78 with CG_ERR_API_AUTH and never echo the secret", async () => {
    const r = await cellgate({ ...sim.exports, TWILIO_AUTH_TOKEN: "definitely-not-the-token" }, "sim", "--json");
    expect(r.code).toBe(78);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "CG_ERR_API_AUTH" } });
    expect(r.stdout + r.stderr).not.toContain("definitely-not-the-token");
  });

  it("an ICCID not in the account exits 1 with CG_ERR_API_NOT_FOUND; a malformed one is a usage error, none a missing modem", async () => {
    const missing = await cellgate(sim.exports, "sim", "--iccid", "89883070000999999999", "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: "CG_ERR_API_NOT_FOUND" } });
    const { CELLGATE_SIM_ICCID: _i, ...noIccid } = sim.exports;
    const none = await cellgate(noIccid, "sim");
    expect(none.code).toBe(69);
    expect(none.stderr).toContain("--port");
    expect((await cellgate(sim.exports, "sim", "--iccid", "1234")).code).toBe(64);
    expect((await cellgate({ ...sim.exports, CELLGATE_API_PROVIDER: "att" }, "sim")).stderr).toContain(
      "provider must be twilio or kore",
    );
    const { TWILIO_AUTH_TOKEN: _t, ...noToken } = sim.exports;
    expect((await cellgate(noToken, "sim")).stderr).toContain("CG_ERR_API_CONFIG");
  });
});

describe("`cellgate simulate api` options", () => {
  it("takes the Account SID and Auth Token from the environment", async () => {
    const sid = `AC${"0123456789abcdef".repeat(2)}`;
    const s = await simulateApi(["--port", "0"], { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "tok-from-env" });
    try {
      expect(s.exports).toMatchObject({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "tok-from-env" });
      expect((await cellgate(s.exports, "sim")).code).toBe(0);
    } finally {
      await stop(s.proc);
    }
  });

  it("refuses a malformed Account SID, half the credentials, a bad port", async () => {
    const bad = await cellgate({}, "simulate", "api", "--account-sid", "ACnope", "--auth-token", "x");
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("AC followed by 32 hex digits");
    expect((await cellgate({}, "simulate", "api", "--auth-token", "x")).stderr).toContain("give both");
    expect((await cellgate({}, "simulate", "api", "--port", "70000")).code).toBe(64);
  });

  it("with --modem-link, `cellgate sim --port` reads the ICCID from the simulated modem; Super SIM too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellgate-cli-api-"));
    const link = join(dir, "modem.pty");
    const s = await simulateApi(["--port", "0", "--modem-link", link, "--product", "super-sim"]);
    try {
      expect(existsSync(link)).toBe(true);
      expect(s.exports.CELLGATE_MODEM_PORT).toBe(link);
      const r = await cellgate(s.exports, "sim", "--json");
      expect(r.code).toBe(0);
      const v = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
      expect(v.product).toBe("super-sim");
      expect(v.sim).toMatchObject({ iccid: "8988307000012345678", status: "active" });
      expect(v.plan).toMatchObject({ name: "gateways", dataLimitMb: 1000 });
    } finally {
      await stop(s.proc);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
