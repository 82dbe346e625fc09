import { hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { normalizeIccid } from "../api/index.js";
import { commandKey } from "../commands/index.js";
import { CellgateError } from "../core/index.js";

/** HKDF's salt: fixed and cellgate's own, so a fleet key reused elsewhere derives nothing shared. */
const SALT = "cellgate fleet key v1";

/** RFC 5869 HKDF with SHA-256 (node:crypto's), exposed for its test vectors. */
export function hkdfSha256(ikm: Buffer, salt: Buffer | string, info: Buffer | string, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, length));
}

/**
 * The ICCID as the derivation sees it: its first 19 digits. Modems report 20 (with the Luhn
 * check digit, or a trailing F) where the API may list 19; both must derive the same key.
 */
export function iccidForKey(iccid: string): string {
  return normalizeIccid(iccid).slice(0, 19);
}

/**
 * A gateway's command key, derived from the fleet key and its SIM's ICCID: 32 bytes of HKDF,
 * written as 64 hex digits — the text the gateway is given as its COMMAND_KEY (it uses that text
 * as the key, as it does any key). The operator keeps only the fleet key; each gateway holds only
 * its own, which is worthless on another gateway and does not reveal the fleet key.
 */
export function deriveGatewayKey(fleetKey: Buffer, iccid: string): string {
  return hkdfSha256(fleetKey, SALT, `cellgate gateway command key\n${iccidForKey(iccid)}`, 32).toString("hex");
}

/** Where the operator's keys come from: one fleet key, or a map of per-gateway keys. */
export type KeySource = { kind: "fleet"; fleetKey: Buffer } | { kind: "map"; keys: ReadonlyMap<string, string>; file: string };

export interface KeyTarget {
  sid: string;
  uniqueName: string | null;
  iccid: string | null;
}

/** The key a Command to this SIM is signed with (as the gateway will check it). */
export function gatewayKey(source: KeySource, t: KeyTarget): Buffer {
  if (source.kind === "fleet") {
    if (t.iccid === null)
      throw new CellgateError("CG_ERR_COMMAND_KEY", `SIM ${t.sid} has no ICCID in the account: its key cannot be derived`);
    return commandKey(deriveGatewayKey(source.fleetKey, t.iccid), `the fleet key (ICCID ${iccidForKey(t.iccid)})`);
  }
  const iccid = t.iccid !== null ? safeIccid(t.iccid) : null;
  const text = [t.sid, t.uniqueName, iccid, t.iccid].flatMap((k) => (k ? [source.keys.get(k)] : [])).find((k) => k);
  if (text === undefined)
    throw new CellgateError("CG_ERR_COMMAND_KEY", `no key for SIM ${t.uniqueName ?? t.sid} in ${source.file}`, { sim: t.sid });
  return commandKey(text, `${source.file} (${t.uniqueName ?? t.sid})`);
}

function safeIccid(iccid: string): string | null {
  try {
    return iccidForKey(iccid);
  } catch {
    return null;
  }
}

/**
 * A per-gateway key map: one `NAME KEY` per line (NAME a SIM SID, unique name or ICCID; `#`
 * comments and blank lines ignored), for fleets whose gateways were given keys of their own.
 */
export function readKeyMap(file: string): KeySource {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new CellgateError("CG_ERR_COMMAND_KEY", `cannot read the key map ${file}: ${(err as Error).message}`, { file });
  }
  const keys = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const m = /^(\S+)\s+(\S.*)$/.exec(line);
    if (m === null)
      throw new CellgateError(
        "CG_ERR_COMMAND_KEY",
        `${file}:${i + 1}: expected "NAME KEY" (NAME: SIM SID, unique name or ICCID)`,
      );
    const name = /^89[0-9A-Fa-f]{17,18}$/.test(m[1]!) ? (safeIccid(m[1]!) ?? m[1]!) : m[1]!;
    keys.set(name, m[2]!.trim());
  });
  return { kind: "map", keys, file };
}
