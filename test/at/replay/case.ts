import type { AtEngineOptions, AtResponse } from "../../../src/at/index.js";
import type { CellgateError } from "../../../src/core/index.js";
import type { VendorName } from "../../../src/modem/index.js";
import type { Outcome } from "../../helpers/replay-modem.js";
import type { Transcript, TranscriptEvent } from "../../helpers/transcript.js";

/**
 * One transcript replayed through the engine: the commands the test runs (the logged host's),
 * what each must come to, and what else the engine must report. Anything the replay changes in the
 * log is done in `events`, with the reason beside it.
 */
export interface ReplayCase {
  /** The transcript's number, `"03"`. */
  id: string;
  /** Whose URC table the engine has, as it would once the modem is identified. */
  vendor: VendorName;
  /** The events to play; default: every block's, in order. */
  events?: (t: Transcript) => TranscriptEvent[];
  engine?: Partial<AtEngineOptions>;
  /** `[command, outcome]`, or `[command, outcome, pdu]` for an SMS command. */
  steps: Array<[string, Outcome] | [string, Outcome, string]>;
  urcs?: string[];
  /** Lines that arrived with no command in flight and are no URC. */
  strays?: string[];
  /** Lines the engine wrote that the logged host did not; default: the start-up resync `AT`. */
  extras?: string[];
  /** Logged host writes, never answered, that the engine did not make. */
  skipped?: string[];
  /** What the typed parsers of src/modem make of the replies (`raw[i]` is step i's response or error). */
  check?: (raw: Array<AtResponse | CellgateError>, urcs: string[]) => void;
}

export const ok = (...lines: string[]): Outcome => ({ final: "OK", lines });
export const error = (...lines: string[]): Outcome => ({ code: "CG_ERR_AT_ERROR", final: "ERROR", lines });
export const cme = (errorCode: number, final: string, ...lines: string[]): Outcome => ({
  code: "CG_ERR_AT_CME",
  final,
  errorCode,
  lines,
});
export const timeout = (...lines: string[]): Outcome => ({ code: "CG_ERR_AT_TIMEOUT", lines });

/** Commands that each answer a bare OK. */
export const oks = (...cmds: string[]): Array<[string, Outcome]> => cmds.map((c) => [c, ok()]);

/** The reply lines of a successful step (fails the test when the step failed). */
export function lines(r: AtResponse | CellgateError | undefined): string[] {
  if (r === undefined || r instanceof Error) throw new Error(`expected a reply, got ${String(r)}`);
  return r.lines;
}
