import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { createApiClient } from "../api/index.js";
import { configSchema, type Config } from "../config/index.js";
import { CellgateError, createLogger } from "../core/index.js";
import { startDaemon } from "../daemon.js";
import type { ModemIdentity } from "../modem/index.js";
import { ApiSimulator, ModemBridge } from "../sim/api/index.js";
import { ModemSimulator, personality, personalityNames, PtyModem } from "../sim/modem/index.js";
import { parseIntOption } from "./common.js";
import { startEmbeddedBroker } from "./demo-broker.js";
import { narrator, script, type Say } from "./demo-script.js";
import { Story } from "./demo-story.js";
import { EXIT } from "./output.js";
import { mqttCliCommand, pasteBlock, selfCommand, shellWord } from "./self.js";
import { VERSION } from "./version.js";

interface DemoOptions {
  mqtt?: string;
  apiPort: string;
  stateDir?: string;
  personality: string;
  duration?: string;
}

/**
 * `cellgate demo`: the whole product on one machine with no hardware. A simulated modem on a
 * pseudo-terminal, the simulated Wireless API joined to it by a simulated network, an embedded
 * MQTT broker (unless --mqtt URL), and the real daemon wired to them. A story creates Commands
 * through the API and makes the modem's world change, step by step; a local application on the
 * broker prints what cellgate publishes and answers its own Commands through commands/send. It
 * ends with a summary of what was shown; the exit code says whether it all went as designed.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run cellgate against a simulated modem and Wireless API, with an MQTT broker (no hardware needed)")
    .option("--mqtt <url>", "use this broker instead of the embedded one")
    .option("--api-port <n>", "where the simulated Wireless API listens (0: any free port)", "8787")
    .option(
      "--state-dir <dir>",
      "where the modem's tty, the state and the control socket go (default: a temporary directory, removed at the end)",
    )
    .option("--personality <name>", `the simulated module: ${personalityNames().join(", ")}`, "quectel")
    .option("--duration <s>", "stop after this many seconds (default: run until Ctrl-C); the story takes about a minute")
    .action(async (o: DemoOptions) => {
      process.exitCode = await runDemo(o);
    });
}

async function runDemo(o: DemoOptions): Promise<number> {
  const duration = checkOptions(o);
  const apiPort = parseIntOption("--api-port", o.apiPort, 0, 65_535);
  const temporary = o.stateDir === undefined;
  const dir = o.stateDir ?? mkdtempSync(join(tmpdir(), "cellgate-demo-"));
  mkdirSync(dir, { recursive: true });
  const say: Say = (msg) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${msg}\n`);
  try {
    const world = await simulatedWorld(o, dir, apiPort, say);
    const ok = await tell(world, dir, say, duration);
    return ok ? EXIT.ok : EXIT.no;
  } finally {
    if (temporary) rmSync(dir, { recursive: true, force: true }); // nothing of the demo is left in /tmp
  }
}

function checkOptions(o: DemoOptions): number | undefined {
  personality(o.personality); // an unknown name is a usage error naming the known ones
  if (o.mqtt !== undefined && !/^(mqtts?|wss?|tcp):\/\/\S+$/.test(o.mqtt))
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      `--mqtt must be a URL such as mqtt://127.0.0.1:1883, got ${JSON.stringify(o.mqtt)}`,
    );
  return o.duration === undefined ? undefined : parseIntOption("--duration", o.duration, 1, 86_400);
}

type World = Awaited<ReturnType<typeof simulatedWorld>>;

/** The simulators, the broker and the API client the story uses (the gateway's world, without cellgate). */
async function simulatedWorld(o: DemoOptions, dir: string, apiPort: number, say: Say) {
  const broker = o.mqtt === undefined ? await startEmbeddedBroker() : undefined;
  const mqttUrl = o.mqtt ?? broker!.url;
  const modem = new ModemSimulator({ personality: o.personality });
  const link = join(dir, "modem.pty");
  const pty = await PtyModem.serve(modem, link);
  const creds =
    process.env.TWILIO_ACCOUNT_SID && process.env.TWILIO_AUTH_TOKEN
      ? { accountSid: process.env.TWILIO_ACCOUNT_SID, authToken: process.env.TWILIO_AUTH_TOKEN }
      : {};
  const api = await ApiSimulator.start({ port: apiPort, iccid: modem.world.sim.iccid, ...creds }).catch(() =>
    ApiSimulator.start({ port: 0, iccid: modem.world.sim.iccid, ...creds }),
  );
  const bridge = new ModemBridge(api, modem, { trafficEveryMs: 10_000 });
  bridge.tick(); // the modem is attached from the start: the carrier sees a data session at once
  const client = createApiClient({
    provider: "twilio",
    product: "programmable-wireless",
    baseUrl: api.baseUrl,
    credentials: { username: api.credentials.accountSid, password: api.credentials.authToken },
  });
  say(
    `simulated ${modem.personality.manufacturer} ${modem.personality.model} on ${link} (pty via ${pty.backend}); ` +
      `cellgate opens it with the serialport binding`,
  );
  say(
    `simulated Wireless API on ${api.baseUrl} (Account SID ${api.credentials.accountSid}, Auth Token ${api.credentials.authToken})`,
  );
  say(`MQTT broker ${broker ? `embedded (aedes) at ${mqttUrl}` : mqttUrl}`);
  return {
    mqttUrl,
    modem,
    link,
    pty,
    api,
    client,
    async close() {
      bridge.stop();
      await client.close();
      await api.close();
      await pty.close();
      await broker?.close();
    },
  };
}

/** The daemon in that world, the story, the summary; true when every step that ran showed what it should. */
async function tell(w: World, dir: string, say: Say, duration: number | undefined): Promise<boolean> {
  const prefix = "cellgate/demo";
  const commandKey = process.env.CELLGATE_COMMAND_KEY ?? randomBytes(16).toString("hex"); // printed, so `cellgate sign` can use it
  const story = new Story(say);
  const app = await narrator(w.mqttUrl, prefix, say, (ob) => story.observe(ob));
  const daemon = await startDaemon({
    loaded: { config: demoConfig(w.link, w.mqttUrl, w.api.baseUrl, dir), file: null, gatewayId: "demo", topicPrefix: prefix },
    version: VERSION,
    // The story shows what happens; cellgate's own log (the recovery's expected errors among it) only when asked for.
    // The demo is watched by a person: its log, when shown, is one readable line per entry.
    log: createLogger({ fd: 2, level: process.env.CELLGATE_LOG_LEVEL ?? "fatal", format: "text" }),
    env: {
      ...process.env,
      TWILIO_ACCOUNT_SID: w.api.credentials.accountSid,
      TWILIO_AUTH_TOKEN: w.api.credentials.authToken,
      TWILIO_API_KEY: "",
      TWILIO_API_SECRET: "",
      CELLGATE_COMMAND_KEY: commandKey,
    },
    supervisor: {
      pollMs: 500,
      livenessMs: 3000,
      engine: { timeoutMs: 2000, resyncTimeoutMs: 1500 },
      ladder: { timeoutsToAct: 2 },
      resetWaitMs: 20_000,
    },
  });
  howTo(say, daemon.stack.modem.identity, { ...w, prefix, socket: join(dir, "control.sock"), commandKey });
  const s = script(w.modem, w.pty, w.client, say, commandKey, (ob) => story.observe(ob));
  const told = story.run(s.steps).then(() => {
    if (story.finished) say(`the story is over; cellgate keeps running for the lines above${duration ? "" : " until Ctrl-C"}`);
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    if (duration !== undefined) setTimeout(resolve, duration * 1000).unref();
  });
  story.stop();
  await told;
  s.stop();
  await daemon.stop("demo stopped");
  await app.endAsync();
  await w.close();
  for (const line of story.summary()) say(line);
  say(`demo stopped${story.ok ? "" : ": something the story should have shown did not happen (NOT SEEN above)"}`);
  return story.ok;
}

/** The daemon's configuration in the demo: the simulators' addresses, fast polls, a harmless reboot. */
function demoConfig(link: string, mqttUrl: string, apiUrl: string, dir: string): Config {
  return configSchema.parse({
    gateway: { id: "demo" },
    modem: { port: link, pollS: 2 },
    mqtt: { url: mqttUrl, telemetryS: 30, heartbeatS: 60 },
    api: { baseUrl: apiUrl, refreshS: 60 },
    state: { dir: join(dir, "state") },
    control: { socket: join(dir, "control.sock") },
    // A laptop must not reboot because someone tried `reboot CONFIRM` on the demo.
    commands: { reboot: { command: [process.execPath, "-e", "console.log('demo: the host would reboot now')"] } },
  });
}

/** What the operator can do with the running demo: lines that run as printed in any shell. */
function howTo(
  say: Say,
  id: ModemIdentity | undefined,
  o: { mqttUrl: string; prefix: string; socket: string; api: ApiSimulator; commandKey: string },
): void {
  if (id) say(`modem: ${id.manufacturer} ${id.model} rev ${id.revision}, IMEI ${id.imei}, ICCID ${id.iccid}, IMSI ${id.imsi}`);
  say(`command key: ${o.commandKey}   (demo only; set CELLGATE_COMMAND_KEY to choose it)`);
  const cellgate = selfCommand();
  const broker = new URL(o.mqttUrl);
  const auth = shellWord(`${o.api.credentials.accountSid}:${o.api.credentials.authToken}`);
  const commands = `${o.api.baseUrl}/v1/Commands`;
  const socket = shellWord(o.socket);
  say(
    pasteBlock([
      [
        `${mqttCliCommand()} sub -h ${broker.hostname} -p ${broker.port || 1883} -t ${shellWord(`${o.prefix}/#`)} -v`,
        "everything cellgate publishes",
      ],
      [`${cellgate} status --socket ${socket}`, "the health report, through the running daemon"],
      [`${cellgate} at --socket ${socket} AT+CSQ`, "one AT command, through the daemon's engine"],
      [
        `curl -sS --fail -u ${auth} --data-urlencode Sim=gateway-0001 --data-urlencode ` +
          `"Command=$(CELLGATE_COMMAND_KEY=${o.commandKey} ${cellgate} sign health)" --data-urlencode IncludeSid=end ${commands}`,
        "a signed Command, created through the API",
      ],
      [
        `curl -sS --fail -G -u ${auth} --data-urlencode Sim=gateway-0001 --data-urlencode Direction=from_sim ${commands}`,
        "the gateway's replies, as the API shows them",
      ],
    ]),
  );
}
