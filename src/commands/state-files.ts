import { join } from "node:path";
import { readJsonFile, writeFileDurable } from "../core/index.js";

/**
 * Where the processor keeps its state (journal, kept replies, reboot marker): a gateway's state
 * directory, written durably (fsync, rename), or memory for the simulator's fleet of gateways,
 * which must hold ten thousand of them in one process.
 */
export interface StateFiles {
  /** The parsed content, undefined when absent; CG_ERR_STATE_IO when unreadable (a file that does not parse is moved aside). */
  read<T>(name: string): Promise<T | undefined>;
  /** Replaces the content durably: after a crash it is the old or the new, never a mix. */
  write(name: string, text: string): Promise<void>;
}

/** `<stateDir>/commands/<name>`. */
export function stateDirFiles(stateDir: string): StateFiles {
  const path = (name: string) => join(stateDir, "commands", name);
  return {
    read: <T>(name: string) => readJsonFile<T>(path(name)),
    write: (name, text) => writeFileDurable(path(name), text),
  };
}

/** In memory: gone with the process (a simulated gateway). */
export function memoryStateFiles(): StateFiles {
  const files = new Map<string, string>();
  return {
    read: <T>(name: string) => {
      const text = files.get(name);
      return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as T));
    },
    write: (name, text) => {
      files.set(name, text);
      return Promise.resolve();
    },
  };
}
