import { strict as assert } from "assert";
import { validConfig } from "../support/config";
import { Synthesized, synthesizeProgram } from "../support/synth";

const BATCH_PIPELINE = {
  name: "store-uploads",
  description: "aggregates each upload",
  slaTier: "flexible",
  engine: "batch",
  trigger: { type: "s3Upload", prefix: "incoming/sales/", suffix: ".csv" },
  expectedRunsPerMonth: 30,
  expectedRuntimeMinutes: 3,
  timeoutMinutes: 20,
  source: { zone: "raw", prefix: "incoming/sales/" },
  target: { zone: "curated", prefix: "uploads/" },
  batch: {
    image: { uri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agg:1.0.0" },
    vcpu: 0.5,
    memoryMiB: 1024,
    attempts: 2,
  },
};

function interfaceEndpoints(result: Synthesized): string[] {
  return result
    .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
    .filter((endpoint) => endpoint.inputs.vpcEndpointType === "Interface")
    .map((endpoint) => String(endpoint.inputs.serviceName).split(".").slice(3).join("."))
    .sort();
}

describe("network of a stack without NAT", () => {
  it("gets interface endpoints for exactly the workloads it runs", async () => {
    const config = validConfig();
    config.network = { ...config.network, natGateways: "none" };
    config.pipelines = [BATCH_PIPELINE];
    assert.deepEqual(interfaceEndpoints(await synthesizeProgram(config)), ["ecr.api", "ecr.dkr", "logs"]);

    config.warehouse = {
      kind: "serverless",
      databaseName: "analytics",
      baseCapacityRpu: 8,
      maxCapacityRpu: 8,
      monthlyRpuHoursLimit: 10,
    };
    config.network = { ...config.network, availabilityZones: 3 };
    assert.deepEqual(interfaceEndpoints(await synthesizeProgram(config)), [
      "ecr.api",
      "ecr.dkr",
      "glue",
      "lakeformation",
      "logs",
    ]);
  });

  it("gets none with a NAT gateway", async () => {
    const config = validConfig();
    config.pipelines = [BATCH_PIPELINE];
    assert.deepEqual(interfaceEndpoints(await synthesizeProgram(config)), []);
  });
});
