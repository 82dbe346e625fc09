import { afterAll } from "vitest";
import { createApiClient, type ApiClient, type ApiClientOptions } from "../../src/api/index.js";
import { CellgateError } from "../../src/core/index.js";
import type { ApiSimulator } from "../../src/sim/api/index.js";
import { captureLog } from "./capture.js";

/**
 * Clients of the simulator for one test file. Every log line of every client and simulator, and
 * every error the tests catch, is kept; after the file, all of it is searched for every
 * credential the simulators issued or the tests made up.
 */
export function apiHarness() {
  const captured = captureLog();
  const secrets = new Set<string>();
  const clients: ApiClient[] = [];

  const remember = (sim: ApiSimulator): ApiSimulator => {
    const c = sim.credentials;
    for (const s of [c.authToken, c.apiKeySecret, c.clientSecret]) secrets.add(s);
    return sim;
  };

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const all = captured.lines.join("");
    if (captured.lines.length < 5) throw new Error("too little log output to search for credentials");
    for (const s of secrets) if (all.includes(s)) throw new Error(`a credential appears in the log output: ${s.slice(0, 4)}…`);
    if (/Basic [A-Za-z0-9+/=]{20,}|Bearer [A-Za-z0-9_-]{20,}/.test(all))
      throw new Error("an Authorization header value appears in the log output");
  });

  return {
    log: captured.log,
    lines: captured.lines,
    secrets,
    remember,
    track(c: ApiClient): ApiClient {
      clients.push(c);
      return c;
    },
    client(sim: ApiSimulator, o: Partial<ApiClientOptions> = {}): ApiClient {
      remember(sim);
      const c = createApiClient({
        provider: "twilio",
        product: "programmable-wireless",
        baseUrl: sim.baseUrl,
        credentials: { username: sim.credentials.apiKeySid, password: sim.credentials.apiKeySecret },
        log: captured.log,
        backoffMs: 5,
        ...o,
      });
      clients.push(c);
      return c;
    },
    /** The CellgateError `p` rejects with; its message and detail join the searched output. */
    async rejection(p: Promise<unknown>): Promise<CellgateError> {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(err instanceof CellgateError)) throw new Error(`expected a CellgateError, got ${String(err)}`);
      captured.lines.push(`${err.message} ${JSON.stringify(err.detail)}`);
      return err;
    },
  };
}

/** How many times the simulator received "METHOD path". */
export const count = (sim: ApiSimulator, line: string) => sim.requests.filter((r) => r === line).length;
