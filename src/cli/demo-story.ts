/** Something the demo saw: a message cellgate published, or an SMS the gateway sent to the network. */
export type Observation = { kind: "mqtt"; topic: string; json: Record<string, unknown> } | { kind: "reply"; text: string };

export interface Outcome {
  /** What shows the step worked, for the summary. */
  label: string;
  seen: (o: Observation) => boolean;
}

export interface Step {
  what: string;
  act: () => void;
  /** Every one must be seen, after the step began, for the step to have been shown. */
  outcomes: Outcome[];
  /** The pause before it (after the previous step's outcomes), seconds. */
  pauseS: number;
  /** How long its outcomes may take before the step counts as not shown, seconds. */
  allowS: number;
}

type StepState =
  | { state: "waiting" }
  | { state: "running"; since: number }
  | { state: "shown"; tookMs: number }
  | { state: "not-seen"; missing: string[] };

/**
 * The demo's story: steps one after the other, each waiting for what shows that it worked (a
 * reply, a health change, an event) rather than for a fixed time, so a loaded machine stretches
 * the story instead of breaking it. Ends with a summary of what was shown.
 */
export class Story {
  #steps: readonly Step[] = [];
  readonly #say: (msg: string) => void;
  #states: StepState[] = [];
  readonly #stop = new AbortController();
  #listeners: Array<(o: Observation) => void> = [];
  #finished = false;

  constructor(say: (msg: string) => void) {
    this.#say = say;
  }

  /** Every observation goes through here. */
  observe(o: Observation): void {
    for (const l of [...this.#listeners]) l(o);
  }

  /** Tells the story; resolves when it is over (told, or stopped). */
  async run(steps: readonly Step[]): Promise<void> {
    this.#steps = steps;
    this.#states = steps.map(() => ({ state: "waiting" }));
    for (const [i, step] of this.#steps.entries()) {
      if (!(await this.#pause(step.pauseS * 1000))) return;
      this.#say(`[demo] ${step.what}`);
      const since = Date.now();
      this.#states[i] = { state: "running", since };
      const missing = await this.#await(step, () => step.act());
      if (this.#stop.signal.aborted && missing.length > 0) return; // stopped while it ran: in progress, not failed
      this.#states[i] = missing.length === 0 ? { state: "shown", tookMs: Date.now() - since } : { state: "not-seen", missing };
    }
    this.#finished = true;
  }

  stop(): void {
    this.#stop.abort();
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Whether every step that ran showed what it should (a story cut short by --duration or Ctrl-C is not a failure). */
  get ok(): boolean {
    return this.#states.every((s) => s.state !== "not-seen");
  }

  /** What was shown, step by step. */
  summary(): string[] {
    const shown = this.#states.filter((s) => s.state === "shown").length;
    const lines = this.#steps.map((step, i) => {
      const s = this.#states[i]!;
      const outcome = step.outcomes.map((o) => o.label).join("; ");
      switch (s.state) {
        case "shown":
          return `  ok           ${step.what}: ${outcome} (${(s.tookMs / 1000).toFixed(1)} s)`;
        case "not-seen":
          return `  NOT SEEN     ${step.what}: no ${s.missing.join(", no ")} within ${step.allowS} s`;
        case "running":
          return `  in progress  ${step.what} (stopped before ${outcome})`;
        default:
          return `  not reached  ${step.what}`;
      }
    });
    return [`what the demo showed (${shown} of ${this.#steps.length} steps):`, ...lines];
  }

  /** Acts, then resolves with the outcomes not seen within the step's allowance (or before a stop). */
  #await(step: Step, act: () => void): Promise<string[]> {
    const pending = new Set(step.outcomes);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stop.signal.removeEventListener("abort", done);
        this.#listeners = this.#listeners.filter((l) => l !== listen);
        resolve([...pending].map((o) => o.label));
      };
      const listen = (o: Observation) => {
        for (const outcome of pending) if (outcome.seen(o)) pending.delete(outcome);
        if (pending.size === 0) done();
      };
      const timer = setTimeout(done, step.allowS * 1000);
      this.#stop.signal.addEventListener("abort", done);
      this.#listeners.push(listen);
      act();
    });
  }

  /** false when stopped during the pause. */
  #pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.#stop.signal.aborted) return resolve(false);
      const t = setTimeout(() => (this.#stop.signal.removeEventListener("abort", abort), resolve(true)), ms);
      const abort = () => (clearTimeout(t), resolve(false));
      this.#stop.signal.addEventListener("abort", abort, { once: true });
    });
  }
}
