import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { Command } from "commander";
import { commandKey } from "../commands/index.js";
import { CellgateError, type Logger } from "../core/index.js";
import { ApiSimulator, ModemBridge } from "../sim/api/index.js";
import { ModemSimulator, personality, personalityNames, PtyModem } from "../sim/modem/index.js";
import { cliLogger, parseIntOption } from "./common.js";
import { DEFAULT_MIX, SimulatedFleet } from "./fleet.js";
import { selfCommand, shellWord } from "./self.js";

interface SimulateApiOptions {
  port: string;
  host: string;
  accountSid?: string;
  authToken?: string;
  product: string;
  modemLink?: string;
  personality: string;
  fleet?: string;
  concurrency?: string;
  latency?: string;
}

/**
 * `cellgate simulate api --port N`: the Wireless API on loopback with a seeded account (the
 * gateway's SIM, two rate plans, other SIMs, traffic), credentials taken from the flags or
 * TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN, else generated, and printed ready to export. With
 * --modem-link, a simulated modem on a pty there, joined to the API by the simulated network.
 */
export function registerSimulateApi(simulate: Command): void {
  simulate
    .command("api")
    .description("a simulated Wireless API (Programmable Wireless or Super SIM) on loopback")
    .option("--port <n>", "TCP port (0 picks a free one)", "8787")
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option("--account-sid <sid>", "the Account SID to accept (default: $TWILIO_ACCOUNT_SID, else generated)")
    .option("--auth-token <token>", "the Auth Token to accept (default: $TWILIO_AUTH_TOKEN, else generated)")
    .option("--product <name>", "programmable-wireless or super-sim", "programmable-wireless")
    .option("--modem-link <path>", "also run a simulated modem on a pty at PATH, joined to the API")
    .option("--personality <name>", `the simulated module: ${personalityNames().join(", ")}`, "quectel")
    .option("--fleet <n>", "also N gateways' SIMs (gw-00001…), each answered by a simulated gateway; keys from a fleet key")
    .option("--concurrency <n>", "the account's REST concurrency: past it, 429 / 20429 (default: none with no --fleet, else 20)")
    .option("--latency <ms>", "how long the API takes to answer each request (default: 0, or 100 with --fleet)")
    .action(async (o: SimulateApiOptions) => {
      await simulateApi(o);
    });
}

async function simulateApi(o: SimulateApiOptions): Promise<void> {
  const port = parseIntOption("--port", o.port, 0, 65_535);
  if (o.product !== "programmable-wireless" && o.product !== "super-sim")
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      `--product must be programmable-wireless or super-sim, got ${JSON.stringify(o.product)}`,
    );
  const module = personality(o.personality); // an unknown name is a usage error naming the known ones
  const accountSid = o.accountSid ?? (process.env.TWILIO_ACCOUNT_SID || undefined);
  const authToken = o.authToken ?? (process.env.TWILIO_AUTH_TOKEN || undefined);
  if ((accountSid === undefined) !== (authToken === undefined))
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      "give both the Account SID and the Auth Token (flags or TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN), or neither",
    );
  if (accountSid !== undefined && !/^AC[0-9a-fA-F]{32}$/.test(accountSid))
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      `the Account SID must be AC followed by 32 hex digits, got ${JSON.stringify(accountSid)}`,
    );
  const log = cliLogger();
  const modem = o.modemLink !== undefined ? new ModemSimulator({ personality: module }) : undefined;
  const fleet = o.fleet !== undefined ? parseIntOption("--fleet", o.fleet, 1, 100_000) : 0;
  const concurrency =
    o.concurrency !== undefined ? parseIntOption("--concurrency", o.concurrency, 1, 10_000) : fleet ? 20 : undefined;
  const latencyMs = o.latency !== undefined ? parseIntOption("--latency", o.latency, 0, 60_000) : fleet ? 100 : 0;
  const api = await ApiSimulator.start({
    port,
    host: o.host,
    product: o.product,
    log,
    ...(fleet ? { fleet, deliveryRetryMs: 10_000 } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(latencyMs ? { latencyMs } : {}),
    ...(accountSid !== undefined && authToken !== undefined ? { accountSid, authToken } : {}),
    ...(modem ? { iccid: modem.world.sim.iccid } : {}),
  }).catch((err: unknown) => {
    throw new CellgateError("CG_ERR_CLI_USAGE", `cannot listen on ${o.host}:${port}: ${(err as Error).message}`);
  });
  let pty: PtyModem | undefined;
  let bridge: ModemBridge | undefined;
  if (modem && o.modemLink) {
    pty = await PtyModem.serve(modem, o.modemLink);
    bridge = new ModemBridge(api, modem, { log });
  }
  const gateways = fleet ? startFleet(api, log) : undefined;
  process.stdout.write(banner(api, o, pty, gateways ? { ...gateways, concurrency, latencyMs } : undefined));
  const stop = () => {
    bridge?.stop();
    gateways?.gateways.stop();
    void Promise.all([api.close(), pty?.close()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await new Promise<never>(() => {}); // runs until a signal
}

/** What a developer needs to point cellgate (or curl) at the simulator; the credentials are the simulator's own. */
function banner(
  api: ApiSimulator,
  o: SimulateApiOptions,
  pty: PtyModem | undefined,
  fleet?: { gateways: SimulatedFleet; key: string; concurrency: number | undefined; latencyMs: number },
): string {
  const c = api.credentials;
  const s = api.gatewaySim;
  const plan = s.ratePlanSid ? api.store.findRatePlan(s.ratePlanSid)?.uniqueName : undefined;
  return [
    `cellgate Wireless API simulator (${o.product}) on ${api.baseUrl}`,
    `  gateway SIM ${s.uniqueName} ${s.sid}, ICCID ${s.iccid}, status ${s.status}${plan ? `, rate plan ${plan}` : ""}; ` +
      `${api.store.sims.length} SIMs in the account`,
    ...(pty ? [`  simulated modem on ${o.modemLink} (pty via ${pty.backend}); Commands to the SIM arrive there as SMS`] : []),
    ...(fleet ? fleetLines(api, fleet) : []),
    "",
    "# point cellgate at it: paste these lines into another shell (any one of the three credential sets;",
    "# the other two are the commented lines, which run as they are without the leading '# or: ')",
    `export CELLGATE_API_BASE_URL=${api.baseUrl}`,
    `export CELLGATE_SIM_PRODUCT=${o.product}`,
    `export TWILIO_ACCOUNT_SID=${c.accountSid}`,
    `export TWILIO_AUTH_TOKEN=${c.authToken}`,
    `# or: export TWILIO_API_KEY=${c.apiKeySid} TWILIO_API_SECRET=${c.apiKeySecret}`,
    `# or: export CELLGATE_API_PROVIDER=kore KORE_CLIENT_ID=${c.clientId} KORE_CLIENT_SECRET=${c.clientSecret}`,
    pty ? `export CELLGATE_MODEM_PORT=${shellWord(resolve(o.modemLink!))}` : `export CELLGATE_SIM_ICCID=${s.iccid}`,
    ...(fleet ? [`export CELLGATE_FLEET_KEY=${fleet.key}`] : []),
    `${selfCommand()} sim   # the carrier's view of the gateway's SIM, from this simulator`,
    ...(fleet
      ? [
          `${selfCommand()} remote status --all --filter ` +
            `${o.product === "super-sim" ? "fleet=fleet" : "rate-plan=fleet-plan"}   # ask the whole fleet`,
        ]
      : []),
    "# Ctrl-C stops the simulator",
    "",
  ].join("\n");
}

/** The fleet's gateways, with the operator's fleet key: CELLGATE_FLEET_KEY when set (scripts), else a new one, printed to export. */
function startFleet(api: ApiSimulator, log: Logger): { gateways: SimulatedFleet; key: string } {
  const key = process.env.CELLGATE_FLEET_KEY || randomBytes(32).toString("hex");
  const fleetKey = commandKey(key, "CELLGATE_FLEET_KEY");
  return { gateways: new SimulatedFleet({ api, fleetKey, mix: DEFAULT_MIX, offlineMs: 20_000, slowMs: 5000, log }), key };
}

function fleetLines(
  api: ApiSimulator,
  f: { gateways: SimulatedFleet; concurrency: number | undefined; latencyMs: number },
): string[] {
  const c = f.gateways.census();
  return [
    `  a fleet of ${api.fleet.length} gateways (${api.fleet[0]!.uniqueName}…): ${c.healthy} answer at once, ${c.slow} ` +
      `slowly, ${c.offline} once back from 20 s away, ${c.nak} NAK (another key), ${c.never} never`,
    `  the account allows ${f.concurrency ?? "any number of"} concurrent requests (429 / 20429 past it), each answered ` +
      `in ${f.latencyMs} ms; 100 undelivered Commands per SIM (33118)`,
  ];
}
