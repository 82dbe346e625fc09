import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { CellgateError, createLogger, describeError } from "../core/index.js";
import { createModemStack, type ModemStack } from "../daemon/index.js";
import { assess, VERDICT_EXIT, type HealthReport } from "../health/index.js";
import { ModemSimulator, PtyModem } from "../sim/modem/index.js";
import { sendCommand, type InboundMessage } from "../sms/index.js";
import { parseIntOption } from "./common.js";

interface DemoOptions {
  stateDir?: string;
  personality: string;
  duration?: string;
}

// "How are you?" from +31641600986 (python-messaging's test vector), standing in for an inbound SMS.
const SAMPLE_SMS = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";

/**
 * `cellgate demo`: the whole modem side on one machine with no hardware. A simulated modem on
 * a pseudo-terminal, opened by the real engine with the real serialport binding, supervised;
 * a script makes the network fade and drop, an SMS arrive, the AT channel hang, the modem be
 * unplugged — and the output shows cellgate noticing and recovering.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run cellgate against a simulated modem on a pseudo-terminal (no hardware needed)")
    .option("--state-dir <dir>", "where the simulated modem's tty appears (default: a temporary directory)")
    .option("--personality <name>", "quectel (EC25) or simcom (SIM7600)", "quectel")
    .option("--duration <s>", "stop after this many seconds (default: run until Ctrl-C)")
    .action(async (o: DemoOptions) => {
      process.exitCode = await runDemo(o);
    });
}

async function runDemo(o: DemoOptions): Promise<number> {
  if (o.personality !== "quectel" && o.personality !== "simcom") {
    throw new CellgateError("CG_ERR_CLI_USAGE", `--personality must be quectel or simcom, got ${JSON.stringify(o.personality)}`);
  }
  const duration = o.duration === undefined ? undefined : parseIntOption("--duration", o.duration, 1, 86_400);
  const dir = o.stateDir ?? mkdtempSync(join(tmpdir(), "cellgate-demo-"));
  mkdirSync(dir, { recursive: true });
  const link = join(dir, "modem.pty");
  const sim = new ModemSimulator({ personality: o.personality });
  const pty = await PtyModem.serve(sim, link);
  const say = (msg: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${msg}\n`);
  const stack = await createModemStack({
    ports: [link],
    inbox: { stateDir: join(dir, "state"), product: "programmable-wireless", consumer: (m) => onMessage(m, stack, sim, say) },
    log: createLogger({ fd: 2, level: process.env.CELLGATE_LOG_LEVEL ?? "silent" }),
    supervisor: { pollMs: 500, livenessMs: 3000, engine: { timeoutMs: 2000, resyncTimeoutMs: 1500 }, ladder: { timeoutsToAct: 2 }, resetWaitMs: 20_000 },
  });
  watch(stack, say);
  say(`simulated ${sim.personality.manufacturer} ${sim.personality.model} on ${link} (pty via ${pty.backend}); cellgate opens it with the serialport binding`);
  await stack.start(15_000);
  const id = stack.modem.identity;
  say(`modem: ${id?.manufacturer} ${id?.model} rev ${id?.revision}, IMEI ${id?.imei}, ICCID ${id?.iccid}, IMSI ${id?.imsi}`);

  let last: HealthReport | undefined;
  const report = async () => {
    last = await healthLine(stack, say);
  };
  await report();
  const every = setInterval(() => void report(), 10_000);
  const stopScript = script(sim, pty, say);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    if (duration !== undefined) setTimeout(resolve, duration * 1000).unref();
  });
  clearInterval(every);
  stopScript();
  await report();
  await stack.stop();
  await pty.close();
  say("demo stopped");
  return last === undefined ? 3 : VERDICT_EXIT[last.verdict];
}

let sidCounter = 0;
function demoSid(): string {
  return `DC${(++sidCounter).toString(16).padStart(32, "0")}`;
}

/**
 * The demo's consumer: prints what the inbox hands off and answers a Command with an MO
 * Command, which the simulated network captures. (Authenticated verbs come later.)
 */
function onMessage(m: InboundMessage, stack: ModemStack, sim: ModemSimulator, say: (msg: string) => void): Promise<void> {
  const what = m.text !== undefined ? JSON.stringify(m.text) : m.dataBase64 !== undefined ? `${m.dataBase64} (base64)` : (m.error?.message ?? "");
  say(`inbox: ${m.kind} from ${m.sender ?? "?"}: ${what}${m.sid ? ` [SID ${m.sid}]` : ""}`);
  if (m.kind === "command") {
    void sendCommand({ text: `ok ${m.text ?? ""}`.trim() }, { sender: stack.modem.sms, product: "programmable-wireless" }).then(
      (r) => say(`MO Command sent to ${r.to}, message reference ${r.mr}; the network captured ${sim.sent.at(-1)?.pdu ?? "nothing"}`),
      (err: unknown) => say(`MO Command failed: ${describeError(err)}`),
    );
  }
  return Promise.resolve();
}

function watch(stack: ModemStack, say: (m: string) => void): void {
  stack.supervisor.events.on("portLost", (e) => say(`port lost: ${e.reason}; waiting for the device to come back`));
  stack.supervisor.events.on("portOpened", (e) => say(`port open: ${e.path}`));
  stack.supervisor.events.on("recovery", (e) => say("phase" in e ? `recovery: ${e.step} ${e.phase}` : `recovery: giving up until ${new Date(e.until).toISOString()}`));
  stack.modem.events.on("registration", (r) => say(`URC: ${r.domain} registration ${r.state}${r.act ? ` (${r.act})` : ""}`));
  stack.modem.events.on("rebooted", (b) => say(`modem restarted (${b.banner}): re-initialising`));
  stack.modem.events.on("urc", (u) => {
    if (u.name === "+CMTI:") say(`URC: new SMS in storage: ${u.line}`);
  });
  stack.inbox?.events.on("duplicate", (d) => say(`inbox: ${d.id} was handed off before: not again`));
}

async function healthLine(stack: ModemStack, say: (m: string) => void): Promise<HealthReport | undefined> {
  try {
    const snapshot = await stack.modem.snapshot();
    const r = assess({ modem: { snapshot }, now: Date.now() });
    const pick = (id: string) => r.checks.find((c) => c.id === id)?.detail ?? "?";
    say(`health ${r.verdict.toUpperCase()} | ${pick("registration")} | ${pick("signal")} | ${pick("attach")}`);
    return r;
  } catch (err) {
    say(`health: modem not readable: ${describeError(err)}`);
    return undefined;
  }
}

/** What happens to the simulated modem, on a loop; returns the function that stops it. */
function script(sim: ModemSimulator, pty: PtyModem, say: (m: string) => void): () => void {
  const good = { ...sim.world.net };
  const steps: Array<[number, string, () => void]> = [
    [12, "the signal fades", () => sim.setNetwork({ rsrpDbm: -113, rsrqDb: -17, sinrDb: -2, rssiDbm: -97 })],
    [20, "coverage is lost", () => sim.setNetwork({ eps: 2, cs: 2, ps: 2 })],
    [26, "coverage is back", () => sim.setNetwork(good)],
    [30, "an SMS arrives from an ordinary number", () => void sim.deliverSms({ pdu: SAMPLE_SMS })],
    [34, "a Command arrives from 2936 (IncludeSid at the end)", () => void sim.sendFromNetwork({ text: "status", sid: demoSid(), sidAt: "end" })],
    [38, "the modem's AT channel hangs (only a reset helps)", () => sim.hang("until-reset")],
    [58, "the modem is unplugged", () => void pty.unplug()],
    [62, "the modem is plugged back in", () => void pty.replug()],
  ];
  const timers: NodeJS.Timeout[] = [];
  const cycle = () => {
    for (const [at, what, act] of steps) {
      timers.push(
        setTimeout(() => {
          say(`[demo] ${what}`);
          act();
        }, at * 1000),
      );
    }
  };
  cycle();
  const again = setInterval(cycle, 75_000);
  return () => {
    clearInterval(again);
    timers.forEach((t) => clearTimeout(t));
  };
}
