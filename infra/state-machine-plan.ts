/**
 * What the program's state machines share: a step as the program plans it (a timing template
 * with stand-in names, decisions/orchestration StepKind.timingTemplate, on which the time budget
 * is planned before any resource exists, and the real step, resolved once its names and ARNs are
 * known), and how a machine of the platform is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ResolvedStep,
  StateMachineSpec,
  StepKinds,
  TEMPLATE_ACCOUNT,
  TEMPLATE_REGION,
} from "../decisions/orchestration";
import { PipelineStateMachine } from "../components/orchestration/state-machine";
import { PlatformContext } from "../engines/platform-context";

export interface PlannedStep {
  /** Same kind and name as the real step, and states that take as long; stand-in names and ARNs. */
  template: ResolvedStep;
  /** The shortest and longest window the budget may give the step, in seconds. */
  minSeconds: number;
  maxSeconds: number;
  resolved: pulumi.Output<ResolvedStep>;
}

/** The alert topic of timing templates (the alert's timing does not depend on its ARN). */
export const TEMPLATE_ALERT_TOPIC_ARN = `arn:aws:sns:${TEMPLATE_REGION}:${TEMPLATE_ACCOUNT}:timing-template`;

/** A state machine of the platform: its logs in the lake key's encrypted group, with its tags. */
export function platformStateMachine(
  name: string,
  spec: pulumi.Output<StateMachineSpec>,
  stepKinds: StepKinds,
  ctx: PlatformContext,
  tags: Record<string, string>,
  roleTags?: Record<string, string>,
): PipelineStateMachine {
  return new PipelineStateMachine(
    name,
    {
      machineName: name,
      spec,
      stepKinds,
      logRetentionDays: ctx.logRetentionDays,
      logKmsKeyArn: ctx.dataLake.key.arn,
      tags,
      roleTags,
    },
    ctx.opts,
  );
}
