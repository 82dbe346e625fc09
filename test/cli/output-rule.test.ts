import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/output.js";
import { ApiSimulator } from "../../src/sim/api/index.js";
import { cleanEnv, runCli } from "../helpers/daemon-proc.js";
import { PTY_BACKENDS, startPtyModem } from "../helpers/pty-modem.js";

// The output rule of docs/cli.md ("Output and exit codes"), command by command: each one's success
// and failure, with and without --json. With --json stdout is exactly one JSON document (the result
// or {"error":{code,message}}); errors are one `cellgate: CODE: message` on stderr; exit codes are
// those of the one table.

let modem: Awaited<ReturnType<typeof startPtyModem>>;
let api: ApiSimulator;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  modem = await startPtyModem(PTY_BACKENDS[0]!);
  api = await ApiSimulator.start({ asyncMs: 20 });
  dir = mkdtempSync(join(tmpdir(), "cellgate-output-"));
  writeFileSync(join(dir, "key"), "correct horse battery staple 42!\n");
  writeFileSync(join(dir, "good.yaml"), "gateway:\n  id: gw-out\n");
  writeFileSync(join(dir, "bad.yaml"), "mqtt:\n  ulr: mqtt://x\n  keepaliveS: 1\n");
  // No daemon, no modem at the config's port, none of the developer's variables.
  writeFileSync(join(dir, "no-modem.yaml"), `modem:\n  port: ${join(dir, "absent-tty")}\n`);
  env = cleanEnv({ CELLGATE_CONFIG: join(dir, "no-modem.yaml"), CELLGATE_CONTROL_SOCKET: join(dir, "none.sock") });
});

afterAll(async () => {
  await modem?.cleanup();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

// The simulated modem's pty takes one opener at a time (serialport locks it): commands that open it queue.
let modemQueue: Promise<unknown> = Promise.resolve();

async function cellgate(
  args: string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  if (args.includes(modem.link)) {
    const mine = modemQueue.then(() => exec(args, extra));
    modemQueue = mine.catch(() => {});
    return mine;
  }
  return exec(args, extra);
}

const exec = (args: string[], extra: NodeJS.ProcessEnv) => runCli(args, { ...env, ...extra });

const apiEnv = (): NodeJS.ProcessEnv => ({
  CELLGATE_API_BASE_URL: api.baseUrl,
  TWILIO_ACCOUNT_SID: api.credentials.accountSid,
  TWILIO_AUTH_TOKEN: api.credentials.authToken,
  CELLGATE_SIM_ICCID: api.gatewaySim.iccid,
});

interface Row {
  name: string;
  args: () => string[];
  env?: () => NodeJS.ProcessEnv;
  code: number;
  /** The error's code, for a failure. */
  error?: string;
  /** Checks of the JSON result, for a success. */
  result?: (j: Record<string, unknown>) => void;
}

// Every command that prints a result, its success and its failures: run as given and with --json.
const ROWS: Row[] = [
  {
    name: "at: the reply",
    args: () => ["at", "--port", modem.link, "AT+CSQ"],
    code: 0,
    result: (j) => expect(j).toEqual({ lines: ["+CSQ: 21,99"], final: "OK" }),
  },
  {
    name: "at: the modem answers ERROR",
    args: () => ["at", "--port", modem.link, "AT+NOSUCH"],
    code: 1,
    error: "CG_ERR_AT_ERROR",
  },
  { name: "at: no daemon and no port", args: () => ["at", "AT"], code: 69, error: "CG_ERR_CONTROL_UNREACHABLE" },
  {
    name: "at: a port that is not there",
    args: () => ["at", "--port", join(dir, "absent-tty"), "AT"],
    code: 69,
    error: "CG_ERR_LINK_OPEN",
  },
  {
    name: "at: a bad option value",
    args: () => ["at", "--port", modem.link, "--timeout", "soon", "AT"],
    code: 64,
    error: "CG_ERR_CLI_USAGE",
  },
  {
    name: "status: ok from the port",
    args: () => ["status", "--port", modem.link],
    code: 0,
    result: (j) => expect(j).toMatchObject({ verdict: "ok", port: modem.link }),
  },
  {
    name: "status: down, the port is not there (a verdict, not an error)",
    args: () => ["status", "--port", join(dir, "absent-tty")],
    code: 2,
    result: (j) => expect(j).toMatchObject({ verdict: "down" }),
  },
  { name: "status: no daemon and no port", args: () => ["status"], code: 69, error: "CG_ERR_CONTROL_UNREACHABLE" },
  {
    name: "send: sent",
    args: () => ["send", "--port", modem.link, "hello"],
    code: 0,
    result: (j) => expect(j).toMatchObject({ to: "2936", encoding: "gsm7", attempts: 1 }),
  },
  {
    name: "send: too long for one SMS",
    args: () => ["send", "--port", modem.link, "x".repeat(161)],
    code: 64,
    error: "CG_ERR_PDU_ENCODE",
  },
  { name: "send: no daemon and no port", args: () => ["send", "hello"], code: 69, error: "CG_ERR_CONTROL_UNREACHABLE" },
  {
    name: "sim: the carrier's view",
    args: () => ["sim"],
    env: apiEnv,
    code: 0,
    result: (j) => expect(j).toMatchObject({ iccid: api.gatewaySim.iccid, sim: { status: "active" }, errors: {} }),
  },
  {
    name: "sim: credentials refused",
    args: () => ["sim"],
    env: () => ({ ...apiEnv(), TWILIO_AUTH_TOKEN: "not-the-token" }),
    code: 78,
    error: "CG_ERR_API_AUTH",
  },
  {
    name: "sim: no such SIM in the account",
    args: () => ["sim", "--iccid", "89883070000999999999"],
    env: apiEnv,
    code: 1,
    error: "CG_ERR_API_NOT_FOUND",
  },
  { name: "sim: no daemon, no ICCID, no port", args: () => ["sim"], code: 69, error: "CG_ERR_CONTROL_UNREACHABLE" },
  {
    name: "sim: the API unreachable",
    args: () => ["sim"],
    env: () => ({ ...apiEnv(), CELLGATE_API_BASE_URL: "http://127.0.0.1:9" }),
    code: 69,
    error: "CG_ERR_API_UNAVAILABLE",
  },
  {
    name: "sign: the signed text",
    args: () => ["sign", "status", "--key-file", join(dir, "key"), "--at", "2025-11-26T23:33:20Z"],
    code: 0,
    result: (j) => expect(j).toEqual({ text: "status #t6cxfk.Bc6IlLzcwDOBesrhGGlGIw" }),
  },
  {
    name: "sign: a key file that is not there",
    args: () => ["sign", "status", "--key-file", join(dir, "no-key")],
    code: 78,
    error: "CG_ERR_COMMAND_KEY",
  },
  { name: "sign: no key at all", args: () => ["sign", "status"], code: 78, error: "CG_ERR_COMMAND_KEY" },
  {
    name: "sign: not a verb",
    args: () => ["sign", "format c:", "--key-file", join(dir, "key")],
    code: 64,
    error: "CG_ERR_COMMAND_SIGN",
  },
  {
    name: "pdu decode: the fields",
    args: () => ["pdu", "decode", "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"],
    code: 0,
    result: (j) => expect(j).toMatchObject({ type: "deliver", text: "How are you?" }),
  },
  { name: "pdu decode: malformed", args: () => ["pdu", "decode", "07911614220991"], code: 1, error: "CG_ERR_PDU_DECODE" },
  {
    name: "config check: valid",
    args: () => ["config", "check", "--config", join(dir, "good.yaml")],
    code: 0,
    result: (j) => expect(j).toMatchObject({ file: join(dir, "good.yaml"), gateway: "gw-out", topicPrefix: "cellgate/gw-out" }),
  },
  {
    name: "config check: problems",
    args: () => ["config", "check", "--config", join(dir, "bad.yaml")],
    code: 1,
    error: "CG_ERR_CONFIG_INVALID",
  },
  {
    name: "config check: the file is not there",
    args: () => ["config", "check", "--config", join(dir, "nope.yaml")],
    code: 1,
    error: "CG_ERR_CONFIG_READ",
  },
  { name: "an unknown command", args: () => ["frobnicate"], code: 64, error: "CG_ERR_CLI_USAGE" },
  { name: "no command", args: () => [], code: 64, error: "CG_ERR_CLI_USAGE" },
];

function expectErrorLine(stderr: string, code: string): void {
  // One prefix: the error is the first line of its own, `cellgate: CODE: …`; nothing else claims to be one.
  const errors = stderr.split("\n").filter((l) => /CG_ERR_/.test(l) && !l.startsWith("  "));
  expect(errors, stderr).toHaveLength(1);
  expect(errors[0]).toMatch(new RegExp(`^cellgate: ${code}: \\S`));
}

describe.concurrent("the output rule, command by command", () => {
  // Generous: the rows that open the modem queue for it, on a loaded machine.
  it.each(ROWS)("$name: exit $code", { timeout: 180_000 }, async (row) => {
    const extra = row.env?.() ?? {};
    const human = await cellgate(row.args(), extra);
    expect(human.code, human.stderr).toBe(row.code);
    if (row.error) expectErrorLine(human.stderr, row.error);
    else expect(human.stdout).not.toBe("");

    const json = await cellgate([...row.args(), "--json"], extra);
    expect(json.code, json.stderr).toBe(row.code);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>; // the whole of stdout is one document
    if (row.error) {
      expect(Object.keys(doc)).toEqual(["error"]);
      expect(doc.error).toMatchObject({ code: row.error, message: expect.any(String) as string });
      expectErrorLine(json.stderr, row.error);
    } else row.result!(doc);
  });

  it("`config check --print`: stdout is the configuration alone, the verdict goes to stderr", async () => {
    const r = await cellgate(["config", "check", "--print", "--config", join(dir, "good.yaml")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ gateway: { id: "gw-out" }, mqtt: { url: "mqtt://127.0.0.1:1883" } });
    expect(r.stderr).toMatch(/good\.yaml: OK \(gateway gw-out/);
  });

  it("`config check --json` with problems lists each one in the error document", async () => {
    const r = await cellgate(["config", "check", "--json", "--config", join(dir, "bad.yaml")]);
    const doc = JSON.parse(r.stdout) as { error: { problems: Array<{ path: string; message: string }> } };
    expect(doc.error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["mqtt", "mqtt.keepaliveS"]));
  });

  it.each([
    ["run", ["run", "--config", "/nonexistent/cellgate.yaml"], 78, "CG_ERR_CONFIG_READ"],
    ["simulate modem", ["simulate", "modem", "--link", "/tmp/x.pty", "--personality", "nokia"], 64, "CG_ERR_CLI_USAGE"],
    ["simulate api", ["simulate", "api", "--port", "70000"], 64, "CG_ERR_CLI_USAGE"],
    ["demo", ["demo", "--personality", "nokia"], 64, "CG_ERR_CLI_USAGE"],
  ])("%s (a service, no --json) fails by the same rule", async (_name, args, code, error) => {
    const r = await cellgate(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout).toBe("");
    expectErrorLine(r.stderr, error);
    // --json is not one of its options: a usage error, still one JSON document.
    const j = await cellgate([...args, "--json"]);
    expect(j.code).toBe(64);
    expect(JSON.parse(j.stdout)).toEqual({
      error: { code: "CG_ERR_CLI_USAGE", message: expect.stringMatching(/unknown option '--json'/) as string },
    });
  });
});

describe("the exit-code table of docs/cli.md", () => {
  it("lists exactly the codes the commands use, and every code a row above asserts is in it", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/cli.md"), "utf8");
    const from = doc.indexOf("## Output and exit codes");
    expect(from).toBeGreaterThanOrEqual(0);
    const section = doc.slice(from, doc.indexOf("\n## ", from + 1));
    const documented = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(Object.values(EXIT).sort((a, b) => a - b));
    for (const row of ROWS) expect(documented, row.name).toContain(row.code);
  });
});
