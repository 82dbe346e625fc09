import { mkdir, open, readFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileDurable, stateWrites } from "./durable-file.js";
import { CellgateError, isErrno } from "./errors.js";

/**
 * An append-only file of JSON lines in the state directory: each append is one small write
 * (fsynced before it resolves when asked), instead of rewriting a whole file per change;
 * `rewrite` compacts it (writeFileDurable: old content or new, never a mix). Writes run one at
 * a time, in order. A torn last line (power cut, full disk mid-write) is skipped when read, and
 * the append after a failed one starts on a line of its own. Failures are reported to
 * stateWrites and thrown as CG_ERR_STATE_IO naming `what`.
 */
export class AppendLog<L> {
  readonly file: string;
  readonly #what: string;
  #fh: FileHandle | undefined;
  #writing: Promise<void> = Promise.resolve();
  #torn = false;

  constructor(file: string, what: string) {
    this.file = file;
    this.#what = what;
  }

  /** The lines on disk, oldest first ([] when there is no file); `torn` hears each line that does not parse. */
  async read(torn: (line: string) => void = () => {}): Promise<L[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if (isErrno(err, "ENOENT")) return [];
      throw new CellgateError("CG_ERR_STATE_IO", `${this.#what} ${this.file}: ${(err as Error).message}`, { path: this.file });
    }
    // Ends mid-line: the next append starts on a line of its own, not on that fragment.
    if (text !== "" && !text.endsWith("\n")) this.#torn = true;
    const lines: L[] = [];
    for (const line of text.split("\n")) {
      if (line === "") continue;
      try {
        lines.push(JSON.parse(line) as L);
      } catch {
        torn(line);
      }
    }
    return lines;
  }

  append(lines: readonly L[], sync: boolean): Promise<void> {
    return this.#serial(async () => {
      this.#fh ??= await this.#open(sync);
      const text = `${this.#torn ? "\n" : ""}${lines.map((l) => `${JSON.stringify(l)}\n`).join("")}`;
      this.#torn = true;
      try {
        await this.#fh.appendFile(text);
        if (sync) await this.#fh.datasync();
      } catch (err) {
        // Opened again next time: the disk may have been remounted or the file replaced meanwhile.
        await this.#fh.close().catch(() => {});
        this.#fh = undefined;
        throw err;
      }
      this.#torn = false;
    });
  }

  /**
   * Opens the file for appending, making its directory when there is none yet (a first start, a
   * state directory removed); a file this creates has its directory entry fsynced too, as
   * writeFileDurable does, so a power cut cannot lose the file with the lines in it.
   */
  async #open(sync: boolean): Promise<FileHandle> {
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true });
    const fh = await open(this.file, "a", 0o600);
    try {
      if (sync && (await fh.stat()).size === 0) {
        const d = await open(dir, "r");
        await d.sync().finally(() => d.close());
      }
    } catch (err) {
      await fh.close().catch(() => {});
      throw err;
    }
    return fh;
  }

  /** Replaces the whole file with `lines`, durably. */
  rewrite(lines: readonly L[]): Promise<void> {
    return this.#serial(async () => {
      await this.#fh?.close();
      this.#fh = undefined;
      await writeFileDurable(this.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
      this.#torn = false;
    });
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#fh?.close();
    this.#fh = undefined;
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const run = this.#writing.then(fn).then(
      () => stateWrites.ok(),
      (err: unknown) => {
        stateWrites.failed(this.file, err);
        throw new CellgateError("CG_ERR_STATE_IO", `${this.#what} ${this.file}: ${(err as Error).message}`, { path: this.file });
      },
    );
    this.#writing = run.catch(() => {});
    return run;
  }
}
