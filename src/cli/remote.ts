import type { Command } from "commander";
import { basicAuth, ConcurrencyLimiter, type Credentials } from "../api/index.js";
import { signText } from "../commands/index.js";
import { CellgateError, isCellgateError } from "../core/index.js";
import {
  askExit,
  counts,
  FleetApi,
  FleetAsk,
  httpFeed,
  leverLine,
  newRow,
  progressLine,
  pullLever,
  readKeyMap,
  rowJson,
  table,
  type Feed,
  type KeySource,
  type Row,
  type SimChange,
  type Target,
} from "../remote/index.js";
import { gsm7Length } from "../sms/pdu/index.js";
import { apiClientFromEnv } from "./api-env.js";
import { cliLogger, parseIntOption } from "./common.js";
import { fleetKey } from "./key.js";
import { EXIT, reportError } from "./output.js";
import { registerRemoteServe } from "./remote-serve.js";
import { checkCommand } from "./sign.js";

export interface RemoteOptions {
  sim: string[];
  all?: boolean;
  filter: string[];
  product?: string;
  provider?: string;
  baseUrl?: string;
  timeout: string;
  concurrency: string;
  poll: string;
  json?: boolean;
  fleetKeyFile?: string;
  keys?: string;
  via?: string;
  status?: string;
  resetConnectivity?: boolean;
  commandsCallbackUrl?: string;
  wait?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * `cellgate remote VERB [ARGS] (--sim … | --all)`: the operator's side of remote diagnostics —
 * every gateway asked with a Command signed with its own key and a request id, each reply
 * matched to its request; `remote sim --status …|--reset-connectivity [--wait]`: the carrier's
 * levers; `remote serve`: the endpoint for Twilio's callbacks.
 */
export function registerRemote(program: Command): void {
  const remote = program
    .command("remote")
    .description("ask gateways over signed Commands and collect their replies; the carrier's levers; the callback endpoint")
    .argument("<verb>", "status, health, signal, net, sim, mqtt, version, help, ping, modem-reset, reboot")
    .argument("[args...]", "the verb's arguments (ping HOST [PORT], reboot CONFIRM)")
    .option("--sim <ref>", "a SIM by SID, ICCID or unique name (repeat for more)", collect, [])
    .option("--all", "every SIM of the account (with --filter)")
    .option(
      "--filter <key=value>",
      "with --all: status=active, rate-plan=NAME (fleet=NAME on Super SIM); repeatable",
      collect,
      [],
    )
    .option("--product <name>", "programmable-wireless or super-sim (env CELLGATE_SIM_PRODUCT)")
    .option("--provider <name>", "twilio or kore (env CELLGATE_API_PROVIDER)")
    .option("--base-url <url>", "the API's base URL, e.g. a simulator (env CELLGATE_API_BASE_URL)")
    .option("--timeout <s>", "how long each gateway has to answer (Super SIM retries delivery for a day)", "180")
    .option("--concurrency <n>", "the account's REST concurrency this run may use", "10")
    .option("--poll <s>", "the first interval between reads of the replies (it backs off when nothing comes)", "2")
    .option("--fleet-key-file <file>", "the fleet key (default: FLEET_KEY credential, then CELLGATE_FLEET_KEY)")
    .option("--keys <file>", "a map of per-gateway keys instead (lines: SID|ICCID|NAME KEY)")
    .option("--via <url>", "take replies and changes from `cellgate remote serve` at URL (its callbacks)")
    .option("--json", "one JSON line per SIM")
    .option(
      "--status <status>",
      "remote sim: change the SIM's status (active, suspended, deactivated; Super SIM: active, inactive)",
    )
    .option("--reset-connectivity", "remote sim: the carrier's Reset Connectivity (Programmable Wireless)")
    .option("--commands-callback-url <url>", "remote sim: where the SIM's MO Commands (the replies) are POSTed")
    .option("--wait", "remote sim: follow the change to its outcome (for up to --timeout)")
    .action(async (verb: string, args: string[], o: RemoteOptions, cmd: Command) => {
      try {
        process.exitCode = await runRemote(verb, args, o);
      } catch (err) {
        process.exitCode = reportError(err, cmd.opts<{ json?: boolean }>().json === true);
        if (isApiFailure(err)) process.exitCode = 2;
      }
    });
  registerRemoteServe(remote);
}

/** The API failed (as opposed to the command line, the configuration or a key): exit 2. */
function isApiFailure(err: unknown): boolean {
  return ["CG_ERR_API_UNAVAILABLE", "CG_ERR_API_RATE_LIMIT", "CG_ERR_API_HTTP", "CG_ERR_API_RESPONSE"].some((c) =>
    isCellgateError(err, c as "CG_ERR_API_HTTP"),
  );
}

const LEVER = (o: RemoteOptions) => o.status !== undefined || o.resetConnectivity === true || o.commandsCallbackUrl !== undefined;

async function runRemote(verb: string, args: string[], o: RemoteOptions): Promise<number> {
  const concurrency = parseIntOption("--concurrency", o.concurrency, 1, 1000);
  const timeoutMs = parseIntOption("--timeout", o.timeout, 1, 7 * 86_400) * 1000;
  const pollMs = Number(o.poll) * 1000;
  if (!(pollMs >= 100 && pollMs <= 600_000)) throw new CellgateError("CG_ERR_CLI_USAGE", "--poll must be 0.1 to 600 seconds");
  if (o.sim.length > 0 === (o.all === true))
    throw new CellgateError(
      "CG_ERR_CLI_USAGE",
      "name the SIMs: --sim SID|ICCID|NAME (repeatable), or --all [--filter status=active]",
    );
  const lever = verb === "sim" && LEVER(o);
  const command = [verb, ...args].join(" ");
  if (!lever) checkSignable(command);
  const keys = lever ? undefined : keySource(o);
  const log = cliLogger();
  const limiter = new ConcurrencyLimiter(concurrency);
  const api = apiClientFromEnv(o, log, process.env, { limiter, rateLimitRetries: 20 });
  try {
    const fleet = new FleetApi(api.client);
    const feed = o.via ? httpFeed(o.via, await basicHeader(api.credentials)) : undefined;
    const { targets, missing } = await resolveTargets(fleet, o);
    if (lever) return await runLevers(fleet, targets, missing, o, timeoutMs, feed);
    const started = Date.now();
    const progress = progressWriter(o.json !== true, started);
    const printed = new Set<Row>();
    const print = (r: Row) => {
      if (o.json !== true || printed.has(r)) return;
      printed.add(r);
      process.stdout.write(`${JSON.stringify(rowJson(r))}\n`);
    };
    const ask = new FleetAsk({
      api: fleet,
      targets,
      command,
      keys: keys!,
      timeoutMs,
      workers: 2 * concurrency,
      septets: gsm7Length,
      pollMs,
      log,
      ...(feed ? { feed } : {}),
      onChange: (row, c) => {
        progress.update(c);
        if (["answered", "nak", "failed", "api-error", "no-answer"].includes(row.state)) print(row);
      },
    });
    const { rows, apiFailed } = await ask.run();
    progress.done(counts(rows));
    const all = [...rows, ...missing.map((m) => missingRow(m, command))];
    for (const r of all) print(r);
    if (o.json !== true) process.stdout.write(table(all));
    return askExit(all, apiFailed);
  } finally {
    await api.client.close();
  }
}

/** Refused here, before anything is created: a verb or arguments the gateway refuses, a text that does not fit signed. */
function checkSignable(command: string): void {
  checkCommand(command);
  signText(Buffer.alloc(32, 1), command, Date.now(), gsm7Length, "zzzzz");
}

function keySource(o: RemoteOptions): KeySource {
  if (o.keys !== undefined) return readKeyMap(o.keys);
  return { kind: "fleet", fleetKey: fleetKey(o.fleetKeyFile, process.env) };
}

async function basicHeader(c: Credentials): Promise<string> {
  if (!c.username || !c.password)
    throw new CellgateError(
      "CG_ERR_API_CONFIG",
      "--via reads remote serve's feed with Twilio's credentials (KORE's are not taken there)",
    );
  return basicAuth(c.username, c.password).header();
}

interface Missing {
  ref: string;
  why: string;
}

/** --sim refs as the API knows them (one that is not in the account is reported, the others still asked), or --all. */
async function resolveTargets(api: FleetApi, o: RemoteOptions): Promise<{ targets: Target[]; missing: Missing[] }> {
  if (o.all) {
    const filter = Object.fromEntries(
      o.filter.map((f) => {
        const m = /^([a-z-]+)=(.+)$/.exec(f);
        if (!m) throw new CellgateError("CG_ERR_CLI_USAGE", `--filter ${JSON.stringify(f)}: expected key=value (status=active)`);
        return [m[1]!, m[2]!];
      }),
    );
    return { targets: await api.allSims(filter), missing: [] };
  }
  const targets: Target[] = [];
  const missing: Missing[] = [];
  for (const ref of o.sim) {
    try {
      targets.push(await api.findSim(ref));
    } catch (err) {
      if (!isCellgateError(err, "CG_ERR_API_NOT_FOUND") && !isCellgateError(err, "CG_ERR_API_CONFIG")) throw err;
      missing.push({ ref, why: err.message });
    }
  }
  return { targets, missing };
}

function missingRow(m: Missing, command: string): Row {
  const row = newRow({ sid: m.ref, uniqueName: null, iccid: null, status: null }, command, "");
  return { ...row, state: "failed", detail: `not in the account: ${m.why}` };
}

/** The live line on a terminal's stderr, at most five times a second; nothing when stderr is not a terminal or with --json. */
function progressWriter(on: boolean, started: number) {
  const tty = on && process.stderr.isTTY;
  let last = 0;
  return {
    update(c: ReturnType<typeof counts>) {
      const now = Date.now();
      if (!tty || now - last < 200) return;
      last = now;
      process.stderr.write(`\r\x1b[2K${progressLine(c, now - started)}`);
    },
    done(c: ReturnType<typeof counts>) {
      if (tty) process.stderr.write(`\r\x1b[2K${progressLine(c, Date.now() - started)}\n`);
    },
  };
}

async function runLevers(
  api: FleetApi,
  targets: Target[],
  missing: Missing[],
  o: RemoteOptions,
  timeoutMs: number,
  feed: Feed | undefined,
): Promise<number> {
  const change: SimChange = {
    ...(o.status ? { status: o.status } : {}),
    ...(o.resetConnectivity ? { resetConnectivity: true } : {}),
    ...(o.commandsCallbackUrl ? { commandsCallbackUrl: o.commandsCallbackUrl } : {}),
  };
  let code: number = missing.length > 0 ? EXIT.no : EXIT.ok;
  for (const m of missing) process.stderr.write(`cellgate: ${m.ref}: not in the account (${m.why})\n`);
  const results = await Promise.all(
    targets.map((target) =>
      pullLever({ api, target, change, wait: o.wait === true, timeoutMs, ...(feed ? { feed } : {}) }).then((r) => {
        process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : leverLine(r));
        return r;
      }),
    ),
  );
  if (results.some((r) => r.done === false)) code = EXIT.no;
  return code;
}
