import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * The paths the modem's AT port may appear under: fixed paths, or patterns with `*` / `?` in
 * the last segment (`/dev/serial/by-id/usb-Quectel_*-if02-port0`), because ttyUSB numbers
 * move on every re-enumeration. Returns the existing paths, in the order the patterns give.
 */
export async function findPorts(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    const base = basename(p);
    if (!/[*?]/.test(base)) {
      if (await exists(p)) out.push(p);
      continue;
    }
    const re = new RegExp(
      `^${base
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
    const dir = dirname(p);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.sort()) if (re.test(n) && (await exists(join(dir, n)))) out.push(join(dir, n));
  }
  return [...new Set(out)];
}

/** The path resolves (symlinks followed) to something that exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
