/** A stack too large for the plan's heap gets a clear error naming the key, not V8's fatal out-of-memory. */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT } from "../../infra/config";
import {
  benchAccount,
  configWithPipelines,
  inOwnAccount,
  readRawStackConfig,
} from "../../tools/bench/generate";
import { maxPipelines, pipelineCount, stackSizeError } from "../../tools/plan/capacity";
import { stackFilePath } from "../../tools/synth/stack-config";

const ROOT = path.resolve(__dirname, "..", "..");

describe("plan capacity", () => {
  it("allows Node's default heap (4 GB and more) 1,000 pipelines with room to spare", () => {
    assert.ok(maxPipelines(4144) >= 2000, String(maxPipelines(4144)));
    assert.equal(maxPipelines(300), 0);
    assert.equal(stackSizeError(1000, 4144), undefined);
  });

  it("says which key is too large, the most this heap holds and how to raise it", () => {
    const most = maxPipelines(1024);
    assert.equal(stackSizeError(most, 1024), undefined);
    const message = stackSizeError(most + 1, 1024) ?? "";
    assert.match(
      message,
      new RegExp(`^${PROJECT}:pipelines: ${most + 1} pipelines are more than one plan can hold`),
    );
    assert.match(message, new RegExp(`\\(1024 MB here: at most ${most} pipelines\\)`));
    assert.match(message, /NODE_OPTIONS=--max-old-space-size=\d+ npm run plan/);
  });

  it("counts the pipelines of a flat stack config", () => {
    assert.equal(pipelineCount({ [`${PROJECT}:pipelines`]: JSON.stringify([{}, {}, {}]) }), 3);
    assert.equal(pipelineCount({}), 0);
    assert.equal(pipelineCount({ [`${PROJECT}:pipelines`]: "not json" }), 0);
  });

  it("exits 2 before synthesizing a stack the heap cannot hold", function () {
    this.timeout(60_000);
    const stack = `capacity-${process.pid}`;
    const pipelines = 100;
    const raw = configWithPipelines(
      inOwnAccount(readRawStackConfig("dev"), PROJECT, benchAccount(7)),
      PROJECT,
      pipelines,
    );
    fs.writeFileSync(stackFilePath(stack), stringify({ config: raw }));
    try {
      // 512 MB holds fewer than 100 pipelines.
      assert.ok(maxPipelines(512) < pipelines);
      const run = spawnSync(
        process.execPath,
        [
          "--max-old-space-size=512",
          "-r",
          "./tools/compile/register.js",
          "tools/plan/cli.ts",
          "--stack",
          stack,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, "");
      assert.match(
        run.stderr,
        new RegExp(`^error: .*Pulumi\\.${stack}\\.yaml: ${PROJECT}:pipelines: 100 pipelines are more than`),
      );
      assert.doesNotMatch(run.stderr, /\n\s+at .*:\d+:\d+/);
    } finally {
      fs.rmSync(stackFilePath(stack), { force: true });
    }
  });
});
