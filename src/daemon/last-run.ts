import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Why the previous run ended, for the "back online" event. */
export async function lastRun(dir: string): Promise<string> {
  try {
    const j = JSON.parse(await readFile(join(dir, "last-run.json"), "utf8")) as { state?: string; reason?: string };
    return j.state === "stopped"
      ? `after a clean stop (${j.reason ?? "no reason"})`
      : "after an unclean shutdown (crash, SIGKILL or power loss)";
  } catch {
    return "for the first time";
  }
}
