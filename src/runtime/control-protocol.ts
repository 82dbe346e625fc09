import * as z from "zod";
import type { CachedView, CarrierView } from "../api/index.js";
import { CellgateError, isStrictBase64 } from "../core/index.js";
import type { HealthReport } from "../health/index.js";
import type { ModemSnapshot, PortState } from "../modem/index.js";
import type { MqttLinkState, OutboxStats } from "../mqtt/index.js";
import type { MoResult } from "../sms/index.js";

/**
 * The control socket's protocol, one typed map `method → {params schema, result type}` that
 * the daemon (which validates every request against it) and the CLI (which reads the results
 * through it) both import. One JSON request per line, one JSON answer per line:
 * `{"method":"status","params":{}}` → `{"ok":true,"result":…}` or `{"ok":false,"error":{code,message}}`.
 */
export interface StatusResult {
  report: HealthReport;
  snapshot: ModemSnapshot | null;
  /** Seconds since the modem was last polled (URCs keep registration and signal current in between). */
  modemReadAgoS: number | null;
  /** Whether this answer polled the modem (asked `fresh`, or the kept read was older than a poll interval). */
  polled: boolean;
  port: PortState;
  mqtt: MqttLinkState;
  outbox: OutboxStats;
  carrier: CachedView | null;
  gateway: string;
  version: string;
  /** The data path in one word: up, failing, down, fixing-<step>, blocked, waiting, unknown, off. */
  dataPath: string | null;
  /** The daemon's own footprint (the soak samples it): bytes from process.memoryUsage(). */
  process: {
    pid: number;
    uptimeS: number;
    rssBytes: number;
    heapUsedBytes: number;
    heapTotalBytes: number;
    externalBytes: number;
  };
}

export interface AtResult {
  lines: string[];
  final: string;
}

export type SendResult = Pick<MoResult, "mr" | "to" | "encoding" | "attempts">;

export type SimResult = CarrierView & { iccid: string; provider: string; baseUrl: string; fetchedAt: string };

/** One message in the modem's SMS storage, decoded (the fields of `cellgate pdu decode`), or why not. */
export interface StoredMessage {
  index: number;
  memory: string;
  status: "unread" | "read" | "unsent" | "sent" | "unknown";
  pdu: string;
  /** cellgate has it (handed off, or a part it holds): deleting it from the modem loses nothing; null: no inbox to ask. */
  handedOff: boolean | null;
  fields?: Record<string, unknown>;
  error?: string;
}

const smsIndex = z.number().int().min(0).max(65_535);
const smsMemory = z.enum(["ME", "SM", "MT", "SR", "BM"]).optional();

const noParams = z.strictObject({});

const sendParams = z
  .strictObject({
    text: z.string().min(1, "text is empty").max(1000).optional(),
    data: z.string().max(1000).refine(isStrictBase64, "data is not strict base64 (standard alphabet, padded)").optional(),
  })
  .refine((p) => (p.text === undefined) !== (p.data === undefined), "give exactly one of text or data");

/** A method's spec: the params' schema, and (as a type only) what it answers. */
interface Spec<P extends z.ZodType, R> {
  params: P;
  result?: R;
}
const spec =
  <R>() =>
  <P extends z.ZodType>(params: P): Spec<P, R> => ({ params });

export const CONTROL_PROTOCOL = {
  /** fresh: poll the modem now rather than answer from the picture the daemon keeps. */
  status: spec<StatusResult>()(z.strictObject({ fresh: z.boolean().optional() })),
  at: spec<AtResult>()(
    z.strictObject({
      command: z.string().min(1).max(4096),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
    }),
  ),
  send: spec<SendResult>()(sendParams),
  sim: spec<SimResult>()(noParams),
  "sms/list": spec<{ messages: StoredMessage[] }>()(z.strictObject({ memory: smsMemory })),
  "sms/read": spec<StoredMessage>()(z.strictObject({ index: smsIndex, memory: smsMemory })),
  /** force: delete a message cellgate has not handed off (it is then lost). */
  "sms/delete": spec<{ deleted: { index: number; memory: string }; wasHandedOff: boolean | null }>()(
    z.strictObject({ index: smsIndex, memory: smsMemory, force: z.boolean().optional() }),
  ),
};

export type ControlMethod = keyof typeof CONTROL_PROTOCOL;
export type ControlParams<M extends ControlMethod> = z.input<(typeof CONTROL_PROTOCOL)[M]["params"]>;
export type ControlResult<M extends ControlMethod> = NonNullable<(typeof CONTROL_PROTOCOL)[M]["result"]>;

/** What the daemon implements: each method gets its validated params. */
export type ControlHandlers = {
  [M in ControlMethod]: (params: z.output<(typeof CONTROL_PROTOCOL)[M]["params"]>) => Promise<ControlResult<M>>;
};

export type ControlRequest = {
  [M in ControlMethod]: { method: M; params: z.output<(typeof CONTROL_PROTOCOL)[M]["params"]> };
}[ControlMethod];

const METHODS = Object.keys(CONTROL_PROTOCOL) as ControlMethod[];

const envelope = z.strictObject({
  method: z.string(),
  params: z.unknown().optional(),
});

/** One request line, validated against the protocol; anything else is CG_ERR_CONTROL_REQUEST naming what is wrong. Pure. */
export function parseControlRequest(line: string): ControlRequest {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw refused("the request is not JSON");
  }
  const env = envelope.safeParse(json);
  if (!env.success) throw refused(`the request must be {"method": string, "params"?: object}: ${issues(env.error)}`);
  const method = env.data.method;
  if (!(METHODS as string[]).includes(method))
    throw refused(`unknown method ${JSON.stringify(method.slice(0, 40))} (${METHODS.join(", ")})`);
  const m = method as ControlMethod;
  const params = CONTROL_PROTOCOL[m].params.safeParse(env.data.params ?? {});
  if (!params.success) throw refused(`${m}: ${issues(params.error)}`, { method: m });
  return { method: m, params: params.data } as ControlRequest;
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ");
}

function refused(message: string, detail: Record<string, unknown> = {}): CellgateError<"CG_ERR_CONTROL_REQUEST"> {
  return new CellgateError("CG_ERR_CONTROL_REQUEST", message, detail);
}
