import type { z } from "zod";
import { CellgateError, describeError, isCellgateError, type Logger } from "../core/index.js";
import type { Incoming } from "./link-types.js";

/**
 * Local request/response, the zigbee2mqtt `bridge/request` habit: a client publishes on
 * `<prefix>/request/<name>` and gets the answer on `<prefix>/response/<name>` (or, with MQTT 5,
 * on the response topic it named under `<prefix>/response/`, with its correlation data back).
 * A `transaction` field in the request comes back in the answer (MQTT 3.1.1 clients correlate
 * with it). Every answer is `{status: ok, transaction, data}` or `{status: error, transaction,
 * error: {code, message}}`.
 */
/** One request: its params' schema and what runs it; or `off` with why (the config key that turns it on). */
export type RequestSpec = { params: z.ZodType; run: (params: never) => Promise<unknown> } | { off: string };
/** Request name (`status`, `sms/list`…) → spec. The daemon builds it. */
export type RequestHandlers = Record<string, RequestSpec>;

export interface RequestAnswer {
  status: "ok" | "error";
  transaction: string | null;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface RequestServerDeps {
  prefix: string;
  handlers: RequestHandlers;
  /** Publishes an answer (QoS 1, not retained); false when the broker is away (the requester asks again). */
  publish: (topic: string, payload: string, correlationData?: Buffer) => Promise<boolean>;
  log: Logger;
}

/** The handler for `<prefix>/request/#`: parses, runs, answers. */
export function requestListener(d: RequestServerDeps): (m: Incoming) => Promise<void> {
  const base = `${d.prefix}/request/`;
  return async (m) => {
    const name = m.topic.slice(base.length);
    // A response topic outside the gateway's own response tree is not used: the broker's ACL
    // lets cellgate write only there.
    const own = m.responseTopic !== undefined && m.responseTopic.startsWith(`${d.prefix}/response/`);
    const topic = own ? m.responseTopic! : `${d.prefix}/response/${name}`;
    const parsed = parseRequest(d.handlers, name, m.payload.toString("utf8"), m.retain);
    const answer = "error" in parsed ? errorAnswer(parsed.transaction, parsed.error) : await run(parsed);
    if (answer.status === "error") d.log.warn({ request: name, code: answer.error?.code }, `request/${name} refused or failed`);
    await d.publish(topic, JSON.stringify(answer), m.correlationData);
  };
}

type Parsed =
  | { run: (params: never) => Promise<unknown>; params: unknown; transaction: string | null }
  | { error: CellgateError; transaction: string | null };

/** A request's name and payload, validated. Pure. */
export function parseRequest(handlers: RequestHandlers, name: string, text: string, retained: boolean): Parsed {
  let json: unknown = {};
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch {
      return { error: payloadError(`request/${name}: the payload is not JSON (empty, or an object)`), transaction: null };
    }
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { error: payloadError(`request/${name}: the payload must be a JSON object`), transaction: null };
  const { transaction: tx, ...params } = json as Record<string, unknown>;
  if (tx !== undefined && typeof tx !== "string")
    return { error: payloadError(`request/${name}: transaction must be a string`), transaction: null };
  const transaction = tx ?? null;
  if (retained)
    return {
      error: new CellgateError(
        "CG_ERR_MQTT_REFUSED",
        `request/${name}: a retained request is not run (it would run again on every subscribe): publish it with retain false`,
        { reason: "retained" },
      ),
      transaction,
    };
  const spec = Object.hasOwn(handlers, name) ? handlers[name]! : undefined;
  if (spec === undefined) {
    const names = Object.keys(handlers).join(", ");
    return { error: payloadError(`unknown request ${JSON.stringify(name.slice(0, 40))} (${names})`), transaction };
  }
  if ("off" in spec)
    return {
      error: new CellgateError("CG_ERR_MQTT_REFUSED", `request/${name} is turned off on this gateway (${spec.off})`, {
        reason: "off",
      }),
      transaction,
    };
  const r = spec.params.safeParse(params);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("; ");
    return { error: payloadError(`request/${name}: ${why}`), transaction };
  }
  return { run: spec.run, params: r.data, transaction };
}

async function run(p: {
  run: (params: never) => Promise<unknown>;
  params: unknown;
  transaction: string | null;
}): Promise<RequestAnswer> {
  try {
    return { status: "ok", transaction: p.transaction, data: await p.run(p.params as never) };
  } catch (err) {
    return errorAnswer(p.transaction, err);
  }
}

function errorAnswer(transaction: string | null, err: unknown): RequestAnswer {
  const code = isCellgateError(err) ? err.code : "CG_ERR_CONTROL_REQUEST";
  return { status: "error", transaction, error: { code, message: err instanceof Error ? err.message : describeError(err) } };
}

function payloadError(message: string): CellgateError {
  return new CellgateError("CG_ERR_MQTT_PAYLOAD", message);
}
