import { afterEach } from "vitest";
import { ApiSimulator, type ApiSimulatorOptions, type RecordedResponse } from "../../src/sim/api/index.js";
import { loadConformance, type Conformance } from "./openapi.js";

type Spec = "wireless" | "supersim" | "monitor";
const specs: Record<Spec, Conformance | undefined> = { wireless: undefined, supersim: undefined, monitor: undefined };
function spec(which: Spec): Conformance {
  return (specs[which] ??= loadConformance(which, { exact: true }));
}

const running: Array<{ sim: ApiSimulator; bad: string[]; seen: RecordedResponse[] }> = [];

/** Operations answered (2xx) in this test file, for the coverage assertion. */
export const answeredOperations = new Set<string>();

/**
 * An API simulator for one test whose every 2xx answer is checked against its operation's
 * response schema in the published spec; a test that provokes a non-conforming body fails in
 * afterEach, whatever it asserted itself.
 */
export async function startApiSimulator(o: ApiSimulatorOptions = {}): Promise<ApiSimulator> {
  const sim = await ApiSimulator.start({ asyncMs: 20, ...o });
  const entry = { sim, bad: [] as string[], seen: [] as RecordedResponse[] };
  const product = spec(o.product === "super-sim" ? "supersim" : "wireless");
  const conf = (operationId: string) => (operationId === "ListAlert" ? spec("monitor") : product); // Monitor API, another spec
  sim.onResponse((r) => {
    entry.seen.push(r);
    if (r.status < 200 || r.status > 299 || r.operationId === "token" || r.status === 204) return;
    answeredOperations.add(r.operationId);
    for (const e of conf(r.operationId).check(r.operationId, r.body))
      entry.bad.push(`${r.method} ${r.path} (${r.operationId}): ${e}`);
  });
  running.push(entry);
  return sim;
}

afterEach(async () => {
  const all = running.splice(0);
  await Promise.all(all.map((e) => e.sim.close()));
  const bad = all.flatMap((e) => e.bad);
  if (bad.length > 0) throw new Error(`simulator answers that do not match the spec:\n${bad.slice(0, 20).join("\n")}`);
});
