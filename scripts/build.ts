/**
 * npm run build: the CLI and the daemon bundled by esbuild into dist/cli/ (scripts/bundle.ts says
 * how), with source maps beside every file for `node --enable-source-maps` to show src/ lines.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bundle, ROOT } from "./bundle.js";

const metafile = await bundle(join(ROOT, "dist/cli"));

// What an earlier build left (chunks are named by their content) goes once the new files are in
// place, not before: a daemon or test running dist/ meanwhile keeps finding its files.
const written = new Set(Object.keys(metafile.outputs).map((f) => join(ROOT, f)));
for (const e of readdirSync(join(ROOT, "dist"), { withFileTypes: true }))
  if (e.name !== "cli") rmSync(join(ROOT, "dist", e.name), { recursive: true, force: true });
for (const name of readdirSync(join(ROOT, "dist/cli")))
  if (!written.has(join(ROOT, "dist/cli", name))) rmSync(join(ROOT, "dist/cli", name), { recursive: true, force: true });
