/**
 * npm run build: the CLI and the daemon (one entry, dist/cli/main.js) bundled by esbuild, split
 * at each command's `await import()`, so a CLI call loads a few files instead of ~340 modules
 * (the bench's CLI rows: about 0.1 s and 8 MB less per call here, more on a Pi's SD card).
 * serialport stays a package: its native binding is found next to its own files at run time.
 * Chunks sit beside main.js (dist/cli/), where version.ts finds ../../package.json; source maps
 * beside each file, for `node --enable-source-maps` to show src/ lines in stack traces.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const result = await build({
  absWorkingDir: root,
  entryPoints: [join(root, "src/cli/main.ts")],
  outdir: join(root, "dist/cli"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  chunkNames: "[name]-[hash]",
  external: ["serialport", "@serialport/*"],
  sourcemap: true,
  keepNames: true,
  // No comments or indentation: a chunk's source stays in V8's heap for the process's life, and one
  // non-Latin-1 character in a comment (undici's "§", "’") stores the whole chunk two bytes a
  // character. 3.6 M characters (2.9 M of them two-byte) become 2.5 M one-byte. Names are kept
  // (keepNames) and the source maps give src/ lines. Licence comments go to NAME.js.LEGAL.txt.
  minifyWhitespace: true,
  legalComments: "linked",
  logLevel: "warning",
  metafile: true,
  // Bundled CommonJS packages (pino, mqtt's dependencies…) call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __cellgateRequire } from "node:module"; const require = __cellgateRequire(import.meta.url);',
  },
});

// What an earlier build left (chunks are named by their content) goes once the new files are in
// place, not before: a daemon or test running dist/ meanwhile keeps finding its files.
const written = new Set(Object.keys(result.metafile.outputs).map((f) => join(root, f)));
for (const e of readdirSync(join(root, "dist"), { withFileTypes: true }))
  if (e.name !== "cli") rmSync(join(root, "dist", e.name), { recursive: true, force: true });
for (const name of readdirSync(join(root, "dist/cli")))
  if (!written.has(join(root, "dist/cli", name))) rmSync(join(root, "dist/cli", name), { recursive: true, force: true });
