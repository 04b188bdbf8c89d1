/**
 * Test helpers for EventBridge failure rules: a structural check of patterns (value lists and
 * `prefix` only), an input-transformer simulation, and sample events shaped like the ones AWS
 * documents for each service. The pattern matcher is tests/support/event-pattern.ts.
 */

/** Reads `$.a.b.c` from an event. */
export function readPath(event: any, path: string): unknown {
  if (!path.startsWith("$.")) throw new Error(`unsupported path ${path}`);
  return path
    .slice(2)
    .split(".")
    .reduce((value: any, key) => (value === undefined || value === null ? undefined : value[key]), event);
}

/** Why a pattern is not one EventBridge accepts (leaves are non-empty arrays), or undefined. */
export function patternProblem(pattern: any, path = ""): string | undefined {
  if (pattern === null || typeof pattern !== "object" || Array.isArray(pattern)) {
    return `${path || "pattern"} must be an object`;
  }
  if (Object.keys(pattern).length === 0) return `${path || "pattern"} is empty`;
  for (const [key, value] of Object.entries(pattern)) {
    const where = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      if (value.length === 0) return `${where} is an empty list (matches nothing)`;
      for (const item of value) {
        const ok =
          typeof item === "string" ||
          (typeof item === "object" && item !== null && Object.keys(item).join() === "prefix" && item.prefix);
        if (!ok) return `${where} has an unsupported matcher ${JSON.stringify(item)}`;
      }
    } else {
      const problem = patternProblem(value, where);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * What EventBridge delivers for a transformer whose template is a JSON string literal: values
 * substituted (JSON-escaped, as EventBridge does inside quotes), then parsed as JSON.
 */
export function transform(inputPaths: Record<string, string>, inputTemplate: string, event: any): string {
  const filled = inputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (_, name: string) => {
    if (!(name in inputPaths)) throw new Error(`placeholder <${name}> has no input path`);
    const value = readPath(event, inputPaths[name]);
    const text =
      value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    return JSON.stringify(text).slice(1, -1);
  });
  const parsed = JSON.parse(filled);
  if (typeof parsed !== "string") throw new Error("template does not produce a string");
  return parsed;
}

const envelope = (source: string, detailType: string, detail: Record<string, unknown>) => ({
  version: "0",
  id: "c8f9c4b5-76e5-d76a-f980-7011e206042b",
  "detail-type": detailType,
  source,
  account: "123456789012",
  time: "2026-03-02T02:14:07Z",
  region: "eu-west-1",
  resources: [],
  detail,
});

export const SAMPLE_EVENTS = {
  glueJob: (jobName: string, state = "FAILED") =>
    envelope("aws.glue", "Glue Job State Change", {
      jobName,
      severity: "ERROR",
      state,
      jobRunId: "jr_0123456789abcdef",
      message: 'An error occurred while calling o98.save. "s3://bucket/key" Access Denied',
    }),
  glueCrawler: (crawlerName: string, state = "Failed") =>
    envelope("aws.glue", "Glue Crawler State Change", {
      crawlerName,
      errorMessage: "Internal Service Exception",
      accountId: "123456789012",
      cloudWatchLogLink: `https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEventViewer:group=/aws-glue/crawlers;stream=${crawlerName}`,
      state,
      message: "Crawler Failed",
    }),
  batchJob: (jobQueue: string, status = "FAILED") =>
    envelope("aws.batch", "Batch Job State Change", {
      jobArn: "arn:aws:batch:eu-west-1:123456789012:job/4c7599ae",
      jobName: "sales-export",
      jobId: "4c7599ae-0a82-49aa-ba5a-4727fcce14a8",
      jobQueue,
      status,
      statusReason: "Essential container in task exited",
      attempts: [],
    }),
  emrCluster: (name: string, state = "TERMINATED_WITH_ERRORS") =>
    envelope("aws.emr", "EMR Cluster State Change", {
      severity: "ERROR",
      stateChangeReason: '{"code":"VALIDATION_ERROR","message":"The VPC/subnet configuration was invalid"}',
      name,
      clusterId: "j-1YONHTCP3YZKC",
      state,
      message: `Amazon EMR Cluster j-1YONHTCP3YZKC (${name}) has terminated with errors with a reason of VALIDATION_ERROR.`,
    }),
  emrServerlessJob: (applicationId: string, state = "FAILED") =>
    envelope("aws.emr-serverless", "EMR Serverless Job Run State Change", {
      jobRunId: "00f1cbn5g4bb0c01",
      jobRunName: "clickstream-2026-03-02",
      applicationId,
      arn: `arn:aws:emr-serverless:eu-west-1:123456789012:/applications/${applicationId}/jobruns/00f1cbn5g4bb0c01`,
      releaseLabel: "emr-7.12.0",
      state,
      previousState: "RUNNING",
    }),
  stepFunctions: (stateMachineArn: string, status = "FAILED") =>
    envelope("aws.states", "Step Functions Execution Status Change", {
      executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:run-1`,
      stateMachineArn,
      name: "run-1",
      status,
      error: "States.TaskFailed",
      cause: '{"JobRunState":"FAILED","ErrorMessage":"boom"}',
    }),
};
