import { strict as assert } from "assert";
import * as path from "path";
import { ESLint, Linter } from "eslint";

const ROOT = path.resolve(__dirname, "..", "..");
const LAYER_RULES = new Set(["@typescript-eslint/no-restricted-imports", "no-restricted-syntax"]);

/** Offending snippets: the file they pretend to be in, the code, and the message expected. */
const VIOLATIONS: { file: string; code: string; message: RegExp }[] = [
  {
    file: "decisions/glue.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nexport const x = pulumi;\n',
    message: /Layer rule decisions\/: decisions\/ must not import @pulumi\/\*\. Decisions are pure functions/,
  },
  {
    file: "decisions/cost/estimate.ts",
    code: 'import type { PolicyStatement } from "@pulumi/aws/iam";\nexport type X = PolicyStatement;\n',
    message: /Layer rule decisions\/: decisions\/ must not import @pulumi\/\*/,
  },
  {
    file: "decisions/glue.ts",
    code: 'import { DataLake } from "../components/storage/data-lake";\nexport const x = DataLake;\n',
    message: /Layer rule decisions\/: decisions\/ must not import from components\/\. decisions\/ holds pure/,
  },
  {
    file: "decisions/orchestration/definition.ts",
    code: 'export { glueSettings } from "../../engines/glue/settings";\n',
    message: /Layer rule decisions\/: decisions\/ must not import from engines\//,
  },
  {
    file: "decisions/cost/report.ts",
    code: 'import type { StackConfig } from "../../infra/config";\nexport type X = StackConfig;\n',
    message: /Layer rule decisions\/: decisions\/ must not import from infra\//,
  },
  {
    file: "decisions/schedule.ts",
    code: 'export async function load() {\n  return import("../tools/plan/plan");\n}\n',
    message: /Layer rule decisions\/: decisions\/ must not import from tools\//,
  },
  {
    file: "decisions/alarms.ts",
    code: 'export type X = import("../tests/support/synth").Synthesized;\n',
    message: /Layer rule decisions\/: decisions\/ must not import from tests\//,
  },
  {
    file: "components/glue/etl-job.ts",
    code: 'import { EngineContext } from "../../engines/contract";\nexport type X = EngineContext;\n',
    message:
      /Layer rule components\/: components\/ must not import from engines\/\. Components are reusable resources .* take the value through the component's args\.$/,
  },
  {
    file: "components/emr/cluster.ts",
    code: 'import config = require("../../infra/config");\nexport const x = config;\n',
    message: /Layer rule components\/: components\/ must not import from infra\//,
  },
  {
    file: "components/batch/compute.ts",
    code: 'export const program = require("../../tools/synth/program");\n',
    message: /Layer rule components\/: components\/ must not import from tools\//,
  },
  {
    file: "components/shared/iam.ts",
    code: 'export * from "../../tests/support/iam";\n',
    message: /Layer rule components\/: components\/ must not import from tests\//,
  },
  {
    file: "engines/glue/index.ts",
    code: 'import { loadStackConfig } from "../../infra/config";\nexport const x = loadStackConfig;\n',
    message:
      /Layer rule engines\/: engines\/ must not import from infra\/\. engines\/ sits between components\/ and infra\//,
  },
  {
    file: "engines/contract.ts",
    code: 'import { synthesizePlatform } from "../tools/synth/program";\nexport const x = synthesizePlatform;\n',
    message: /Layer rule engines\/: engines\/ must not import from tools\//,
  },
  {
    file: "engines/emr/step.ts",
    code: 'import { testFoundation } from "../../tests/support/foundation";\nexport const x = testFoundation;\n',
    message: /Layer rule engines\/: engines\/ must not import from tests\//,
  },
  {
    file: "policies/index.ts",
    code: 'import { PROJECT } from "../infra/config";\nexport const x = PROJECT;\n',
    message:
      /Layer rule policies\/: the policy pack is its own npm workspace and must not import anything outside policies\//,
  },
  {
    file: "policies/lib/tags.ts",
    code: 'import { REQUIRED_TAGS } from "../../components/shared/tags";\nexport const x = REQUIRED_TAGS;\n',
    message: /Layer rule policies\//,
  },
  {
    file: "policies/security/encryption.ts",
    code: 'import { prices } from "../../../package.json";\nexport const x = prices;\n',
    message: /Layer rule policies\//,
  },
  {
    file: "tools/plan/plan.ts",
    code: 'import { synthesizeProgram } from "../../tests/support/synth";\nexport const x = synthesizeProgram;\n',
    message:
      /Layer rule tools\/: tools\/ must not import from tests\/\. Tests may use tools, not the other way round/,
  },
  {
    file: "jobs/sales-aggregator/src/main.ts",
    code: 'import { glueSettings } from "../../../decisions/glue";\nexport const x = glueSettings;\n',
    message:
      /Layer rule jobs\/: job code runs on its own .* must not import anything from the rest of the repository/,
  },
  {
    file: "jobs/spark/a/b/c/deep.ts",
    code: 'import { x } from "../../../../../tools/cli/args";\nexport const y = x;\n',
    message: /Layer rule jobs\//,
  },
  {
    file: "jobs/spark/a/b/c/d/e/too-deep.ts",
    code: "export const x = 1;\n",
    message: /Layer rules reach 6 folders deep into jobs\/: raise MAX_DEPTH in eslint\.config\.mjs\./,
  },
  {
    file: "components/glue/etl-job.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nexport const config = new pulumi.Config("bdp");\n',
    message: /Layer rule config: only infra\/config\.ts \(the config loader\) reads stack config\./,
  },
  {
    file: "engines/glue/settings.ts",
    code: 'import { Config } from "@pulumi/pulumi";\nexport const config = new Config();\n',
    message: /Layer rule config: only infra\/config\.ts/,
  },
  {
    file: "components/network/network.ts",
    code: 'import * as p from "@pulumi/pulumi";\nexport const config = new p.Config();\n',
    message: /Layer rule config: only infra\/config\.ts/,
  },
  {
    file: "infra/platform.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nexport const all = pulumi.runtime.allConfig();\n',
    message: /Layer rule config: only infra\/config\.ts/,
  },
  {
    file: "infra/platform.ts",
    code: 'import { DataLake } from "../components/storage/data-lake";\nexport const x = DataLake;\n',
    message:
      /Layer rule infra\/: infra\/ must not import from components\/\. The program composes components through the package's public API/,
  },
  {
    file: "infra/monitoring.ts",
    code: 'import { runPlan } from "../tools/plan/plan";\nexport const x = runPlan;\n',
    message: /Layer rule infra\/: infra\/ must not import from tools\//,
  },
  {
    file: "examples/glue-on-existing-bucket/index.ts",
    code: 'import { EtlJob } from "../../components/glue/etl-job";\nexport const x = EtlJob;\n',
    message: /Layer rule examples\/: an example is a team's program and uses the package by its name/,
  },
  {
    file: "index.ts",
    code: 'export { buildPlatform } from "./infra/platform";\n',
    message:
      /Layer rule package: index\.ts may import only components\/, decisions\/ and engines\/<engine>\/monitoring\./,
  },
  {
    file: "index.ts",
    code: 'export const registry = () => import("./engines/registry");\n',
    message: /Layer rule package: index\.ts may import only components\//,
  },
  {
    file: "index.ts",
    code: 'export * from "./engines/glue/settings";\n',
    message: /Layer rule package: index\.ts may import only/,
  },
  {
    file: "engines/glue/monitoring.ts",
    code: 'import { GlueSettings } from "./settings";\nexport type X = GlueSettings;\n',
    message: /Layer rule package: engines\/\*\/monitoring\.ts may import only components\/ and decisions\//,
  },
  {
    file: "testing.ts",
    code: 'export { synthesizePlatform } from "./tools/synth/program";\n',
    message:
      /Layer rule package: testing\.ts may import only tools\/synth\/\{mock-run,mock-outputs,default-providers,project,stack-config\}/,
  },
  {
    file: "testing.ts",
    code: 'export * from "./tests/support/synth";\n',
    message: /Layer rule package: testing\.ts/,
  },
  {
    file: "tools/synth/mock-run.ts",
    code: 'import { PROJECT } from "../../infra/config";\nexport const x = PROJECT;\n',
    message:
      /Layer rule package: tools\/synth\/mock-run\.ts may import only the other packaged tools\/synth files/,
  },
  {
    file: "tools/synth/project.ts",
    code: 'import { synthesizePlatform } from "./program";\nexport const x = synthesizePlatform;\n',
    message: /Layer rule package: tools\/synth\/project\.ts/,
  },
  {
    file: "tools/synth/program.ts",
    code: 'import { runtime } from "@pulumi/pulumi";\nexport const region = runtime.getConfig("aws:region");\n',
    message: /Layer rule config: only infra\/config\.ts/,
  },
];

/** Snippets every layer rule lets through. */
const COMPLIANT: { file: string; code: string }[] = [
  {
    file: "decisions/cost/report.ts",
    code: 'import { glueSettings } from "../glue";\nimport { x } from "./prices";\nexport const y = [glueSettings, x];\n',
  },
  {
    // A sub-folder of components/ named like a layer is still inside components/.
    file: "components/glue/etl-job.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nimport { policyJson } from "../shared/iam";\nimport { fixture } from "../tests/fixture";\nimport { plan } from "../../decisions/glue";\nexport const x = [pulumi, policyJson, fixture, plan];\n',
  },
  {
    file: "engines/glue/index.ts",
    code: 'import { EtlJob } from "../../components/glue/etl-job";\nimport { plan } from "../../decisions/glue";\nimport { context } from "../platform-context";\nexport const x = [EtlJob, plan, context];\n',
  },
  {
    file: "policies/security/encryption.ts",
    code: 'import * as aws from "@pulumi/aws";\nimport { define } from "../lib/define";\nimport * as fs from "fs";\nexport const x = [aws, define, fs];\nexport const read = (args: { getConfig(): unknown }) => args.getConfig();\n',
  },
  {
    file: "tools/plan/plan.ts",
    code: 'import { PROJECT } from "../../infra/config";\nimport { policies } from "../../policies/pack";\nexport const x = [PROJECT, policies];\nexport const load = () => import("../synth/program");\n',
  },
  {
    file: "jobs/sales-aggregator/src/main.ts",
    code: 'import { S3Client } from "@aws-sdk/client-s3";\nimport { loadConfig } from "./config";\nimport { helper } from "../lib/helper";\nexport const x = [S3Client, loadConfig, helper];\n',
  },
  {
    file: "examples/batch-on-upload/index.ts",
    code: 'import { DataLake } from "batch-data-platform";\nimport { synthesize } from "batch-data-platform/testing";\nimport { handler } from "./handler";\nexport const x = [DataLake, synthesize, handler];\n',
  },
  {
    file: "index.ts",
    code: 'export * from "./components/glue";\nexport { SLA_TIERS } from "./decisions/sla-tier";\nexport * from "./engines/glue/monitoring";\n',
  },
  {
    file: "testing.ts",
    code: 'export * from "./tools/synth/mock-run";\nexport * from "./tools/synth/project";\n',
  },
  {
    file: "tools/synth/project.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nimport { synthesize } from "./mock-run";\nexport const x = [pulumi, synthesize];\n',
  },
  {
    // The repository's own program runner is tooling, not part of the package.
    file: "tools/synth/program.ts",
    code: 'import { platformProgram } from "../../infra/platform";\nimport { synthesize } from "./mock-run";\nexport const x = [platformProgram, synthesize];\n',
  },
  {
    file: "infra/platform.ts",
    code: 'import { DataLake } from "../index";\nimport { ENGINES } from "../engines/registry";\nimport { SLA_TIERS } from "../decisions/sla-tier";\nexport const x = [DataLake, ENGINES, SLA_TIERS];\n',
  },
  {
    file: "infra/config.ts",
    code: 'import * as pulumi from "@pulumi/pulumi";\nexport const config = new pulumi.Config("bdp");\nexport const all = pulumi.runtime.allConfig();\n',
  },
  {
    // Tests may import from every layer.
    file: "tests/lint/sample.test.ts",
    code: 'import { x } from "../../tools/cli/args";\nimport { y } from "../support/iam";\nexport const z = [x, y];\n',
  },
];

/** The line a violation is about, for the test's title. */
const offendingLine = (code: string) =>
  code.split("\n").find((line) => /import\(|require\(|Config\(|runtime\./.test(line)) ?? code.split("\n")[0];

describe("layering enforced by ESLint", function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    assert.ok(result, file);
    const fatal = result.messages.filter((message) => message.fatal);
    assert.deepEqual(fatal, [], `${file} did not parse`);
    return result.messages;
  }

  for (const { file, code, message } of VIOLATIONS) {
    it(`refuses in ${file}: ${offendingLine(code)}`, async () => {
      const messages = await lint(file, code);
      const layering = messages.filter((m) => m.ruleId && LAYER_RULES.has(m.ruleId));
      assert.equal(layering.length, 1, JSON.stringify(messages, null, 2));
      assert.equal(layering[0].severity, 2);
      assert.match(layering[0].message, message);
    });
  }

  for (const { file, code } of COMPLIANT) {
    it(`accepts in ${file}: ${code.split("\n")[0]}`, async () => {
      assert.deepEqual(await lint(file, code), []);
    });
  }
});
