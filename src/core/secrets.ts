import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CellgateError } from "./errors.js";

/**
 * A secret, from (in order) the `*File` path the config names, the systemd credentials
 * directory ($CREDENTIALS_DIRECTORY/<NAME>, LoadCredential=), or CELLGATE_<NAME>. Never from
 * the YAML itself, never logged. Undefined when none is set.
 */
export function readSecret(name: string, o: { file?: string; env?: NodeJS.ProcessEnv } = {}): string | undefined {
  const env = o.env ?? process.env;
  const fromFile = (path: string, what: string) => {
    try {
      return readFileSync(path, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new CellgateError("CG_ERR_CONFIG_READ", `cannot read ${what} ${path}: ${(err as Error).message}`, { file: path });
    }
  };
  if (o.file) return fromFile(o.file, `the ${name} file`);
  if (env.CREDENTIALS_DIRECTORY) {
    try {
      return readFileSync(join(env.CREDENTIALS_DIRECTORY, name), "utf8").replace(/\r?\n$/, "");
    } catch {
      // not passed as a credential
    }
  }
  const v = env[`CELLGATE_${name}`];
  return v === undefined || v === "" ? undefined : v;
}
