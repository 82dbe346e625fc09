import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createApiClient,
  SuperSimCarrier,
  SuperSimResources,
  WirelessCarrier,
  WirelessResources,
  type ApiHttp,
  type CarrierApi,
} from "../../src/api/index.js";
import { parseJson } from "../../src/api/http.js";
import { CellgateError } from "../../src/core/index.js";
import { ApiSimulator, type RecordedResponse } from "../../src/sim/api/index.js";
import { fuzzAsync, fuzzTimeout } from "../helpers/fuzz.js";

// API responses: the carrier's view of a SIM built from answers the simulator really gave, then
// mutated (fields replaced, deleted, the body swapped for other JSON or for text that may not
// parse). Each lookup gives a view (with what it could not read under `errors`) or a coded
// error, never a TypeError and never an endless loop (a page that links to itself).
type Recorded = Map<string, unknown>;
const recorded: Record<"wireless" | "supersim", Recorded> = { wireless: new Map(), supersim: new Map() };
let iccid = "";

async function record(product: "programmable-wireless" | "super-sim", into: Recorded): Promise<void> {
  const sim = await ApiSimulator.start({ product, asyncMs: 5 });
  sim.onResponse((r: RecordedResponse) => void (r.status < 300 && into.set(r.path, r.body)));
  const c = createApiClient({
    provider: "twilio",
    product,
    baseUrl: sim.baseUrl,
    credentials: { username: sim.credentials.accountSid, password: sim.credentials.authToken },
  });
  iccid = sim.gatewaySim.iccid;
  await c.carrier.view(iccid);
  await c.close();
  await sim.close();
}

beforeAll(async () => {
  await record("programmable-wireless", recorded.wireless);
  await record("super-sim", recorded.supersim);
});
afterAll(() => undefined);

const mutation = fc.record({
  op: fc.nat(),
  kind: fc.constantFrom("set", "delete", "json", "text", "next-self"),
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  value: fc.jsonValue({ maxDepth: 2 }),
  text: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", "{", "[]", "null", "<html>502 Bad Gateway</html>")),
});
const input = fc.record({
  product: fc.constantFrom("wireless" as const, "supersim" as const),
  mutations: fc.array(mutation, { maxLength: 4 }),
});

/** Walks `path` (indexes into each level's keys) to a parent object and a key in it. */
function pick(root: unknown, path: number[]): { parent: Record<string, unknown>; key: string } | undefined {
  let node = root;
  let found: { parent: Record<string, unknown>; key: string } | undefined;
  for (const i of path) {
    if (typeof node !== "object" || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[i % keys.length]!;
    found = { parent: node as Record<string, unknown>, key };
    node = (node as Record<string, unknown>)[key];
  }
  return found;
}

/** An ApiHttp answering each path with its recorded body, mutated as the input says. */
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function fakeHttp(bodies: Recorded, mutations: Mutation[]): ApiHttp {
  const paths = [...bodies.keys()];
  const served = new Map<string, { text?: string; body?: unknown }>();
  for (const m of mutations) {
    const path = paths[m.op % paths.length]!;
    const cur = served.get(path) ?? { body: structuredClone(bodies.get(path)) };
    if (m.kind === "text") served.set(path, { text: m.text });
    else if (m.kind === "json") served.set(path, { body: m.value });
    else if (m.kind === "next-self") {
      const meta = (cur.body as { meta?: unknown } | undefined)?.meta;
      if (typeof meta === "object" && meta !== null)
        (meta as Record<string, unknown>).next_page_url = `https://api.example${path}`;
      served.set(path, cur);
    } else {
      const at = pick(cur.body, m.path);
      if (at && m.kind === "set") at.parent[at.key] = m.value;
      if (at && m.kind === "delete") delete at.parent[at.key];
      served.set(path, cur);
    }
  }
  return {
    baseUrl: "https://api.example",
    request: (method: string, path: string) => {
      const p = new URL(path, "https://api.example").pathname;
      const s = served.get(p) ?? (bodies.has(p) ? { body: structuredClone(bodies.get(p)) } : undefined);
      if (s === undefined) return Promise.reject(new CellgateError("CG_ERR_API_NOT_FOUND", `${method} ${p}: HTTP 404`));
      return Promise.resolve({
        status: 200,
        body: s.text !== undefined ? parseJson(s.text, method, `https://api.example${p}`) : s.body,
      });
    },
  } as unknown as ApiHttp;
}

describe("fuzz: API responses", () => {
  it(
    "a carrier view or a coded error, whatever the API answers",
    async () => {
      expect(recorded.wireless.size).toBeGreaterThanOrEqual(4);
      await fuzzAsync(
        "API responses (carrier view)",
        input,
        async ({ product, mutations }) => {
          const http = fakeHttp(recorded[product], mutations);
          const carrier: CarrierApi =
            product === "wireless"
              ? new WirelessCarrier(new WirelessResources(http))
              : new SuperSimCarrier(new SuperSimResources(http));
          const v = await carrier.view(iccid);
          JSON.stringify(v);
        },
        { codes: ["CG_ERR_API_RESPONSE", "CG_ERR_API_NOT_FOUND"] },
      );
    },
    fuzzTimeout(1),
  );
});
