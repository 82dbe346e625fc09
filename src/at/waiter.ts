import type { Clock } from "../core/index.js";
import type { LineKind } from "./line-kind.js";

export type Outcome =
  | { type: "final"; kind: LineKind; line: string }
  | { type: "prompt" }
  | { type: "timeout" }
  | { type: "aborted" }
  | { type: "closed" };

/**
 * One exchange in flight: the lines it has collected and the outcomes (final result, prompt,
 * link closed) that arrived for it. Outcomes are queued, so one that arrives before the
 * engine starts waiting (a fast pty answers before the write callback fires) is not lost.
 */
export class Waiter {
  readonly lines: string[] = [];
  phase: "final" | "prompt" = "final";
  readonly #echoes: string[];
  readonly #outcomes: Outcome[] = [];
  #notify: (() => void) | undefined;

  /**
   * `endsAtFinal`: a command's exchange is over at its final result, so what follows in the same
   * read is not its; the resync's exchange takes the answers to all its `AT`s.
   */
  constructor(
    readonly command: string,
    readonly endsAtFinal = true,
  ) {
    this.#echoes = [normalizeEcho(command)];
  }

  /** The modem will echo this too (the PDU written after the prompt). */
  expectEcho(text: string): void {
    this.#echoes.push(normalizeEcho(text));
  }

  /** Echo is stripped whether or not echo is on: a line that repeats what we wrote. */
  isEcho(line: string): boolean {
    const n = normalizeEcho(line);
    return n !== "" && this.#echoes.includes(n);
  }

  push(o: Outcome): void {
    this.#outcomes.push(o);
    this.#notify?.();
  }

  /** The lines collected since the last call. */
  takeLines(): string[] {
    return this.lines.splice(0, this.lines.length);
  }

  wait(ms: number, clock: Clock, signal: AbortSignal | undefined): Promise<Outcome> {
    const queued = this.#outcomes.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (signal?.aborted) return Promise.resolve({ type: "aborted" });
    return new Promise((resolve) => {
      const finish = (o: Outcome) => {
        clock.clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#notify = undefined;
        resolve(o);
      };
      const onAbort = () => finish({ type: "aborted" });
      const timer = clock.setTimeout(() => finish({ type: "timeout" }), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#notify = () => {
        const o = this.#outcomes.shift();
        if (o !== undefined) finish(o);
      };
    });
  }
}

/** Upper case, no control bytes (CR, Ctrl-Z, ESC residue), no surrounding blanks. */
function normalizeEcho(s: string): string {
  return s
    .replace(/[\x00-\x1f]/g, "")
    .trim()
    .toUpperCase();
}
