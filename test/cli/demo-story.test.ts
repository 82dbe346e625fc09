import { describe, expect, it } from "vitest";
import { Story, type Observation, type Step } from "../../src/cli/demo-story.js";

// The demo's story: steps in order, each done when what shows it worked is seen, and a summary.
const step = (what: string, o: Partial<Step> & { expect?: string } = {}): Step => ({
  what,
  act: () => {},
  outcomes: [{ label: `${what} seen`, seen: (ob: Observation) => ob.kind === "reply" && ob.text === (o.expect ?? what) }],
  pauseS: 0,
  allowS: 5,
  ...o,
});

describe("the demo's story", () => {
  it("runs its steps in order, each when the previous one's outcome was seen; the summary says so", async () => {
    const said: string[] = [];
    const story = new Story((m) => said.push(m));
    const acted: string[] = [];
    const steps = ["one", "two", "three"].map((w) =>
      step(w, { act: () => (acted.push(w), queueMicrotask(() => story.observe({ kind: "reply", text: w }))) }),
    );
    await story.run(steps);
    expect(acted).toEqual(["one", "two", "three"]);
    expect(said).toEqual(["[demo] one", "[demo] two", "[demo] three"]);
    expect(story.finished).toBe(true);
    expect(story.ok).toBe(true);
    const summary = story.summary();
    expect(summary[0]).toBe("what the demo showed (3 of 3 steps):");
    expect(summary.slice(1).every((l) => /^ {2}ok {11}\w+: \w+ seen \(\d+\.\d s\)$/.test(l))).toBe(true);
  });

  it("an outcome that never comes is NOT SEEN: the story goes on, and is not ok", async () => {
    const story = new Story(() => {});
    const steps = [
      step("silent", { allowS: 0.05 }),
      step("fine", { act: () => queueMicrotask(() => story.observe({ kind: "reply", text: "fine" })) }),
    ];
    await story.run(steps);
    expect(story.ok).toBe(false);
    expect(story.summary()[1]).toBe("  NOT SEEN     silent: no silent seen within 0.05 s");
    expect(story.summary()[2]).toMatch(/^ {2}ok {11}fine/);
  });

  it("an outcome seen before its step began does not count", async () => {
    const story = new Story(() => {});
    story.observe({ kind: "reply", text: "early" });
    await story.run([step("early", { allowS: 0.05 })]);
    expect(story.ok).toBe(false);
  });

  it("stopped midway (--duration, Ctrl-C): the step in progress and those not reached are said, and that is not a failure", async () => {
    const story = new Story(() => {});
    const steps = [step("waits", { act: () => story.stop() }), step("later")];
    await story.run(steps);
    expect(story.finished).toBe(false);
    expect(story.ok).toBe(true);
    expect(story.summary()).toEqual([
      "what the demo showed (0 of 2 steps):",
      "  in progress  waits (stopped before waits seen)",
      "  not reached  later",
    ]);
  });
});
