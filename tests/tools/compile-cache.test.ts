/**
 * The compile cache (tools/compile): TypeScript transpiled once with tsconfig.json's options, kept
 * per source file, reused while the source is unchanged, and loaded in place of ts-node.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { cacheDir, compile, isProjectFile, ROOT } from "../../tools/compile/cache";

const SOURCE = `import * as path from "path";
export const where: string = path.basename(__dirname);
export function twice(value: number): number {
  return value * 2;
}
`;

describe("compile cache", () => {
  let tmp: string;
  let previous: string | undefined;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-compile-"));
    previous = process.env.BDP_COMPILE_CACHE;
    process.env.BDP_COMPILE_CACHE = path.join(tmp, "cache");
  });

  afterEach(() => {
    if (previous === undefined) delete process.env.BDP_COMPILE_CACHE;
    else process.env.BDP_COMPILE_CACHE = previous;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("keeps its entries under $BDP_COMPILE_CACHE, by default under node_modules/.cache", () => {
    assert.equal(cacheDir(), path.join(tmp, "cache"));
    delete process.env.BDP_COMPILE_CACHE;
    assert.equal(cacheDir(), path.join(ROOT, "node_modules", ".cache", "bdp-compile"));
  });

  it("emits what the compiler emits for the file alone with tsconfig.json's options", () => {
    const file = path.join(tmp, "module.ts");
    const output = compile(SOURCE, file);
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!;
    // No outDir: the source map names the .ts file beside the module, which keeps its .ts name.
    const { outDir: _outDir, ...options } = config.options;
    const expected = ts.transpileModule(SOURCE, {
      compilerOptions: { ...options, isolatedModules: true, inlineSourceMap: true, sourceMap: false },
      fileName: file,
    }).outputText;
    assert.equal(output, expected);
    assert.match(output, /^"use strict";/);
    assert.doesNotMatch(output, /: number/);
    const map = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)/.exec(output);
    assert.deepEqual(JSON.parse(Buffer.from(map![1], "base64").toString("utf8")).sources, ["module.ts"]);
  });

  it("reuses the stored JavaScript while the source is unchanged, and recompiles when it changes", () => {
    const file = path.join(tmp, "module.ts");
    compile(SOURCE, file);
    const entries = fs.readdirSync(cacheDir());
    assert.equal(entries.length, 1);
    // Alter the stored code behind its header: an unchanged source must get the stored text back.
    const stored = path.join(cacheDir(), entries[0]);
    fs.writeFileSync(stored, fs.readFileSync(stored, "utf8").replace("value * 2", "value * 3"));
    assert.match(compile(SOURCE, file), /value \* 3/);

    const changed = SOURCE.replace("value * 2", "value * 4");
    assert.match(compile(changed, file), /value \* 4/);
    // One entry per source file: the new output replaced the old one.
    assert.deepEqual(fs.readdirSync(cacheDir()), entries);
  });

  it("loads .ts modules in place of ts-node once registered, with their own file names", () => {
    const file = path.join(tmp, "typed.ts");
    // A type error ts-node would refuse to run with type checking on; the cache only transpiles.
    fs.writeFileSync(file, `${SOURCE}export const wrong: number = "not a number" as unknown as string;\n`);
    const script = [
      `require("ts-node").register({ typeCheck: true, skipProject: true });`,
      `require(${JSON.stringify(path.join(ROOT, "tools", "compile", "cache.js"))}).register();`,
      `const loaded = require(${JSON.stringify(file)});`,
      `console.log(JSON.stringify({ where: loaded.where, twice: loaded.twice(21) }));`,
    ].join("\n");
    const run = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: { ...process.env, BDP_COMPILE_CACHE: cacheDir() },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { where: path.basename(tmp), twice: 42 });
    assert.equal(fs.readdirSync(cacheDir()).length, 1);
  });

  it("counts the repository's own files as project files, not dependencies or other folders", () => {
    assert.equal(isProjectFile(path.join(ROOT, "policies")), true);
    assert.equal(isProjectFile(path.join(ROOT, "tools", "plan", "cli.ts")), true);
    assert.equal(isProjectFile(ROOT), false);
    assert.equal(isProjectFile(path.join(ROOT, "node_modules", "@pulumi", "policy")), false);
    assert.equal(isProjectFile(path.join(ROOT, "policies", "node_modules", "x")), false);
    assert.equal(isProjectFile(tmp), false);
  });
});

describe("deferred modules", () => {
  const DEFER = path.join(ROOT, "tools", "compile", "defer.js");

  /** Runs `script` in a fresh node process and returns what it printed as JSON. */
  function run(script: string, args: string[] = []): unknown {
    const result = spawnSync(process.execPath, [...args, "-e", script], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
  }

  it("stands in for a module until it is used, and hands out its functions without loading it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-defer-"));
    try {
      const heavy = path.join(dir, "heavy.js");
      fs.writeFileSync(
        heavy,
        "globalThis.loads = (globalThis.loads || 0) + 1;\n" +
          'Object.defineProperty(exports, "__esModule", { value: true });\n' +
          "exports.twice = (n) => n * 2;\nexports.size = 7;\n",
      );
      const script = [
        `require(${JSON.stringify(DEFER)}).deferModules(new Map([[${JSON.stringify(heavy)}, { esModule: true, functions: ["twice"] }]]));`,
        `const m = require(${JSON.stringify(heavy)});`,
        "const seen = [globalThis.loads ?? 0];",
        "const esModule = m.__esModule; const twice = m.twice; seen.push(globalThis.loads ?? 0);",
        "const result = twice(21); seen.push(globalThis.loads);",
        "const size = m.size; const again = require(" + JSON.stringify(heavy) + ").twice(2);",
        "console.log(JSON.stringify({ seen, esModule, result, size, again, loads: globalThis.loads }));",
      ].join("\n");
      assert.deepEqual(run(script), {
        seen: [0, 0, 1],
        esModule: true,
        result: 42,
        size: 7,
        again: 4,
        loads: 1,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the SDK's TypeScript and code-path finder out of the plan's start", () => {
    const script = [
      'require("./tools/plan/cli.ts");',
      'const pulumi = require("@pulumi/pulumi");',
      "const loaded = Object.keys(require.cache);",
      "console.log(JSON.stringify({",
      "  typescript: loaded.some((f) => f.includes('/node_modules/typescript/')),",
      "  arborist: loaded.some((f) => f.includes('/node_modules/@npmcli/arborist/')),",
      "  computeCodePaths: typeof pulumi.runtime.computeCodePaths,",
      "}));",
    ].join("\n");
    // The first start after a change compiles, and compiling loads TypeScript: measure a warm start.
    run(script, ["-r", "./tools/compile/register.js"]);
    assert.deepEqual(run(script, ["-r", "./tools/compile/register.js"]), {
      typescript: false,
      arborist: false,
      computeCodePaths: "function",
    });
  });
});
