import { createConnection } from "node:net";
import { CellgateError } from "../../core/index.js";
import type { ControlMethod, ControlParams, ControlResult } from "../control-protocol.js";

/**
 * The control socket's client side, apart from the daemon's side: the CLI asks a running daemon
 * through this without loading the request schemas (zod) that only the daemon validates with.
 */

/** Whether something accepts connections on the socket (without asking it anything). */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path);
    c.once("connect", () => (c.destroy(), resolve(true)));
    c.once("error", () => resolve(false));
  });
}

/** One request to a running daemon; CG_ERR_CONTROL_UNREACHABLE when none listens. */
export function controlRequest<M extends ControlMethod>(
  path: string,
  method: M,
  params: ControlParams<M>,
  timeoutMs = 30_000,
): Promise<ControlResult<M>> {
  type T = ControlResult<M>;
  return new Promise((resolve, reject) => {
    const sock = createConnection(path);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new CellgateError("CG_ERR_CONTROL_REQUEST", `the daemon did not answer ${method} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding("utf8");
    sock.once("connect", () => sock.write(`${JSON.stringify({ method, params })}\n`));
    sock.on("data", (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      try {
        const out = JSON.parse(buf.slice(0, nl)) as {
          ok: boolean;
          result?: T;
          error?: { code: string; message: string; detail?: Record<string, unknown> };
        };
        if (out.ok) resolve(out.result as T);
        else
          reject(
            new CellgateError(
              out.error?.code === undefined ? "CG_ERR_CONTROL_REQUEST" : (out.error.code as "CG_ERR_CONTROL_REQUEST"),
              out.error?.message ?? "refused",
              out.error?.detail ?? {},
            ),
          );
      } catch {
        reject(new CellgateError("CG_ERR_CONTROL_REQUEST", "the daemon's answer is not JSON"));
      }
    });
    sock.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new CellgateError("CG_ERR_CONTROL_UNREACHABLE", `no cellgate daemon on ${path} (${err.code ?? err.message})`, { path }),
      );
    });
  });
}
