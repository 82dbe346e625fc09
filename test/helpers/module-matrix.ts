import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, type ApiClient } from "../../src/api/index.js";
import { ApiSimulator, ModemBridge } from "../../src/sim/api/index.js";
import { PERSONALITIES, type ModemSimulatorOptions, type Personality } from "../../src/sim/modem/index.js";
import { startBroker, subscriber, type TestBroker } from "./broker.js";
import { CLI, cleanEnv, exited, runDaemon } from "./daemon-proc.js";
import { PTY_BACKENDS, startPtyModem, waitFor } from "./pty-modem.js";

// Every simulated module (each written from its vendor's AT manual) through the real daemon on a
// pty with the real serialport binding: the status read, a signed Command received exactly once
// and answered by an MO SMS, and a modem reset the daemon recovers from. The table it prints is
// the "works" column of docs/modems.md (its reset column names the simulated module's own first
// reset line; the docs name the command cellgate's vendor profile sends).
const KEY = "matrix command key: 0123456789abcdef";
const run = promisify(execFile);

export interface Case {
  name: string;
  personality: Personality;
  quirks?: ModemSimulatorOptions["quirks"];
}

const SARA = PERSONALITIES["ublox-sara-r410m"]!;
export const MODULE_CASES: Case[] = [
  ...Object.values(PERSONALITIES).map((p) => ({ name: p.id, personality: p })),
  // The module cellgate first broke on: echo stuck on, words for errors whatever +CMEE says,
  // bytes 1-3 at a time, URCs between reply lines, and a line with bytes before AT refused.
  {
    name: "ublox-sara-r410m, hostile",
    personality: { ...SARA, junkBeforeAt: "error" },
    quirks: { stickyEcho: true, alwaysVerbose: true, dribble: true, urcsInReplies: ['+UUPSDA: 0,"10.64.12.3"'] },
  },
];

type Picture = Record<string, Record<string, unknown> | undefined> & { rat?: string };

/** Everything the module can tell: identity, SIM, signal, registration with its radio, operator, attach, address. */
function expectFullPicture(m: Picture, p: Personality): void {
  expect(m.identity).toMatchObject({ model: p.model, imei: p.imei, iccid: "8988307000012345678" });
  expect(m.sim).toBe("ready");
  expect(m.signal?.rsrpDbm).toBe(-95);
  expect(m.rat).toBe(p.defaultRat ?? p.rats[0]);
  expect(Object.values(m.registration ?? {}).some((r) => (r as { registered: boolean }).registered)).toBe(true);
  expect(m.operator).toMatchObject({ numeric: "310260" });
  expect(m.attached).toBe(true);
  expect((m.pdp as unknown as Array<{ address?: string }>).some((p) => p.address === "10.64.12.3")).toBe(true);
}

async function sign(text: string): Promise<string> {
  return (await run(process.execPath, [...CLI, "sign", text], { env: cleanEnv({ CELLGATE_COMMAND_KEY: KEY }) })).stdout.trim();
}

type Step = "status --port" | "status" | "Command once" | "MO reply" | "reset recovered";

/** The matrix's test files, a group each: every case is in exactly one (test/integration/modem-matrix-groups.test.ts). */
export const MATRIX_GROUPS = {
  quectel: ["quectel-ec25", "quectel-bg95"],
  simcom: ["simcom-sim7600", "simcom-sim7080"],
  ublox: ["ublox-sara-r410m", "ublox-sara-r410m-02b-00", "ublox-sara-r410m, hostile"],
  "telit-nordic": ["telit-le910c1", "nordic-nrf9160"],
} as const satisfies Record<string, readonly string[]>;

/**
 * The matrix for these modules, in one test file: its own broker and API simulator, so the files
 * (a few modules each) run beside one another. CELLGATE_MATRIX=<module id> runs one module only.
 */
export function moduleMatrix(group: keyof typeof MATRIX_GROUPS): void {
  const names: readonly string[] = MATRIX_GROUPS[group];
  const only = process.env.CELLGATE_MATRIX;
  const RUN = MODULE_CASES.filter((c) => names.includes(c.name) && (!only || c.name.startsWith(only)));
  if (RUN.length === 0) {
    it.skip(`CELLGATE_MATRIX=${only} names no module of this file`, () => {});
    return;
  }
  const results = new Map<string, Partial<Record<Step, string>>>();
  const mark = (name: string, step: Step, ok: string) => results.set(name, { ...results.get(name), [step]: ok });

  let broker: TestBroker;
  let api: ApiSimulator;
  let client: ApiClient;

  beforeAll(async () => {
    broker = await startBroker();
    api = await ApiSimulator.start({ asyncMs: 50 });
    client = createApiClient({
      provider: "twilio",
      product: "programmable-wireless",
      baseUrl: api.baseUrl,
      credentials: { username: api.credentials.accountSid, password: api.credentials.authToken },
    });
  });

  afterAll(async () => {
    await client?.close();
    await api?.close();
    await broker?.close();
    const steps: Step[] = ["status --port", "status", "Command once", "MO reply", "reset recovered"];
    const rows = RUN.map((c) => `| ${c.name} | ${steps.map((s) => results.get(c.name)?.[s] ?? "✗").join(" | ")} |`);
    console.log(["", `| module | ${steps.join(" | ")} |`, `|---|${steps.map(() => "---|").join("")}`, ...rows].join("\n"));
  });

  const env = () =>
    cleanEnv({
      TWILIO_ACCOUNT_SID: api.credentials.accountSid,
      TWILIO_AUTH_TOKEN: api.credentials.authToken,
      CELLGATE_COMMAND_KEY: KEY,
    });

  describe.each(RUN)("$name through the daemon", (c) => {
    const gw = `mx-${c.personality.id}`;
    const prefix = `cellgate/${gw}`;
    let modem: Awaited<ReturnType<typeof startPtyModem>>;
    let bridge: ModemBridge;
    let dir: string;
    let daemon: ChildProcess | undefined;
    let app: Awaited<ReturnType<typeof subscriber>>;
    const out = { logs: "" };
    let portStatus: { stdout: string; stderr: string };
    const acks: string[] = [];
    const events = (type: string) => app.on(`${prefix}/events`).filter((m) => m.json.type === type);
    const received = (sid: string) => app.on(`${prefix}/commands/received`).filter((m) => m.json.sid === sid);
    const moSince = async (since: Date) =>
      (await client.wireless!.all(client.wireless!.listCommands({ direction: "from_sim" })))
        .filter((m) => m.dateCreated !== null && Date.parse(m.dateCreated) >= since.getTime())
        .map((m) => m.command ?? "");
    const status = async () => {
      const r = await run(process.execPath, [...CLI, "status", "--json", "--fresh", "--socket", join(dir, "control.sock")], {
        env: cleanEnv(),
      }).catch((e: { stdout: string }) => e);
      return JSON.parse(r.stdout) as { verdict: string; modem: Record<string, never> };
    };

    beforeAll(async () => {
      modem = await startPtyModem(PTY_BACKENDS[0]!, { personality: c.personality, ...(c.quirks ? { quirks: c.quirks } : {}) });
      modem.sim.events.on("command", (cmd) => cmd.startsWith("AT+CNMA") && acks.push(cmd));
      bridge = new ModemBridge(api, modem.sim, { trafficEveryMs: 1000 });
      dir = mkdtempSync(join(tmpdir(), "cellgate-matrix-"));
      const config = join(dir, "cellgate.yaml");
      writeFileSync(
        config,
        [
          `gateway:\n  id: ${gw}`,
          `modem:\n  port: ${modem.link}\n  pollS: 2`,
          `mqtt:\n  url: ${broker.url}\n  keepaliveS: 5`,
          `api:\n  baseUrl: ${api.baseUrl}\n  refreshS: 60`,
          `state:\n  dir: ${join(dir, "state")}`,
          `control:\n  socket: ${join(dir, "control.sock")}`,
          "log:\n  level: debug\n",
        ].join("\n"),
      );
      app = await subscriber(broker.url, [`${prefix}/commands/received`, `${prefix}/events`]);
      // Before the daemon holds the port: the CLI reads the module itself.
      portStatus = await run(process.execPath, [...CLI, "status", "--json", "--port", modem.link], { env: cleanEnv() }).catch(
        (e: { stdout: string; stderr: string }) => e,
      );
      daemon = runDaemon(config, env(), out);
      await waitFor(() => events("back-online").length === 1, 45_000, `${c.name}: the daemon to be back online`);
    }, 60_000);

    afterAll(async () => {
      if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
        daemon.kill("SIGTERM");
        await exited(daemon);
      }
      await app?.close();
      bridge?.stop();
      await modem?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("`cellgate status --port` reads the module's full picture, nothing left unknown", () => {
      const s = JSON.parse(portStatus.stdout || "{}") as { modem?: Picture; verdict?: string };
      expect(s.modem, portStatus.stderr).toBeDefined();
      expectFullPicture(s.modem!, c.personality);
      mark(c.name, "status --port", `✓ ${String(s.modem!.rat)}`);
    });

    it("status reads identity, SIM, signal, registration with its radio, operator, attach and address", async () => {
      let s = await status();
      // The daemon's status polls the modem: wait for one that has seen the registration.
      await waitFor(
        () => s.modem.rat !== undefined,
        30_000,
        `${c.name}: a status with the radio`,
        async () => (s = await status()),
      );
      // The verdict itself is not the module's: on a machine without NTP the clock check warns.
      expect(s.verdict).not.toBe("down");
      const m = s.modem as Picture;
      expectFullPicture(m, c.personality);
      mark(c.name, "status", `✓ ${String(m.rat)}`);
    }, 60_000);

    it("a signed Command arrives once, is run, and its reply leaves as an MO SMS to the API", async () => {
      const since = new Date(Date.now() - 1000);
      const sid = (
        await client.wireless!.createCommand({ sim: "gateway-0001", command: await sign("status"), includeSid: "end" })
      ).sid;
      await waitFor(() => received(sid).length === 1, 30_000, `${c.name}: the Command on commands/received`);
      expect(received(sid)[0]!.json).toMatchObject({ kind: "command", sender: "2936", auth: "verified" });
      let mo: string[] = [];
      await waitFor(
        () => mo.some((t) => t.startsWith("status ")),
        30_000,
        `${c.name}: the reply`,
        async () => (mo = await moSince(since)),
      );
      // Exactly once: the message left the modem (deleted, or acknowledged where it is routed).
      await waitFor(() => modem.sim.heldByNetwork === 0 && !modem.sim.awaitingAck, 15_000, "nothing left at the network");
      const stored = Object.keys(c.personality.sms.memories).reduce((n, mem) => n + modem.sim.store.used(mem as never), 0);
      expect(stored).toBe(0);
      expect(received(sid)).toHaveLength(1);
      const routed = c.personality.sms.ack === "always";
      if (routed) expect(acks).toHaveLength(1);
      mark(c.name, "Command once", routed ? "✓ +CMT/+CNMA" : "✓ +CMTI");
      mark(c.name, "MO reply", `✓ ${c.personality.prompt === null ? "no prompt" : "prompt"}`);
    }, 90_000);

    it("a modem reset (the modem-reset Command) is recovered: the modem answers again and back-online follows", async () => {
      const since = new Date(Date.now() - 1000);
      await client.wireless!.createCommand({ sim: "gateway-0001", command: await sign("modem-reset"), includeSid: "end" });
      let mo: string[] = [];
      await waitFor(
        () => mo.some((t) => t.startsWith("modem-reset ")),
        60_000,
        `${c.name}: the reset's reply`,
        async () => (mo = await moSince(since)),
      );
      expect(mo.find((t) => t.startsWith("modem-reset "))).toMatch(/^modem-reset ok /);
      await waitFor(
        () => events("back-online").some((e) => e.json.trigger === "recovery"),
        30_000,
        "back-online after the reset",
      );
      const s = await status();
      expect(s.verdict).not.toBe("down");
      mark(c.name, "reset recovered", `✓ ${c.personality.resets[0] ?? "radio cycle"}`);
    }, 120_000);
  });
}
