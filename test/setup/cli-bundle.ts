import { copyFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundle, ROOT } from "../../scripts/bundle.js";

/**
 * vitest globalSetup: the CLI bundled once per run, as `npm run build` bundles it, so every test
 * that starts `cellgate` (hundreds of processes: the daemon, the CLI, the simulators) runs what
 * ships and starts in a fraction of a from-source (tsx) start. Each run has its own directory, so
 * two `npm test` side by side do not share one; test/helpers/daemon-proc.ts reads its path from
 * TEST_CELLGATE_BUNDLE and falls back to the sources without it (a file run outside this setup).
 */
export default async function setup(): Promise<() => void> {
  const base = join(ROOT, ".test-dist");
  const dir = join(base, `run-${process.pid}`);
  mkdirSync(base, { recursive: true });
  // version.ts reads ../../package.json from the bundle's directory: .test-dist/package.json.
  const tmp = join(base, `package.json.${process.pid}`);
  copyFileSync(join(ROOT, "package.json"), tmp);
  renameSync(tmp, join(base, "package.json"));
  await bundle(join(dir, "cli"));
  process.env.TEST_CELLGATE_BUNDLE = join(dir, "cli", "main.js");
  return () => rmSync(dir, { recursive: true, force: true });
}
