/**
 * The one esbuild configuration of cellgate's CLI and daemon (one entry, src/cli/main.ts), split
 * at each command's `await import()`, so a call loads a few files instead of ~340 modules.
 * `npm run build` writes it to dist/cli/; the tests bundle the same way into a directory of their
 * own run, so they run what ships. serialport stays a package: its native binding is found next
 * to its own files at run time. version.ts finds ../../package.json from the output directory.
 */
import { build, type Metafile } from "esbuild";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..");

export async function bundle(outdir: string): Promise<Metafile> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, "src/cli/main.ts")],
    outdir,
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
  return result.metafile;
}
