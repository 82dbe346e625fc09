import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfig, configSchema, envKeys, loadConfig, unknownVariables } from "../../src/config/index.js";
import { readSecret } from "../../src/core/index.js";
import { CellgateError } from "../../src/core/index.js";
import { configFiles } from "./files.js";

const { dir, file } = configFiles("cellgate-config-");
const EXAMPLE = new URL("../../config/cellgate.yaml", import.meta.url).pathname;

describe("configuration", () => {
  it("the documented config/cellgate.yaml is valid and equals the defaults", () => {
    const loaded = loadConfig({ file: EXAMPLE, env: {} });
    expect(loaded.config).toEqual(configSchema.parse({}));
    expect(loaded.config.mqtt.outbox).toEqual({ maxMessages: 10_000, maxBytes: 10_485_760, maxAgeS: 604_800 });
  });

  it("without a file (the default path absent) defaults and the environment apply", () => {
    const loaded = loadConfig({
      env: {
        CELLGATE_CONFIG: "",
        CELLGATE_MQTT_URL: "mqtt://broker:1884",
        CELLGATE_GATEWAY_ID: "gw-7",
        CELLGATE_MQTT_OUTBOX_MAX_AGE_S: "3600",
        CELLGATE_COMMANDS_PUBLISH: "false",
      },
    });
    expect(loaded.file).toBeNull();
    expect(loaded.config.mqtt.url).toBe("mqtt://broker:1884");
    expect(loaded.config.mqtt.outbox.maxAgeS).toBe(3600);
    expect(loaded.config.commands.publish).toBe(false);
    expect(loaded.topicPrefix).toBe("cellgate/gw-7");
  });

  it("commands.maxAgeS: {read, act} with defaults, or one number for both (also from the environment)", () => {
    expect(loadConfig({ env: { CELLGATE_CONFIG: "" } }).config.commands.maxAgeS).toEqual({ read: 86_400, act: 900 });
    expect(loadConfig({ file: file("commands:\n  maxAgeS: 600\n"), env: {} }).config.commands.maxAgeS).toEqual({
      read: 600,
      act: 600,
    });
    expect(loadConfig({ file: file("commands:\n  maxAgeS: {read: 3600}\n"), env: {} }).config.commands.maxAgeS).toEqual({
      read: 3600,
      act: 900,
    });
    const env = { CELLGATE_CONFIG: "", CELLGATE_COMMANDS_MAX_AGE_S: "1200" };
    expect(loadConfig({ env }).config.commands.maxAgeS).toEqual({ read: 1200, act: 1200 });
    const r = checkConfig({ file: file("commands:\n  maxAgeS: {read: 10}\n"), env: {} });
    expect("problems" in r && r.problems.map((p) => p.path)).toEqual(["commands.maxAgeS.read"]);
  });

  it("a list from the environment is comma-separated", () => {
    const loaded = loadConfig({
      env: {
        CELLGATE_CONFIG: "",
        CELLGATE_COMMANDS_DISABLED: "reboot, ping",
        CELLGATE_COMMANDS_REBOOT_COMMAND: "/usr/bin/systemctl,reboot",
      },
    });
    expect(loaded.config.commands.disabled).toEqual(["reboot", "ping"]);
    expect(loaded.config.commands.reboot.command).toEqual(["/usr/bin/systemctl", "reboot"]);
  });

  it("the environment overrides the file", () => {
    const p = file("mqtt:\n  url: mqtt://a:1\n  topicPrefix: site/a/gw\n");
    const loaded = loadConfig({ file: p, env: { CELLGATE_MQTT_URL: "mqtt://b:2" } });
    expect(loaded.config.mqtt.url).toBe("mqtt://b:2");
    expect(loaded.topicPrefix).toBe("site/a/gw");
  });

  const bad: Array<[string, string, Record<string, string>, string[]]> = [
    ["a misspelt key", "mqtt:\n  ulr: mqtt://x\n", {}, ['mqtt: unknown key(s) "ulr"']],
    ["an unknown section", "modems:\n  port: /dev/x\n", {}, ['(top): unknown key(s) "modems"']],
    ["a wrong type", "modem:\n  baudRate: fast\n", {}, ["modem.baudRate: "]],
    ["a port that is neither a path nor a list", "modem:\n  port: 5\n", {}, ["modem.port: expected a path or a list of paths"]],
    [
      "an MQTT version that does not exist",
      "mqtt:\n  protocolVersion: 3\n",
      {},
      ["mqtt.protocolVersion: expected 4 (MQTT 3.1.1) or 5"],
    ],
    ["an SMS memory that does not exist", "sms:\n  storage: [ME, SIM]\n", {}, ["sms.storage.1: "]],
    ["a multipart timeout under a minute", "sms:\n  multipartTimeoutS: 5\n", {}, ["sms.multipartTimeoutS: "]],
    ["an out-of-range number", "mqtt:\n  keepaliveS: 1\n", {}, ["mqtt.keepaliveS: "]],
    ["a bad enum", "sim:\n  product: wireless\n", {}, ["sim.product: "]],
    ["a bad URL", "mqtt:\n  url: localhost\n", {}, ["mqtt.url: must be mqtt://"]],
    ["a topic prefix with a wildcard", "mqtt:\n  topicPrefix: gw/#\n", {}, ["mqtt.topicPrefix: must not contain #"]],
    ["several at once", "mqtt:\n  keepaliveS: 0\napi:\n  provider: att\n", {}, ["mqtt.keepaliveS: ", "api.provider: "]],
    ["YAML syntax", "mqtt:\n  url: [unclosed\n", {}, ["line "]],
    ["a duplicate key", "mqtt:\n  url: mqtt://a\n  url: mqtt://b\n", {}, ["line "]],
    ["a list at the top", "- a\n- b\n", {}, ["(top): the file must be a mapping"]],
    [
      "a bad number from the environment",
      "",
      { CELLGATE_MODEM_BAUD_RATE: "115k" },
      ["modem.baudRate (from CELLGATE_MODEM_BAUD_RATE): expected a number"],
    ],
    [
      "a bad boolean from the environment",
      "",
      { CELLGATE_COMMANDS_PUBLISH: "maybe" },
      ["commands.publish (from CELLGATE_COMMANDS_PUBLISH): expected true or false"],
    ],
    ["a verb that does not exist", "commands:\n  disabled: [reboot, dataoff]\n", {}, ["commands.disabled.1: "]],
    [
      "an acting verb allowed unsigned",
      "commands:\n  unsigned: [help, reboot]\n",
      {},
      ["commands.unsigned: reboot acts on the gateway and always needs a signature"],
    ],
    [
      "a reboot token with spaces",
      "commands:\n  reboot:\n    confirm: yes please\n",
      {},
      ["commands.reboot.confirm: 4 to 32 letters"],
    ],
  ];
  it.each(bad)("refuses %s, naming the path", (_name, text, env, expected) => {
    const r = checkConfig({ file: file(text), env });
    expect("problems" in r).toBe(true);
    const lines = "problems" in r ? r.problems.map((p) => `${p.path}: ${p.message}`) : [];
    for (const e of expected)
      expect(
        lines.some((l) => l.startsWith(e)),
        `${e} in ${JSON.stringify(lines)}`,
      ).toBe(true);
    expect(() => loadConfig({ file: file(text), env })).toThrow(CellgateError);
  });

  it.each([
    ["an unclosed flow sequence", "mqtt:\n  url: [unclosed\n"],
    ["a duplicate key", "mqtt:\n  url: mqtt://a\n  url: mqtt://b\n"],
    ["a tab as indentation", "mqtt:\n\turl: mqtt://a\n"],
    ["an unclosed quote", 'mqtt:\n  url: "mqtt://a\n'],
  ])("a YAML syntax error (%s) names line and column, and its message does not end on a dangling colon", (_name, text) => {
    const r = checkConfig({ file: file(text), env: {} });
    const problems = "problems" in r ? r.problems : [];
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.path).toMatch(/^line \d+, column \d+$/);
      expect(p.message, p.message).not.toMatch(/:\s*$/);
      expect(p.message).not.toMatch(/ at line \d+, column \d+/); // said once, in the path
    }
  });

  it("the duplicate key's problem quotes the line", () => {
    const r = checkConfig({ file: file("mqtt:\n  url: mqtt://a\n  url: mqtt://b\n"), env: {} });
    expect("problems" in r ? r.problems : []).toEqual([
      { path: "line 3, column 3", message: 'duplicate key "url": "url: mqtt://b"' },
    ]);
  });

  it("the documented config/cellgate.yaml is tracked by git and no .gitignore rule hides it (or any tracked file)", ({
    skip,
  }) => {
    const root = new URL("../..", import.meta.url).pathname;
    const git = (...args: string[]) => spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
    if (git("rev-parse", "--is-inside-work-tree").stdout.trim() !== "true") return skip("not a git checkout");
    expect(git("ls-files", "--error-unmatch", "config/cellgate.yaml").status).toBe(0);
    expect(git("ls-files", "-ci", "--exclude-standard").stdout).toBe("");
    expect(git("check-ignore", "-q", "--no-index", "config/cellgate.yaml").status).toBe(1); // 1: not ignored
  });

  it("a config file named but missing is CG_ERR_CONFIG_READ", () => {
    expect(() => loadConfig({ file: join(dir, "nope.yaml"), env: {} })).toThrow(
      expect.objectContaining({ code: "CG_ERR_CONFIG_READ" }) as Error,
    );
  });

  it("every leaf key has its environment variable", () => {
    const keys = Object.fromEntries(envKeys().map((k) => [k.key, k.env]));
    expect(keys).toMatchObject({
      "mqtt.url": "CELLGATE_MQTT_URL",
      "modem.port": "CELLGATE_MODEM_PORT",
      "api.baseUrl": "CELLGATE_API_BASE_URL",
      "mqtt.outbox.maxAgeS": "CELLGATE_MQTT_OUTBOX_MAX_AGE_S",
      "mqtt.tls.caFile": "CELLGATE_MQTT_TLS_CA_FILE",
    });
  });
});

describe("unknown CELLGATE_* variables", () => {
  it("are found, with the variable a near miss was meant to be", () => {
    expect(
      unknownVariables({
        CELLGATE_MQTT_ULR: "mqtt://x", // a transposition
        CELLGATE_MODEM_PROT: "/dev/x",
        CELLGATE_COMAND_KEY: "k", // a letter missing, of a secret's variable
        CELLGATE_MQTT_OUTBOX_MAX_AGE: "60", // the _S missing
        CELLGATE_WHATEVER: "1",
        HOME: "/root",
      }),
    ).toEqual([
      { name: "CELLGATE_COMAND_KEY", suggestion: "CELLGATE_COMMAND_KEY" },
      { name: "CELLGATE_MODEM_PROT", suggestion: "CELLGATE_MODEM_PORT" },
      { name: "CELLGATE_MQTT_OUTBOX_MAX_AGE", suggestion: "CELLGATE_MQTT_OUTBOX_MAX_AGE_S" },
      { name: "CELLGATE_MQTT_ULR", suggestion: "CELLGATE_MQTT_URL" },
      { name: "CELLGATE_WHATEVER", suggestion: null },
    ]);
  });

  it("every configuration key's variable is known", () => {
    expect(unknownVariables(Object.fromEntries(envKeys().map((k) => [k.env, "x"])))).toEqual([]);
  });

  it("every CELLGATE_ name the source reads is known (a new one must be added to the list)", () => {
    const src = new URL("../../src", import.meta.url).pathname;
    const r = spawnSync("grep", ["-rhoE", "--exclude=env-names.ts", "CELLGATE_[A-Z_]+", src], { encoding: "utf8" });
    const names = [...new Set(r.stdout.split("\n").filter((n) => n !== "" && !n.endsWith("_")))];
    expect(names.length).toBeGreaterThan(5);
    expect(unknownVariables(Object.fromEntries(names.map((n) => [n, "x"])))).toEqual([]);
  });
});

describe("secrets", () => {
  it("come from the *File path, else the credentials directory, else CELLGATE_<NAME>", () => {
    const creds = mkdtempSync(join(dir, "creds-"));
    writeFileSync(join(creds, "MQTT_PASSWORD"), "from-credentials\n");
    const f = file("from-file\n");
    expect(readSecret("MQTT_PASSWORD", { file: f, env: { CREDENTIALS_DIRECTORY: creds } })).toBe("from-file");
    expect(readSecret("MQTT_PASSWORD", { env: { CREDENTIALS_DIRECTORY: creds, CELLGATE_MQTT_PASSWORD: "env" } })).toBe(
      "from-credentials",
    );
    expect(readSecret("MQTT_PASSWORD", { env: { CELLGATE_MQTT_PASSWORD: "env" } })).toBe("env");
    expect(readSecret("MQTT_PASSWORD", { env: {} })).toBeUndefined();
    expect(() => readSecret("MODEM_PIN", { file: join(dir, "missing"), env: {} })).toThrow(/cannot read the MODEM_PIN file/);
  });
});

describe("reload", () => {
  it("names each changed key, and which of them wait for a restart", async () => {
    const { changedKeys, LIVE_KEYS } = await import("../../src/config/index.js");
    const a = configSchema.parse({});
    const b = configSchema.parse({ log: { level: "debug" }, modem: { pollS: 60, port: "/dev/ttyUSB9" } });
    expect(changedKeys(a, b).sort()).toEqual(["log.level", "modem.pollS", "modem.port (needs a restart)"]);
    expect([...LIVE_KEYS]).toContain("modem.pollS");
    expect(changedKeys(a, configSchema.parse({}))).toEqual([]);
  });
});
