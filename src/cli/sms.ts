import type { Command } from "commander";
import { CellgateError } from "../core/index.js";
import { storedMessage } from "../daemon/index.js";
import { ModemSms } from "../modem/index.js";
import type { StoredMessage } from "../runtime/index.js";
import { cliLogger, parseIntOption, viaDaemon } from "./common.js";
import { action, EXIT, printResult } from "./output.js";

interface SmsOptions {
  port?: string;
  socket?: string;
  baud: string;
  memory?: string;
  json?: boolean;
  trace?: boolean;
  force?: boolean;
}

const MEMORIES = ["ME", "SM", "MT", "SR", "BM"];

/**
 * `cellgate sms list|read|delete` (mmcli --messaging-list-sms, gammu getallsms): the modem's
 * SMS storage, decoded, through the running daemon (which owns the port) or the port itself.
 * A delete never loses a message cellgate has not handed off unless --force says so; through
 * the port, with no daemon to ask, every delete needs --force.
 */
export function registerSms(program: Command): void {
  const sms = program.command("sms").description("the SMS in the modem's storage: list, read, delete");
  const common = (c: Command) =>
    c
      .option("-p, --port <path>", "open the modem's AT port directly instead of going through the running daemon")
      .option(
        "--socket <path>",
        "the daemon's control socket (default: $CELLGATE_CONTROL_SOCKET, else the config's control.socket)",
      )
      .option("-b, --baud <rate>", "baud rate (with --port)", "115200")
      .option("-m, --memory <mem>", `the storage (${MEMORIES.join(", ")}); default: every memory cellgate reads`)
      .option("--trace", "print every byte sent and received on stderr (with --port)")
      .option("--json", "print JSON");
  common(sms.command("list").description("list the stored messages, decoded")).action(
    action((o: SmsOptions) => run("list", undefined, o)),
  );
  common(sms.command("read").description("one stored message, decoded").argument("<index>", "its index in the storage")).action(
    action((index: string, o: SmsOptions) => run("read", index, o)),
  );
  common(sms.command("delete").description("delete one stored message").argument("<index>", "its index in the storage"))
    .option("--force", "delete it even though cellgate has not handed it off (it is then lost)")
    .action(action((index: string, o: SmsOptions) => run("delete", index, o)));
}

async function run(what: "list" | "read" | "delete", indexArg: string | undefined, o: SmsOptions): Promise<number> {
  if (o.memory !== undefined && !MEMORIES.includes(o.memory))
    throw new CellgateError("CG_ERR_CLI_USAGE", `--memory must be one of ${MEMORIES.join(", ")}`);
  const memory = o.memory as "ME" | "SM" | "MT" | "SR" | "BM" | undefined;
  const index = indexArg === undefined ? undefined : parseIntOption("<index>", indexArg, 0, 65_535);
  const mem = memory !== undefined ? { memory } : {};
  const via =
    what === "list"
      ? await viaDaemon(o, "sms/list", mem)
      : what === "read"
        ? await viaDaemon(o, "sms/read", { index: index!, ...mem })
        : await viaDaemon(o, "sms/delete", { index: index!, ...mem, ...(o.force ? { force: true } : {}) });
  const result = "daemon" in via ? via.daemon : await direct(via.direct, what, index, memory, o);
  printResult(o.json === true, result, () => format(result));
  return EXIT.ok;
}

/** No daemon: this process opens the port, in PDU mode, and reads the storage as it is. */
async function direct(path: string, what: string, index: number | undefined, memory: string | undefined, o: SmsOptions) {
  const { openEngine } = await import("./direct.js");
  const baudRate = parseIntOption("--baud", o.baud, 300, 4_000_000);
  const engine = await openEngine(path, baudRate, { trace: o.trace === true, log: cliLogger() });
  try {
    await engine.command("ATE0");
    await engine.command("AT+CMGF=0");
    const sms = new ModemSms(engine, cliLogger());
    const mem = memory ?? "default";
    if (what === "list") return { messages: (await sms.list(memory)).map((s) => storedMessage(s, mem, null)) };
    const s = await sms.read(index!, memory);
    if (s === undefined) throw new CellgateError("CG_ERR_CONTROL_REQUEST", `no message at index ${index} in ${mem}`);
    if (what === "read") return storedMessage(s, mem, null);
    if (!o.force)
      throw new CellgateError(
        "CG_ERR_CLI_USAGE",
        "without the daemon, cellgate cannot tell whether this message was handed off: pass --force to delete it anyway",
      );
    await sms.delete(index!, memory);
    return { deleted: { index: index!, memory: mem }, wasHandedOff: null };
  } finally {
    await engine.close();
  }
}

function format(r: unknown): string {
  const one = (m: StoredMessage) => {
    const f = m.fields ?? {};
    const who = (f.sender ?? f.recipient ?? "?") as string;
    const body =
      f.text !== undefined
        ? JSON.stringify(f.text)
        : f.dataHex !== undefined
          ? `data ${f.dataHex as string}`
          : `error: ${m.error}`;
    const owned = m.handedOff === null ? "" : m.handedOff ? " handed-off" : " not-handed-off";
    return `${m.memory}:${m.index} ${m.status}${owned} ${who} ${(f.timestamp as string | undefined) ?? ""} ${body}\n`;
  };
  if (typeof r === "object" && r !== null && "messages" in r) {
    const ms = (r as { messages: StoredMessage[] }).messages;
    return ms.length === 0 ? "no messages in storage\n" : ms.map(one).join("");
  }
  if (typeof r === "object" && r !== null && "deleted" in r) {
    const d = (r as { deleted: { index: number; memory: string } }).deleted;
    return `deleted ${d.memory}:${d.index}\n`;
  }
  return one(r as StoredMessage);
}
