import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { regenerated } from "./index.js";

/**
 * `npm run docs`: rewrites the generated sections of docs/ from the code (the configuration
 * schema, the MQTT topic map, the error codes). `npm run docs -- --check` writes nothing and
 * exits 1 when a file differs from what would be written.
 */
const root = join(import.meta.dirname, "../..");
const check = process.argv.includes("--check");
let stale = 0;
for (const [file, text] of regenerated(root)) {
  if (readFileSync(join(root, file), "utf8") === text) continue;
  stale++;
  if (check) process.stderr.write(`${file}: generated sections are out of date (npm run docs)\n`);
  else {
    writeFileSync(join(root, file), text);
    process.stdout.write(`${file}: regenerated\n`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
