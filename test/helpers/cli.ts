import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * `cellgate` as a child process (after `process.execPath`): the bundle of this test run, as
 * `npm run build` makes it (test/setup/cli-bundle.ts), else the sources through tsx (a file run
 * without that setup). What `npx cellgate` runs is the bundle.
 */
export const CLI = process.env.TEST_CELLGATE_BUNDLE ? [process.env.TEST_CELLGATE_BUNDLE] : cliFromSource();

/** The CLI from the sources through tsx: for a test about the source modules themselves. */
export function cliFromSource(): string[] {
  return ["--import", "tsx", join(import.meta.dirname, "../../src/cli/main.ts")];
}

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
