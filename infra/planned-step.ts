/**
 * A step of a pipeline's state machine as the program plans it: a timing template with stand-in
 * names (decisions/orchestration StepKind.timingTemplate), on which the time budget is planned
 * before any resource exists, and the real step, resolved once its names and ARNs are known.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedStep, TEMPLATE_ACCOUNT, TEMPLATE_REGION } from "../decisions/orchestration";

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
