import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { readJsonFile, removeFileDurable, writeFileDurable } from "../core/index.js";
import type { Consumer, InboundMessage } from "./types.js";

/**
 * The hand-off when no consumer is connected: each message becomes `<dir>/<id>.json`, written
 * with fsync before the SMS is deleted. Writing the same id again replaces the same file, so
 * a repeated hand-off after a crash leaves one copy.
 */
export class Spool {
  constructor(readonly dir: string) {}

  readonly consumer: Consumer = async (m) => {
    await writeFileDurable(this.#file(m.id), `${JSON.stringify(m, null, 2)}\n`);
  };

  async list(): Promise<InboundMessage[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: InboundMessage[] = [];
    for (const n of names.filter((x) => x.endsWith(".json")).sort()) {
      const m = await readJsonFile<InboundMessage>(join(this.dir, n));
      if (m !== undefined) out.push(m);
    }
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  async remove(id: string): Promise<void> {
    await removeFileDurable(this.#file(id));
  }

  #file(id: string): string {
    return join(this.dir, `${id.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
  }
}
