import { open, readdir, readFile, rename, rm, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Emitter } from "./emitter.js";
import { CellgateError, describeError, isErrno } from "./errors.js";

export interface StateWriteFailure {
  path: string;
  error: string;
  /** Date.now() of the failure. */
  at: number;
}

/**
 * Whether the last durable write to the state directory succeeded: the `state` health check and
 * the `state` event read it. Every writer in the process reports here (writeFileDurable, the
 * outbox's appends), since a full or read-only disk shows itself only when something is written.
 */
class StateWrites {
  readonly events = new Emitter<{ change: [StateWriteFailure | null] }>();
  #failure: StateWriteFailure | null = null;

  get failure(): StateWriteFailure | null {
    return this.#failure;
  }

  ok(): void {
    if (this.#failure === null) return;
    this.#failure = null;
    this.events.emit("change", null);
  }

  failed(path: string, err: unknown): void {
    const first = this.#failure === null;
    this.#failure = { path, error: describeError(err), at: Date.now() };
    if (first) this.events.emit("change", this.#failure);
  }
}

export const stateWrites = new StateWrites();

/** The temporary files writeFileDurable makes: `.<pid>.<ms>.<random>.tmp`. */
const TMP_FILE = /^\.\d+\.\d+\.[a-z0-9]*\.tmp$/;

/**
 * Writes a file so that after a crash or power loss it holds either the old content or the
 * new, never a torn mix: write a temporary file, fsync it, rename it over the target, fsync
 * the directory. This is what "durably handed off" and "survives a restart" rest on.
 */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, "w", 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    stateWrites.failed(path, err);
    throw new CellgateError("CG_ERR_STATE_IO", `cannot write ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  stateWrites.ok();
}

/**
 * Removes the temporary files a process killed inside writeFileDurable left behind (its target
 * still holds the old content, so nothing is lost), in `dir` and the folders below it.
 * Returns the paths removed. Run at start, before anything writes.
 */
export async function removeOrphanTmpFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removed.push(...(await removeOrphanTmpFiles(p)));
    else if (e.isFile() && TMP_FILE.test(e.name)) {
      await rm(p, { force: true }).catch(() => {});
      removed.push(p);
    }
  }
  return removed;
}

/** Removes a file and makes the removal durable; a file already gone is fine. */
export async function removeFileDurable(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
    const d = await open(dirname(path), "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (err) {
    if (isErrno(err, "ENOENT")) return;
    throw new CellgateError("CG_ERR_STATE_IO", `cannot remove ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
}

/**
 * A JSON file, or undefined when there is none. A file that does not parse is moved aside
 * (kept, not lost) and reported as CG_ERR_STATE_IO.
 */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) return undefined;
    throw new CellgateError("CG_ERR_STATE_IO", `cannot read ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside).catch(() => {});
    throw new CellgateError("CG_ERR_STATE_IO", `${path} is not valid JSON (moved to ${aside})`, { path, aside }, { cause: err });
  }
}
