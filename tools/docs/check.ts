/**
 * `npm run docs:check`: the API reference committed in docs/api (TypeDoc markdown of index.ts and
 * testing.ts, `npm run docs`) is what the code generates, and every export is documented
 * (typedoc.json's validation, with warnings as errors).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const COMMITTED = path.join(ROOT, "docs", "api");

/** Every file under `dir`, relative to it, sorted. */
function filesOf(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The files that differ between two folders: added, removed or changed. */
export function staleFiles(committed: string, generated: string): string[] {
  const names = [...new Set([...filesOf(committed), ...filesOf(generated)])].sort();
  const read = (dir: string, name: string) =>
    fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), "utf8") : undefined;
  return names.filter((name) => read(committed, name) !== read(generated, name));
}

function main(): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-api-docs-"));
  try {
    const typedoc = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "typedoc"),
      ["--out", out, "--treatWarningsAsErrors", "--logLevel", "Warn"],
      { cwd: ROOT, encoding: "utf8" },
    );
    if (typedoc.status !== 0) {
      process.stderr.write(`${typedoc.stdout}${typedoc.stderr}`);
      process.stderr.write("error: TypeDoc failed; document every export (TSDoc) and run npm run docs\n");
      return 1;
    }
    const stale = staleFiles(COMMITTED, out);
    if (stale.length > 0) {
      process.stderr.write(
        `error: docs/api is stale (${stale.join(", ")}); run npm run docs and commit it\n`,
      );
      return 1;
    }
    console.log(`docs/api: up to date (${filesOf(out).length} files)`);
    return 0;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
