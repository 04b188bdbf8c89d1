/**
 * Starting a policy pack the way the engine does, and what happens when that goes wrong: not a
 * pack, a pack that crashes before it serves, one that never prints its port. The child process
 * must be gone afterwards in every case.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess, PolicyRunnerError, runPolicyPack } from "../../tools/policy-runner";
import { PACK_CHANNELS, PACK_NODE_OPTIONS, packCommand } from "../../tools/policy-runner/pack-process";

const ROOT = path.resolve(__dirname, "..", "..");

function makePack(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-pack-test-"));
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !alive(pid);
}

/**
 * The processes whose working directory is `dir` (packs run there). Read from /proc rather than a
 * pid file the pack writes: a slow machine may kill the pack before its first line runs.
 */
function processesIn(dir: string): number[] {
  const real = fs.realpathSync(dir);
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return fs.readlinkSync(`/proc/${entry}/cwd`) === real ? [Number(entry)] : [];
    } catch {
      return []; // gone meanwhile, or not ours to inspect
    }
  });
}

async function waitUntilNoneIn(dir: string, ms = 3000): Promise<number[]> {
  const until = Date.now() + ms;
  while (processesIn(dir).length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processesIn(dir);
}

describe("policy pack process", function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("rejects a directory without PulumiPolicy.yaml, and one that does not exist", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "bdp-pack-test-"));
    dirs.push(empty);
    for (const dir of [empty, path.join(empty, "missing")]) {
      await assert.rejects(PolicyPackProcess.start(dir), (error: Error) => {
        assert.ok(error instanceof PolicyRunnerError);
        assert.equal(error.kind, "not-a-pack");
        assert.match(error.message, /PulumiPolicy\.yaml|does not exist/);
        return true;
      });
    }
  });

  it("reports a pack that fails to start, with its stderr, and leaves no process behind", async () => {
    const dir = makePack({
      "index.js": 'throw new Error("pack boom");\n',
    });
    dirs.push(dir);
    await assert.rejects(
      runPolicyPack(dir, { stack: "dev", project: "p", resources: [] }, { startTimeoutMs: 20_000 }),
      (error: Error) => {
        assert.ok(error instanceof PolicyRunnerError);
        assert.equal(error.kind, "start-failed");
        assert.match(error.message, /failed to start \(exited with code \d+ before printing its port\)/);
        assert.match(error.message, /pack boom/);
        return true;
      },
    );
    assert.deepEqual(await waitUntilNoneIn(dir), [], "pack processes still running");
  });

  it("times out on a pack that never prints its port, and kills it", async () => {
    const dir = makePack({
      "index.js": "setInterval(() => {}, 1000);\n",
    });
    dirs.push(dir);
    const started = Date.now();
    await assert.rejects(PolicyPackProcess.start(dir, { startTimeoutMs: 2500 }), (error: Error) => {
      assert.ok(error instanceof PolicyRunnerError);
      assert.equal(error.kind, "start-timeout");
      assert.match(error.message, /did not print its port within 2\.5 s/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual(await waitUntilNoneIn(dir), [], "pack processes still running after the timeout");
  });

  it("rejects a pack that prints something other than its port", async () => {
    const dir = makePack({ "index.js": 'console.log("hello, not a port");\nsetInterval(() => {}, 1000);\n' });
    dirs.push(dir);
    await assert.rejects(PolicyPackProcess.start(dir, { startTimeoutMs: 20_000 }), (error: Error) => {
      assert.ok(error instanceof PolicyRunnerError);
      assert.equal(error.kind, "start-failed");
      assert.match(error.message, /printed "hello, not a port" where its port was expected/);
      return true;
    });
  });

  it("starts this repository's packs from the compile cache and any other the way the CLI does", () => {
    const sdk = [
      path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js")),
      "127.0.0.1:0",
      ".",
    ];
    const compiled = [path.join(ROOT, "tools", "policy-runner", "compiled-pack.js"), "127.0.0.1:0"];
    const elsewhere = path.join(os.tmpdir(), "some-pack");
    const dependency = path.join(ROOT, "node_modules", "@pulumi", "awsguard");
    assert.deepEqual(packCommand(path.join(ROOT, "policies"), undefined), compiled);
    assert.deepEqual(packCommand(path.join(ROOT, "tests", "fixtures", "second-pack"), undefined), compiled);
    assert.deepEqual(packCommand(elsewhere, undefined), sdk);
    assert.deepEqual(packCommand(dependency, undefined), sdk);
    assert.deepEqual(packCommand(path.join(ROOT, "policies"), "type-check"), sdk);
    assert.deepEqual(packCommand(elsewhere, "compile-cache"), compiled);
  });

  it("loads a pack's TypeScript from the compile cache without type-checking it", async () => {
    // Prints a port and stays up, like a pack that serves; the type error would stop ts-node.
    const dir = makePack({
      "package.json": JSON.stringify({ name: "typed-pack", version: "0.0.1", main: "index.ts" }),
      "index.ts":
        'const port: number = "40002" as unknown as string;\nconsole.log(port);\nsetInterval(() => {}, 1000);\n',
    });
    dirs.push(dir);
    const pack = await PolicyPackProcess.start(dir, { typescript: "compile-cache", startTimeoutMs: 20_000 });
    try {
      assert.equal(pack.port, 40002);
      assert.deepEqual(pack.child.spawnargs.slice(1, 1 + PACK_NODE_OPTIONS.length), [...PACK_NODE_OPTIONS]);
      // Analyze calls take PACK_CHANNELS channels in turn, the first being the one other calls use.
      const taken = Array.from({ length: 2 * PACK_CHANNELS }, () => pack.nextChannel());
      assert.equal(new Set(taken).size, PACK_CHANNELS);
      assert.equal(taken[0], pack.client);
      assert.equal(taken[PACK_CHANNELS], pack.client);
    } finally {
      await pack.stop();
    }
  });

  it("reports a compiled pack that throws while loading, with its message and a failing exit code", async () => {
    const dir = makePack({ "index.ts": 'throw new Error("compiled pack boom");\n' });
    dirs.push(dir);
    await assert.rejects(
      PolicyPackProcess.start(dir, { typescript: "compile-cache", startTimeoutMs: 20_000 }),
      (error: Error) => {
        assert.ok(error instanceof PolicyRunnerError);
        assert.equal(error.kind, "start-failed");
        assert.match(error.message, /exited with code 1 before printing its port/);
        assert.match(error.message, /compiled pack boom/);
        return true;
      },
    );
  });

  it("ends the pack when the process that started it dies without running exit hooks", async () => {
    // A stand-in pack that "serves" at once: prints a port and stays up.
    const dir = makePack({ "index.js": 'console.log("40001");\nsetInterval(() => {}, 1000);\n' });
    dirs.push(dir);
    const script = [
      'const { PolicyPackProcess } = require("./tools/policy-runner");',
      `PolicyPackProcess.start(${JSON.stringify(dir)}).then((pack) => {`,
      "  process.stdout.write(`${pack.child.pid}\\n`, () => process.kill(process.pid, 'SIGKILL'));",
      "});",
    ].join("\n");
    const parent = spawn(process.execPath, ["-r", "./tools/compile/register.js", "-e", script], {
      cwd: path.resolve(__dirname, "..", ".."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    parent.stdout.on("data", (d) => (out += String(d)));
    const signal = await new Promise((resolve) => parent.on("close", (_code, sig) => resolve(sig)));
    assert.equal(signal, "SIGKILL");
    const pid = Number(out.trim());
    assert.ok(pid > 0, `pack pid printed: ${out}`);
    assert.ok(await waitUntilGone(pid, 5000), `pack process ${pid} outlived its parent`);
  });
});
