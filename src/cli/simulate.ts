import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { CellgateError, describeError } from "../core/index.js";
import { parseIntOption } from "./common.js";
import { pasteBlock, selfCommand, shellWord } from "./self.js";
import { registerSimulateApi } from "./simulate-api.js";
import { ModemSimulator, personality, personalityNames, PtyModem, type Network } from "../sim/modem/index.js";

interface SimulateModemOptions {
  link: string;
  latency: string;
  personality: string;
  pty?: string;
  control?: boolean;
}

/** `cellgate simulate modem --link PATH`: the modem simulator on a pseudo-terminal until Ctrl-C. */
export function registerSimulate(program: Command): void {
  const simulate = program.command("simulate").description("run the simulators on their own");
  simulate
    .command("modem")
    .description("a simulated cellular modem on a pseudo-terminal at --link")
    .requiredOption("-l, --link <path>", "where the modem's tty appears (a symlink to the pty)")
    .option("--personality <name>", `the simulated module: ${personalityNames().join(", ")}`, "quectel")
    .option("--pty <helper>", "socat or python (default: socat when installed)")
    .option("--control", "read steering commands on stdin (network, sms, hang, reboot, unplug, replug…)")
    .option("--latency <ms>", "delay before each reply", "1")
    .action(async (o: SimulateModemOptions) => {
      await simulateModem(o);
    });
  registerSimulateApi(simulate);
}

async function simulateModem(o: SimulateModemOptions): Promise<void> {
  const module = personality(o.personality); // an unknown name is a usage error naming the known ones
  if (o.pty !== undefined && o.pty !== "socat" && o.pty !== "python") {
    throw new CellgateError("CG_ERR_CLI_USAGE", `--pty must be socat or python, got ${JSON.stringify(o.pty)}`);
  }
  const sim = new ModemSimulator({ personality: module, latencyMs: parseIntOption("--latency", o.latency, 0, 60_000) });
  const pty = await PtyModem.serve(sim, o.link, o.pty);
  const link = shellWord(resolve(o.link));
  process.stdout.write(
    `${[
      `cellgate modem simulator: ${sim.personality.manufacturer} ${sim.personality.model} on ${o.link} (pty via ` +
        `${pty.backend}); Ctrl-C to stop`,
      pasteBlock([
        [`${selfCommand()} at --port ${link} AT+CSQ`, "one AT command"],
        [`${selfCommand()} status --port ${link}`, "identity, SIM, signal, registration, attach"],
      ]),
    ].join("\n")}\n`,
  );
  const stop = () => {
    void pty.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (o.control) readControl(sim, pty);
  await new Promise<never>(() => {}); // runs until a signal
}

const HELP =
  "commands: network <key>=<value>… (eps=2 cs=2 ps=2 rsrpDbm=-110…), sms <pdu-hex>, hang [until-reset], unhang, stall " +
  "<ms>, dribble on|off, garbage <hex>, reboot, unplug, replug";

/** Steering on stdin, one command per line, for trying things by hand. */
function readControl(sim: ModemSimulator, pty: PtyModem): void {
  const rl = createInterface({ input: process.stdin });
  process.stdout.write(`${HELP}\n`);
  rl.on("line", (line) => {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    try {
      switch (cmd) {
        case "network":
          sim.setNetwork(
            Object.fromEntries(
              rest.map((kv) => kv.split("=")).map(([k, v]) => [k, /^-?\d+$/.test(v ?? "") ? Number(v) : v]),
            ) as Partial<Network>,
          );
          break;
        case "sms":
          process.stdout.write(`${JSON.stringify(sim.deliverSms({ pdu: rest[0] ?? "" }) ?? "storage full or routed as +CMT")}\n`);
          break;
        case "hang":
          sim.hang(rest[0] === "until-reset" ? "until-reset" : "all");
          break;
        case "unhang":
          sim.unhang();
          break;
        case "stall":
          sim.stall(Number(rest[0] ?? 0));
          break;
        case "dribble":
          sim.dribble(rest[0] !== "off");
          break;
        case "garbage":
          sim.garbage(Buffer.from(rest[0] ?? "", "hex"));
          break;
        case "reboot":
          sim.reboot();
          break;
        case "unplug":
          void pty.unplug();
          break;
        case "replug":
          void pty.replug();
          break;
        default:
          process.stdout.write(`${HELP}\n`);
      }
    } catch (err) {
      process.stdout.write(`${describeError(err)}\n`);
    }
  });
}
