import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandKey } from "../../src/commands/index.js";
import { deriveGatewayKey, twilioSignature } from "../../src/remote/index.js";
import { CLEAN_ENV, CLI, cellgateIn } from "../helpers/cli.js";

// The operator's commands as an operator runs them: `cellgate simulate api --fleet N` in its own
// process, `cellgate remote …` and `cellgate key derive` against it, real HTTP on loopback,
// credentials and the fleet key only through the environment the banner prints.
const cellgate = cellgateIn;

/** A long-running cellgate command, and what it printed so far. */
function start(args: string[], env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, [...CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...CLEAN_ENV, ...env } });
  const out = { stdout: "", stderr: "" };
  proc.stdout.on("data", (b: Buffer) => (out.stdout += b.toString()));
  proc.stderr.on("data", (b: Buffer) => (out.stderr += b.toString()));
  const until = async (what: () => boolean, label: string) => {
    for (let i = 0; !what(); i++) {
      if (i > 1000 || proc.exitCode !== null) throw new Error(`${label}: ${out.stdout}${out.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { proc, out, until };
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  p.kill("SIGTERM");
  await new Promise((r) => p.once("exit", r));
}

const lines = (s: string) =>
  s
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("`cellgate simulate api --fleet 20`, then `cellgate remote`", () => {
  let sim: ReturnType<typeof start>;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = start(["simulate", "api", "--port", "0", "--fleet", "20"]);
    await sim.until(() => sim.out.stdout.includes("# Ctrl-C stops the simulator"), "the API simulator did not start");
    env = Object.fromEntries([...sim.out.stdout.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    console.log(`[real parts] ${sim.out.stdout.split("\n")[0]}`);
  });
  afterAll(() => stop(sim.proc));

  it("prints the fleet key to export with the credentials, and how the fleet behaves", () => {
    expect(env.CELLGATE_FLEET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(env.TWILIO_AUTH_TOKEN).toBeDefined();
    expect(sim.out.stdout).toMatch(
      /a fleet of 20 gateways \(gw-00001…\): 17 answer at once, 1 slowly, 0 once back from 20 s away, 1 NAK \(another key\), 1 never/,
    );
    expect(sim.out.stdout).toContain("remote status --all --filter rate-plan=fleet-plan");
  });

  it("asks two SIMs: one JSON line each, answered, with its request id; exit 0", async () => {
    const r = await cellgate(
      env,
      "remote",
      "status",
      "--sim",
      "gw-00002",
      "--sim",
      "8988307100000000003",
      "--json",
      "--poll",
      "0.2",
    );
    expect(r.code, r.stderr).toBe(0);
    const got = lines(r.stdout);
    expect(got.map((l) => [l.name, l.state, l.correlated])).toEqual(
      expect.arrayContaining([
        ["gw-00002", "answered", true],
        ["gw-00003", "answered", true],
      ]),
    );
    expect(got[0]!.reply).toMatch(/^status ok reg=roaming /);
    expect(got[0]!.requestId).toMatch(/^[0-9a-z]{5}$/);
  });

  it("asks the whole fleet: every gateway answered or reported, a table; exit 1 when some did not answer", async () => {
    const r = await cellgate(
      env,
      "remote",
      "health",
      "--all",
      "--filter",
      "rate-plan=fleet-plan",
      "--timeout",
      "8",
      "--poll",
      "0.3",
    );
    expect(r.code, r.stderr).toBe(1);
    const rows = r.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^SIM +NAME +VERB +STATE +S +REPLY$/);
    expect(rows).toHaveLength(21);
    expect(rows.filter((l) => / answered /.test(l))).toHaveLength(18);
    expect(rows.find((l) => l.includes("gw-00009"))).toMatch(/ nak .*NAK health bad-tag$/);
    expect(rows.find((l) => l.includes("gw-00011"))).toMatch(/ no-answer .*no answer within 8 s$/);
  }, 60_000);

  it("`key derive --iccid` gives the key the gateway was provisioned with", async () => {
    const r = await cellgate(env, "key", "derive", "--iccid", "89883071000000000027");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${deriveGatewayKey(commandKey(env.CELLGATE_FLEET_KEY!, "t"), "8988307100000000002")}\n`);
    expect((await cellgate(env, "key", "derive", "--iccid", "123")).code).toBe(64);
    expect((await cellgate({}, "key", "derive", "--iccid", "8988307100000000002")).stderr).toMatch(
      /CG_ERR_COMMAND_KEY: no fleet key/,
    );
  });

  it("the carrier's lever: a status change followed with --wait to its outcome; a SIM not in the account is exit 1", async () => {
    const r = await cellgate(env, "remote", "sim", "--sim", "gw-00005", "--status", "suspended", "--wait", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)[0]).toMatchObject({
      name: "gw-00005",
      accepted: { status: "updating" },
      after: { status: "suspended" },
      done: true,
    });
    const missing = await cellgate(env, "remote", "status", "--sim", "gw-99999", "--json");
    expect(missing.code).toBe(1);
    expect(lines(missing.stdout)[0]).toMatchObject({ sim: "gw-99999", state: "failed" });
  });

  it("refuses what cannot be asked before anything is created: usage 64, no fleet key 78", async () => {
    expect((await cellgate(env, "remote", "dataoff", "--sim", "gw-00002")).code).toBe(64);
    expect((await cellgate(env, "remote", "status")).stderr).toMatch(/CG_ERR_CLI_USAGE: name the SIMs/);
    expect((await cellgate({ ...env, CELLGATE_FLEET_KEY: "" }, "remote", "status", "--sim", "gw-00002")).code).toBe(78);
  });
});

describe("exit 2 when the API fails", () => {
  it("an API that does not answer", async () => {
    const r = await cellgate(
      { TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, TWILIO_AUTH_TOKEN: "x".repeat(32), CELLGATE_FLEET_KEY: "k".repeat(32) },
      "remote",
      "status",
      "--sim",
      "gw-00001",
      "--base-url",
      "http://127.0.0.1:9",
      "--json",
    );
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "CG_ERR_API_UNAVAILABLE" } });
  }, 30_000);
});

describe("`cellgate remote serve`", () => {
  it("accepts a signed callback (a JSON line), refuses an unsigned or forged one (403, a line on stderr)", async () => {
    const token = "0123456789abcdef0123456789abcdef";
    const s = start(["remote", "serve", "--listen", "127.0.0.1:0"], {
      TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
      TWILIO_AUTH_TOKEN: token,
    });
    try {
      await s.until(() => s.out.stderr.includes("runs take replies from here"), "remote serve did not start");
      const base = /on (http:\/\/[\d.:]+);/.exec(s.out.stderr)![1]!;
      const url = `${base}/callbacks/mo`;
      const params = { SimSid: `DE${"a".repeat(32)}`, Command: "#abcde status ok", Direction: "from_sim", Status: "received" };
      const post = (sig?: string) =>
        fetch(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...(sig ? { "x-twilio-signature": sig } : {}) },
          body: new URLSearchParams(params).toString(),
        }).then((r) => r.status);
      expect(await post()).toBe(403);
      expect(await post(twilioSignature("not the token", url, Object.entries(params)))).toBe(403);
      expect(await post(twilioSignature(token, url, Object.entries(params)))).toBe(204);
      await s.until(() => s.out.stdout.includes("\n"), "no event line");
      expect(lines(s.out.stdout)).toMatchObject([{ seq: 1, kind: "reply", text: "#abcde status ok" }]);
      expect(s.out.stderr).toMatch(/refused a callback to \/callbacks\/mo from 127\.0\.0\.1: no X-Twilio-Signature/);
      expect(s.out.stderr).toMatch(/refused a callback to \/callbacks\/mo from 127\.0\.0\.1: a forged X-Twilio-Signature/);
    } finally {
      await stop(s.proc);
    }
  });
});
