import { describeError } from "../../core/index.js";
import { duration, echoed, fitReply, type Septets } from "../reply.js";
import type { StateFiles } from "../state-files.js";

/** The last reboot a Command ran, in the state directory: the rate limit, and "back online" after it. */
export const REBOOT_FILE = "reboot.json";

export interface RebootContext {
  rid?: string | undefined;
  key: string;
  msgId: string;
  auth: "verified" | "unsigned";
  /** The reference time (ms), the clock the rate limit is measured on. */
  now: number;
  minIntervalMs: number;
  septets: Septets;
  files: StateFiles;
  /** Marks the Command done in the journal, durably; false when the state directory cannot be written. */
  markDone(outcome: string): Promise<boolean>;
  event(type: string, detail: string, extra?: Record<string, unknown>): void;
  send(text: string): Promise<void>;
  reboot(): Promise<void>;
}

/**
 * `reboot CONFIRM`: refused within the minimum interval of the last one; else marked done and
 * recorded before the host command runs, so after the reboot nothing runs it again. Resolves
 * false when nothing happened because the journal could not be written (the caller retries).
 */
export async function runReboot(c: RebootContext): Promise<boolean> {
  const s = c.septets;
  const reply = (head: string, parts: Parameters<typeof fitReply>[1]) => echoed(c.rid, (max) => fitReply(head, parts, s, max));
  const last = await c.files.read<{ at: number }>(REBOOT_FILE).catch(() => undefined);
  if (last && c.now - last.at < c.minIntervalMs && c.now >= last.at) {
    const ago = duration((c.now - last.at) / 1000);
    const text = reply("reboot refused", [`last=${ago}_ago`, `min=${duration(c.minIntervalMs / 1000)}`]);
    if (!(await c.markDone(text))) return false;
    c.event("command-rejected", `reboot refused: the last one was ${ago} ago`, { verb: "reboot", reason: "rate-limit" });
    await c.send(text);
    return true;
  }
  if (!(await c.markDone("rebooting"))) return false;
  await c.files.write(REBOOT_FILE, JSON.stringify({ at: c.now, pending: true, key: c.key }));
  c.event("command-run", `reboot run (${c.auth}): the host reboots now`, { verb: "reboot", auth: c.auth, id: c.msgId });
  await c.send(reply("reboot ok", ["rebooting now; back-online follows"]));
  try {
    await c.reboot();
  } catch (err) {
    await c.files.write(REBOOT_FILE, JSON.stringify({ at: c.now, pending: false, key: c.key, failed: describeError(err) }));
    c.event("command-failed", `reboot failed: ${describeError(err)}`, { verb: "reboot" });
    await c.send(reply("reboot failed", [{ text: describeError(err), shorten: true }]));
  }
  return true;
}
