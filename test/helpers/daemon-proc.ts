import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { CLI } from "./cli.js";

/** `cellgate` as a child process: see test/helpers/cli.ts. */
export { CLI };

/** The environment without anything of the developer's that cellgate reads. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TWILIO_|KORE_|CELLGATE_)/.test(k))), ...extra };
}

/** `cellgate run --config F`, every output line kept in `logs()`; `preload`: modules node imports first (test seams). */
export function runDaemon(config: string, env: NodeJS.ProcessEnv, sink: { logs: string }, preload: string[] = []): ChildProcess {
  // The seams are TypeScript: tsx loads them, whether the CLI itself is the bundle or the sources.
  const seams = preload.length > 0 ? ["--import", "tsx", ...preload.flatMap((m) => ["--import", m])] : [];
  const args = [...seams, ...CLI, "run", "--config", config];
  const p = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  p.stdout.on("data", (b: Buffer) => (sink.logs += b.toString()));
  p.stderr.on("data", (b: Buffer) => (sink.logs += b.toString()));
  return p;
}

/** Resolves with the exit code (null when killed by a signal) once the process is gone. */
export async function exited(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return p.exitCode;
  return new Promise((r) => p.once("exit", (code) => r(code)));
}

/** One `cellgate …` run to its end: its exit code and everything it printed. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
