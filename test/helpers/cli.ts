import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** `node --import tsx src/cli/main.ts`: the CLI as `npx cellgate` runs it, from the sources. */
export const CLI = ["--import", "tsx", join(import.meta.dirname, "../../src/cli/main.ts")];

/** The test runner's environment without any API credential or cellgate setting: a test passes what it means to. */
export const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TWILIO_|KORE_|CELLGATE_)/.test(k)));

/** Runs `cellgate ARGS` in CLEAN_ENV plus `env`; its exit code and output, whatever the code. */
export async function cellgateIn(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: { ...CLEAN_ENV, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
