import { splitSignature, verifyTag } from "./signature.js";
import { ACTING_VERBS, checkArgs, isVerb, parseCommand, type Verb } from "./verbs/names.js";

export type RejectReason =
  "foreign" | "unsigned" | "bad-tag" | "no-key" | "expired" | "future" | "replay" | "unknown-verb" | "disabled" | "bad-args";

export interface CommandPolicy {
  /** Verbs that run without a signature (default: help). */
  unsigned: ReadonlySet<Verb>;
  /** Verbs the configuration turned off. */
  disabled: ReadonlySet<Verb>;
  /**
   * How old a signed Command may be when it is checked: `read` for the verbs that only read, `act`
   * for those that act on the gateway (one number: both). Delivery can take a day (Super SIM
   * retries for 24 h); a reset or reboot that late may do harm, a status report does not.
   */
  maxAgeMs: number | AgeWindows;
  /** How far ahead of our clock its time may be (the signer's clock, our clock). */
  maxFutureMs: number;
  rebootToken: string;
}

export interface AgeWindows {
  read: number;
  act: number;
}

/** The window a verb's signed Command is accepted in; anything that is not an acting verb reads. */
export function windowFor(p: Pick<CommandPolicy, "maxAgeMs">, verb: string): number {
  const w = p.maxAgeMs;
  if (typeof w === "number") return w;
  return (ACTING_VERBS as readonly string[]).includes(verb) ? w.act : w.read;
}

/**
 * The longest window in which any verb's signed Command is accepted. The replay journal keeps
 * every tag signed within this of the newest one accepted, so it must be the longest window on
 * any verb (a per-verb window only ever narrows what is accepted, never what is kept).
 */
export function replayWindowMs(p: Pick<CommandPolicy, "maxAgeMs">): number {
  const w = p.maxAgeMs;
  return typeof w === "number" ? w : Math.max(w.read, w.act);
}

/** `rid`: the request id a signed Command carries, for the reply (or the NAK) to echo. */
export type Decision =
  | { accept: true; verb: Verb; args: string[]; auth: "verified" | "unsigned"; signedAt?: number; tag?: string; rid?: string }
  | { accept: false; reason: RejectReason; why: string; verb?: string; signed: boolean; rid?: string };

export interface AuthInput {
  text: string;
  key: Buffer | undefined;
  policy: CommandPolicy;
  /** Reference time (ms): the synchronised clock, else the modem's network time, else the SMS's SC time stamp. */
  now: number;
  /** A tag already accepted (persisted). */
  seen: (tag: string) => boolean;
  /**
   * Signed earlier than this is refused whatever the reference clock says: the window before
   * the newest Command accepted, or the time a lost journal was noticed (the seen tags went with it).
   */
  notBefore: number | null;
}

/**
 * Whether a Command's text may run, and why not. Pure. The tag is checked before anything
 * else about the text, so an unauthenticated sender learns nothing but "bad-tag"; then
 * time, replay, verb, configuration and arguments.
 */
export function authenticate(i: AuthInput): Decision {
  const split = splitSignature(i.text);
  // Echoed even when the tag fails: it only helps the sender match the NAK to its request.
  const rid = split.kind === "signed" ? split.parts.rid : undefined;
  const reject = (reason: RejectReason, why: string, verb?: string): Decision => ({
    accept: false,
    reason,
    why,
    signed: split.kind !== "unsigned",
    ...(verb ? { verb } : {}),
    ...(rid !== undefined ? { rid } : {}),
  });
  if (split.kind === "malformed") return reject("bad-tag", split.why, parseCommand(split.text).verb);
  if (split.kind === "unsigned") {
    const { verb, args } = parseCommand(split.text);
    if (!isVerb(verb)) return reject("unknown-verb", `no verb ${JSON.stringify(verb)}`, verb);
    if (!i.policy.unsigned.has(verb)) return reject("unsigned", `${verb} needs a signature (cellgate sign)`, verb);
    return permitted(verb, args, i.policy, "unsigned", reject);
  }
  const { parts } = split;
  const { verb, args } = parseCommand(parts.text);
  if (i.key === undefined) return reject("no-key", "no command key is configured on the gateway", verb);
  if (!verifyTag(i.key, parts))
    return reject("bad-tag", "the tag does not match the text, its time and this gateway's key", verb);
  const at = parts.ts * 1000;
  if (at - i.now > i.policy.maxFutureMs)
    return reject("future", `signed ${Math.round((at - i.now) / 1000)} s ahead of the gateway's clock`, verb);
  const window = windowFor(i.policy, verb);
  if (i.now - at > window)
    return reject("expired", `signed ${Math.round((i.now - at) / 1000)} s ago (window ${window / 1000} s)`, verb);
  if (i.notBefore !== null && at < i.notBefore)
    return reject("expired", "signed before a Command already accepted, by more than the window", verb);
  if (i.seen(parts.tag)) return reject("replay", "this signed Command was already accepted", verb);
  if (!isVerb(verb)) return reject("unknown-verb", `no verb ${JSON.stringify(verb)}`, verb);
  const d = permitted(verb, args, i.policy, "verified", reject);
  return d.accept ? { ...d, signedAt: at, tag: parts.tag, ...(rid !== undefined ? { rid } : {}) } : d;
}

function permitted(
  verb: Verb,
  args: string[],
  p: CommandPolicy,
  auth: "verified" | "unsigned",
  reject: (r: RejectReason, why: string, verb?: string) => Decision,
): Decision {
  if (p.disabled.has(verb)) return reject("disabled", `${verb} is disabled in the configuration`, verb);
  const a = checkArgs(verb, args, { rebootToken: p.rebootToken });
  if (!a.ok) return reject("bad-args", a.why, verb);
  return { accept: true, verb, args, auth };
}
