import { join } from "node:path";
import { readJsonFile, writeFileDurable, type Logger } from "../core/index.js";
import { INITIAL_LINK, resumed, type LadderState } from "./ladder.js";

/**
 * The ladder's state on disk (`<state>/link/ladder.json`): when each step last ran, the
 * reboots of the last day, the current climb. Written before a step runs, so a step a crash or
 * a reboot interrupted counts as taken and its rate limit holds across the restart.
 */
export class LadderStore {
  readonly path: string;

  constructor(
    stateDir: string,
    private readonly log: Logger,
  ) {
    this.path = join(stateDir, "link", "ladder.json");
  }

  async load(): Promise<LadderState> {
    try {
      const s = await readJsonFile<LadderState>(this.path);
      return s && typeof s === "object" && s.mode !== undefined ? resumed({ ...INITIAL_LINK, ...s }) : INITIAL_LINK;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "ladder state unreadable: starting afresh");
      return INITIAL_LINK;
    }
  }

  /** True when written; a failure is logged (the ladder goes on: a read-only disk must not stop recovery, except reboots). */
  async save(s: LadderState): Promise<boolean> {
    try {
      await writeFileDurable(this.path, JSON.stringify(s));
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, "ladder state not saved");
      return false;
    }
  }
}
