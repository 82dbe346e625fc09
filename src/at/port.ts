import type { Urc, UrcSpec } from "./urc-registry.js";

export interface AtCommandOptions {
  /** Time to wait for the final result code once the command is written. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The command carries a secret (a PIN): its arguments are masked in errors and events. */
  sensitive?: boolean;
  /**
   * Write it even though a previous timeout left the line unsynchronised (no ESC/AT first):
   * the recovery ladder's reset must reach a modem that answers nothing else.
   */
  force?: boolean;
  /**
   * Written before the commands already waiting (after the one in flight, and after earlier
   * urgent ones): +CNMA must reach the modem within the network's acknowledgement timer, which
   * a Command's own AT traffic queued first could outlast.
   */
  urgent?: boolean;
}

export interface SmsCommandOptions extends AtCommandOptions {
  /** Time to wait for the `>` prompt after `AT+CMGS=<n>`. */
  promptTimeoutMs?: number;
  /**
   * The modem prints no prompt: the payload follows the command line's CR in the same write
   * (nRF91 +CMGS), and only the final result is waited for.
   */
  noPrompt?: boolean;
}

export interface AtResponse {
  command: string;
  /** Information lines, in order, without echo and without any URC. */
  lines: string[];
  /** The final result code line (`OK`, `CONNECT 115200`). */
  final: string;
}

/** The narrow interface the modem layer uses: what it needs of an AT engine, nothing more. */
export interface AtPort {
  command(cmd: string, opts?: AtCommandOptions): Promise<AtResponse>;
  /** `AT+CMGS=<n>` → `>` → payload + Ctrl-Z; ESC if the prompt or the result does not come. */
  smsCommand(cmd: string, payload: string, opts?: SmsCommandOptions): Promise<AtResponse>;
  onUrc(cb: (urc: Urc) => void): () => void;
  /** Teach the engine more URCs (a vendor profile's, once the modem is identified). */
  addUrcs(specs: readonly UrcSpec[]): void;
}

/** What the command text looks like in logs and errors: secrets masked. */
export function shownCommand(cmd: string, sensitive: boolean): string {
  if (!sensitive) return cmd;
  const eq = cmd.indexOf("=");
  return eq < 0 ? cmd : `${cmd.slice(0, eq + 1)}<redacted>`;
}
