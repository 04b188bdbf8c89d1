/** The benchmark's generated stacks are valid configs, whatever the committed stack constrains. */
import { strict as assert } from "node:assert";

import { PROJECT, stackConfigFromEntries } from "../../../infra/config";
import { configWithPipelines, readRawStackConfig } from "../../../tools/bench/generate";
import { toRuntimeConfig } from "../../../tools/synth/stack-config";

describe("bench: generated stacks", () => {
  for (const stack of ["dev", "prod"]) {
    for (const count of [6, 30]) {
      it(`${stack} with ${count} pipelines passes the config check`, () => {
        const config = stackConfigFromEntries(
          toRuntimeConfig(configWithPipelines(readRawStackConfig(stack), PROJECT, count), PROJECT),
        );
        assert.equal(config.pipelines.length, count);
        assert.equal(new Set(config.pipelines.map((pipeline) => pipeline.name)).size, count);
      });
    }
  }

  it("keeps a warehouse load's tier and trigger: the template is timed around prod's pause schedule", () => {
    const raw = readRawStackConfig("prod");
    const templates = (raw[`${PROJECT}:pipelines`] ?? raw.pipelines) as any[];
    const loads = (pipeline: any) => (pipeline.steps ?? []).some((step: any) => step.type === "redshiftLoad");
    const template = templates.find(loads);
    assert.ok(template, "prod has a pipeline that loads the warehouse");
    const generated = configWithPipelines(raw, PROJECT, templates.length * 3);
    const replicas = (generated[`${PROJECT}:pipelines`] ?? generated.pipelines) as any[];
    const loaders = replicas.filter(loads);
    assert.equal(loaders.length, 3);
    for (const replica of loaders) {
      assert.deepEqual(replica.trigger, template.trigger);
      assert.equal(replica.slaTier, template.slaTier);
    }
  });
});
