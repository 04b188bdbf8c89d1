/**
 * `npm run examples`: the package as a team gets it. Packs this repository (`npm pack`, which
 * builds dist/ first), checks the tarball holds only the package, installs it into a temporary
 * folder next to copies of `examples/*` (from the local npm cache where it can, at the versions
 * this repository locks), then for each example: type-checks it against the installed package,
 * plans it offline (`npm run plan -- --program DIR --stack dev`: mocks, policy pack, deploy rules;
 * exit 0 required) and runs its own tests, if it has any.
 *
 * Flags: `--keep` leaves the temporary folder for a look; `--only NAME` checks one example.
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");

/** What a team installs next to the package: its peers and the tools to type-check and test. */
const TEAM_PACKAGES = [
  "@pulumi/pulumi",
  "@pulumi/aws",
  "@pulumi/awsx",
  "typescript",
  "ts-node",
  "@types/node",
  "mocha",
  "@types/mocha",
];

/**
 * The module settings of the tsconfig.json `pulumi new typescript` writes: resolution without
 * package `exports`, under which `batch-data-platform/testing` resolves through `typesVersions`.
 */
const PULUMI_NEW_RESOLUTION = ["--module", "commonjs", "--moduleResolution", "node10"];

/** What the tarball may hold: the build of index.ts and testing.ts and what they import. */
const PACKAGED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^dist\/(index|testing)\.(js|d\.ts)$/,
  /^dist\/(components|decisions)\/.+\.(js|d\.ts)$/,
  /^dist\/engines\/[a-z-]+\/monitoring\.(js|d\.ts)$/,
  /^dist\/tools\/synth\/(mock-run|mock-outputs|default-providers|project|stack-config)\.(js|d\.ts)$/,
];

class CheckFailed extends Error {}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return result;
}

/** Runs a step; on a non-zero exit, prints its output and fails the check. */
function step(what: string, command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const started = Date.now();
  const result = run(command, args, cwd, env);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`${result.stdout}\n${result.stderr}\n`);
    throw new CheckFailed(`${what} failed (exit ${result.status}, ${seconds} s)`);
  }
  console.log(`  ${what}: ok (${seconds} s)`);
  return result.stdout;
}

/** The version of `name` this repository has installed (what its lockfile pins). */
function lockedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
}

/** Packs the repository into `dir` and checks the tarball's files; returns the tarball's path. */
function pack(dir: string): string {
  const output = step("npm pack (builds dist/)", "npm", ["pack", "--json", "--pack-destination", dir], ROOT);
  const [packed] = JSON.parse(output.slice(output.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const stray = packed.files
    .map((file) => file.path)
    .filter((file) => !PACKAGED.some((rule) => rule.test(file)));
  if (stray.length > 0)
    throw new CheckFailed(`the tarball holds files outside the package: ${stray.join(", ")}`);
  if (!packed.files.some((file) => file.path === "dist/testing.d.ts")) {
    throw new CheckFailed("the tarball has no dist/testing.d.ts");
  }
  console.log(`  tarball: ${packed.filename}, ${packed.files.length} files`);
  return path.join(dir, packed.filename);
}

/** The example folders to check, each with its Pulumi.yaml. */
function examples(only?: string): string[] {
  const names = fs
    .readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES, entry.name, "Pulumi.yaml")))
    .map((entry) => entry.name)
    .sort();
  if (only === undefined) return names;
  if (!names.includes(only)) throw new CheckFailed(`no example "${only}"; examples: ${names.join(", ")}`);
  return [only];
}

function checkExample(name: string, folder: string): void {
  console.log(`example ${name}`);
  const bin = (tool: string) => path.join(folder, "..", "..", "node_modules", ".bin", tool);
  step("type check against the installed package", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], folder);
  step(
    "type check as `pulumi new` sets TypeScript up (commonjs, node10 resolution)",
    bin("tsc"),
    ["--noEmit", "-p", "tsconfig.json", ...PULUMI_NEW_RESOLUTION],
    folder,
  );
  const plan = step(
    "offline plan (mocks, policy pack, deploy rules)",
    "npm",
    ["run", "-s", "plan", "--", "--program", folder, "--stack", "dev"],
    ROOT,
  );
  showLines(plan, /^(Totals|Policy result|Deploy result):/);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
  if (manifest.scripts?.test) {
    const tests = step("its own tests (npm test)", "npm", ["test", "--silent"], folder, {
      TS_NODE_PROJECT: path.join(folder, "tsconfig.json"),
    });
    showLines(tests, /^\s*\d+ (passing|pending)/);
  }
}

/** Prints the lines of a step's output that sum it up. */
function showLines(output: string, pattern: RegExp): void {
  for (const line of output.split("\n").filter((text) => pattern.test(text)))
    console.log(`    ${line.trim()}`);
}

function main(argv: string[]): number {
  const keep = argv.includes("--keep");
  const onlyAt = argv.indexOf("--only");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-examples-"));
  let passed = 0;
  let failed = 0;
  try {
    const names = examples(onlyAt >= 0 ? argv[onlyAt + 1] : undefined);
    console.log(`package check in ${work}`);
    const tarball = pack(work);
    // One install for all examples: node resolves each example's imports from the folder above it.
    const dependencies = Object.fromEntries([
      ["batch-data-platform", `file:${tarball}`],
      ...TEAM_PACKAGES.map((name) => [name, lockedVersion(name)]),
    ]);
    fs.writeFileSync(
      path.join(work, "package.json"),
      JSON.stringify({ name: "bdp-examples-check", private: true, dependencies }, null, 2),
    );
    step(
      "npm install (local cache first)",
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund"],
      work,
    );
    for (const name of names) {
      const folder = path.join(work, "examples", name);
      fs.cpSync(path.join(EXAMPLES, name), folder, {
        recursive: true,
        filter: (source) => !source.split(path.sep).includes("node_modules"),
      });
      try {
        checkExample(name, folder);
        passed += 1;
      } catch (error) {
        if (!(error instanceof CheckFailed)) throw error;
        console.error(`  ${error.message}`);
        failed += 1;
      }
    }
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    console.error(`error: ${error.message}`);
    failed += 1;
  } finally {
    if (keep) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`examples: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
