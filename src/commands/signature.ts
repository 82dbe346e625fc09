import { createHmac, timingSafeEqual } from "node:crypto";
import { CellgateError } from "../core/index.js";

/**
 * Signed Commands: `VERB [ARGS] #<ts>.<tag>`, where ts is the signing time in Unix seconds
 * (base 36, 6 characters until 2038+) and tag the first 128 bits of
 * HMAC-SHA256(key, "cellgate/1\n" + ts + "\n" + text), base64url. The trailer is 31
 * characters of the GSM 7-bit basic table (no escapes), so a signed text still fits one SMS
 * with an IncludeSid SID (`DC`, 32 hex digits and a space): 125 characters of body (docs/commands.md).
 *
 * With a request id (what the operator's tool sends, so replies can be matched to requests):
 * `VERB [ARGS] #<ts>.<rid>.<tag>`, the tag over "cellgate/2\n" + ts + "\n" + rid + "\n" + text.
 * The id is signed (it cannot be moved to another request) and echoed at the start of every
 * reply, `#<rid> …`. Both forms are accepted; the domains differ, so neither converts to the other.
 */
export const SIGNED_BODY_MAX = 125;
const TAG_BYTES = 16;
const TAG_CHARS = 22;
const DOMAIN = "cellgate/1";
const DOMAIN_RID = "cellgate/2";
export const MIN_KEY_BYTES = 16;

/** A request id: 1 to 8 characters of base 36 (the operator's tool makes 5). */
export const REQUEST_ID = /^[0-9a-z]{1,8}$/;

/** The trailer as it appears at the end of a signed text; a last token `#….…` of another form is an attempt at one. */
const TRAILER = /\s#([0-9a-z]{1,8})(?:\.([0-9a-z]{1,8}))?\.([A-Za-z0-9_-]+)$/;
const ATTEMPT = /\s#\S*\.\S*$/;

export interface SignatureParts {
  /** The signed text: everything before the trailer, as sent. */
  text: string;
  /** Unix seconds. */
  ts: number;
  /** The request id the reply echoes, when the Command carries one. */
  rid?: string;
  tag: string;
}

export type SplitResult =
  | { kind: "signed"; parts: SignatureParts }
  | { kind: "unsigned"; text: string }
  | { kind: "malformed"; text: string; why: string };

/** Separates the signature trailer from a received text (pure; verification is `verifyTag`). */
export function splitSignature(received: string): SplitResult {
  const s = received.trim();
  const m = TRAILER.exec(s);
  if (m) {
    const text = s.slice(0, m.index).trim();
    const tag = m[3]!;
    if (tag.length !== TAG_CHARS) return { kind: "malformed", text, why: `tag has ${tag.length} characters, not ${TAG_CHARS}` };
    return { kind: "signed", parts: { text, ts: parseInt(m[1]!, 36), ...(m[2] !== undefined ? { rid: m[2] } : {}), tag } };
  }
  const a = ATTEMPT.exec(s);
  if (a)
    return {
      kind: "malformed",
      text: s.slice(0, a.index).trim(),
      why: "the #ts.tag trailer is not base36 seconds and a base64url tag",
    };
  return { kind: "unsigned", text: s };
}

/** The key's bytes from the secret's text (an `openssl rand -hex 32` line, say); at least 16 bytes. */
export function commandKey(secret: string, source: string): Buffer {
  const key = Buffer.from(secret.trim(), "utf8");
  if (key.length < MIN_KEY_BYTES)
    throw new CellgateError(
      "CG_ERR_COMMAND_KEY",
      `the command key from ${source} has ${key.length} bytes; at least ${MIN_KEY_BYTES} are needed (openssl rand -hex 32)`,
      { source },
    );
  return key;
}

export function computeTag(key: Buffer, text: string, ts: number, rid?: string): string {
  const input =
    rid === undefined ? `${DOMAIN}\n${ts.toString(36)}\n${text}` : `${DOMAIN_RID}\n${ts.toString(36)}\n${rid}\n${text}`;
  return createHmac("sha256", key).update(input).digest().subarray(0, TAG_BYTES).toString("base64url");
}

/**
 * Constant-time comparison of a received tag with the one the key gives, as text: base64url
 * has several spellings of the same bytes (the last character's padding bits), and the replay
 * guard remembers tags as text, so only the canonical one may pass.
 */
export function verifyTag(key: Buffer, p: SignatureParts): boolean {
  const want = Buffer.from(computeTag(key, p.text, p.ts, p.rid), "utf8");
  const got = Buffer.from(p.tag, "utf8");
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * The text an operator sends: `text #ts.tag`, or `text #ts.rid.tag` with a request id. Refused
 * when it would not fit one SMS with an IncludeSid SID, or when the text is not plain
 * single-byte GSM 7-bit (a UCS2 SMS holds 70).
 */
export function signText(
  key: Buffer,
  text: string,
  nowMs: number,
  septets: (s: string) => number | undefined,
  rid?: string,
): string {
  const body = text.trim().replace(/\s+/g, " ");
  if (body === "") throw new CellgateError("CG_ERR_COMMAND_SIGN", "nothing to sign: the command text is empty");
  if (septets(body) !== body.length)
    throw new CellgateError(
      "CG_ERR_COMMAND_SIGN",
      `${JSON.stringify(body)} has characters outside the GSM 7-bit basic table; a Command must be plain text to fit one SMS`,
      { text: body },
    );
  if (rid !== undefined && !REQUEST_ID.test(rid))
    throw new CellgateError("CG_ERR_COMMAND_SIGN", `request id ${JSON.stringify(rid)} is not 1 to 8 characters of 0-9 a-z`);
  const ts = Math.floor(nowMs / 1000);
  const signed = `${body} #${ts.toString(36)}${rid !== undefined ? `.${rid}` : ""}.${computeTag(key, body, ts, rid)}`;
  if (signed.length > SIGNED_BODY_MAX)
    throw new CellgateError(
      "CG_ERR_COMMAND_SIGN",
      `the signed text has ${signed.length} characters; at most ${SIGNED_BODY_MAX} fit one SMS with an IncludeSid SID ` +
        `(the command may have ${SIGNED_BODY_MAX - (signed.length - body.length)})`,
      { text: body },
    );
  return signed;
}
