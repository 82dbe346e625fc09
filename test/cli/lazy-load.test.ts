import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { ControlServer, type ControlHandlers } from "../../src/runtime/index.js";
import { cleanEnv, CLI } from "../helpers/daemon-proc.js";

// Each CLI call loads only what its command uses (issue 16): on a Pi every module costs start-up
// time and memory. A loader hook prints every file the process loads; the rows name what must not.

const HOOKS = `export async function load(url, context, next) {
  if (url.startsWith("file:")) process.stderr.write("LOADED " + url + "\\n");
  return next(url, context);
}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`,
)}`;

async function loaded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; files: string[]; stdout: string }> {
  const r = await promisify(execFile)(process.execPath, [...CLI.slice(0, 2), "--import", REGISTER, ...CLI.slice(2), ...args], {
    env: cleanEnv(env),
  }).catch((err: { code: number; stdout: string; stderr: string }) => err);
  const files = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice("LOADED file://".length));
  return { code: "code" in r ? r.code : 0, files, stdout: r.stdout };
}

/** What a command that needs neither the modem, MQTT, the Wireless API nor a simulator must not load. */
const HEAVY = [
  /node_modules\/(mqtt|aedes|undici|serialport|@serialport)\//,
  /\/src\/(sim|api|mqtt|modem|at|daemon)\//,
  /\/src\/daemon\.ts$/,
];
const heavy = (files: string[]) => files.filter((f) => HEAVY.some((re) => re.test(f)));

let dir: string;
let control: ControlServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cellgate-lazy-"));
  writeFileSync(join(dir, "key"), "correct horse battery staple 42!\n");
  const at = () => Promise.resolve({ lines: ["+CSQ: 21,99"], final: "OK" });
  control = await ControlServer.listen(join(dir, "control.sock"), { at } as unknown as ControlHandlers);
});
afterAll(async () => {
  await control?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a CLI call loads only its own command", () => {
  it("--version loads no command module and none of the heavy packages", async () => {
    const r = await loaded(["--version"]);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.files.some((f) => f.endsWith("/src/cli/main.ts"))).toBe(true); // the hook saw the process
    expect(r.files.filter((f) => /\/src\/cli\/(?!main|commands|output|version)/.test(f))).toEqual([]);
    expect(heavy(r.files)).toEqual([]);
  });

  it("pdu decode: the PDU codec, no modem, MQTT, API or simulator", async () => {
    const r = await loaded(["pdu", "decode", "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"]);
    expect(r.stdout).toContain("text: How are you?");
    expect(heavy(r.files)).toEqual([]);
  });

  it("sign: neither the configuration schema (zod, yaml) nor anything heavy", async () => {
    const r = await loaded(["sign", "status", "--key-file", join(dir, "key")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^status #/);
    expect(heavy(r.files)).toEqual([]);
    expect(r.files.filter((f) => /node_modules\/(zod|yaml)\//.test(f))).toEqual([]);
  });

  it("at through the daemon's control socket: no engine, serialport, MQTT, API or simulator", async () => {
    const r = await loaded(["at", "--socket", join(dir, "control.sock"), "AT+CSQ"]);
    expect(r.stdout).toBe("+CSQ: 21,99\nOK\n");
    expect(heavy(r.files)).toEqual([]);
  });

  it("at through the socket the configuration file names: the file read as YAML, not checked with the schema (zod)", async () => {
    writeFileSync(join(dir, "cellgate.yaml"), `control:\n  socket: ${join(dir, "control.sock")}\n`);
    const r = await loaded(["at", "AT+CSQ"], { CELLGATE_CONFIG: join(dir, "cellgate.yaml") });
    expect(r.stdout).toBe("+CSQ: 21,99\nOK\n");
    expect(heavy(r.files)).toEqual([]);
    expect(r.files.filter((f) => /node_modules\/zod\//.test(f))).toEqual([]);
  });

  it("the command table names what each module registers, in the order of --help", async () => {
    const names: string[] = [];
    for (const c of COMMANDS) {
      const program = new Command();
      (await c.load())(program);
      expect(program.commands.map((s) => s.name())).toEqual([c.name]);
      names.push(c.name);
    }
    const help = (await loaded(["--help"])).stdout;
    const listed = [...help.matchAll(/^ {2}(\w+)\b/gm)].map((m) => m[1]).filter((n) => n !== "help");
    expect(listed).toEqual(names);
  });
});
