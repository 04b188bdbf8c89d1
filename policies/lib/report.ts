/**
 * How policies report. Every message names the resource (type and name) and the fix:
 *
 *   aws:glue/job:Job "nightly-etl": timeout is not set. Fix: set `timeout` (minutes) to at most 480.
 *
 * Findings a policy cannot judge (values unknown during preview, shapes it does not understand)
 * are reported as advisory whatever the policy's enforcement level, prefixed "cannot judge", so
 * a preview never fails on what it cannot see, and nobody mistakes silence for compliance.
 */
import { EnforcementLevel, ReportViolation } from "@pulumi/policy";
import { Read } from "./values";

export interface Subject {
  type: string;
  name: string;
  urn: string;
}

/** Prefix of the advisory a policy emits when its own code failed; tests assert it never appears. */
export const INTERNAL_ERROR_PREFIX = "cannot judge (policy error)";

/** Subject of findings about the stack as a whole (stack policies). */
export const STACK_SUBJECT: Subject = { type: "pulumi:pulumi:Stack", name: "stack", urn: "" };

export function label(s: Subject): string {
  return s.type === STACK_SUBJECT.type ? "The stack" : `${s.type} "${s.name}"`;
}

export function violationMessage(s: Subject, problem: string, fix: string): string {
  return `${label(s)}: ${problem}. Fix: ${fix}`;
}

/** What a "cannot judge" finding asks for when the policy gives no better next step. */
const CANNOT_JUDGE_NEXT_STEP = "Check it after the values are known, or fix the shape.";

/**
 * `<subject>: cannot judge <what> (<why>). <next>`; reports read the "cannot judge" after the
 * subject to list the policies that could not judge (tools/reports/text.ts).
 */
export function cannotJudgeMessage(
  s: Subject,
  what: string,
  why: string,
  next: string = CANNOT_JUDGE_NEXT_STEP,
): string {
  return `${label(s)}: cannot judge ${what} (${why}). ${next}`;
}

/** The object form of a report accepted by @pulumi/policy's reportViolation (level override). */
interface ReportObject {
  message: string;
  urn?: string;
  enforcementLevel?: EnforcementLevel;
}

export class Reporter {
  private count = 0;

  constructor(
    private readonly rv: ReportViolation,
    /** Stack policies pass the URN of the resource at fault; resource policies may not. */
    private readonly withUrn: boolean,
  ) {}

  /** Number of findings (violations and cannot-judge advisories) reported so far. */
  get reported(): number {
    return this.count;
  }

  violation(s: Subject, problem: string, fix: string): void {
    this.count++;
    const message = violationMessage(s, problem, fix);
    if (this.withUrn && s.urn) this.rv(message, s.urn);
    else this.rv(message);
  }

  /**
   * Reports, as advisory, that `what` could not be judged, why, and what would let the policy judge
   * it (`next`; default: check once values are known).
   */
  cannotJudge(s: Subject, what: string, why: string, next?: string): void {
    this.advisory(s, cannotJudgeMessage(s, what, why, next));
  }

  /** Reports an advisory finding regardless of the policy's enforcement level. */
  advisory(s: Subject, message: string): void {
    this.count++;
    const obj: ReportObject = { message, enforcementLevel: "advisory" };
    if (this.withUrn && s.urn) obj.urn = s.urn;
    // @pulumi/policy accepts an object in place of the message to override the enforcement level.
    (this.rv as unknown as (o: ReportObject) => void)(obj);
  }

  /**
   * For a read value: reports "cannot judge" when it is unknown or malformed and returns true;
   * returns false when the value is known (ok) or absent, so the caller judges it.
   */
  unclear<T>(
    s: Subject,
    what: string,
    read: Read<T>,
  ): read is Extract<Read<T>, { state: "unknown" | "invalid" }> {
    if (read.state === "unknown") {
      this.cannotJudge(s, what, "value unknown during preview");
      return true;
    }
    if (read.state === "invalid") {
      this.cannotJudge(s, what, `unexpected value ${read.got}`);
      return true;
    }
    return false;
  }

  internalError(s: Subject, error: string): void {
    this.advisory(s, `${label(s)}: ${INTERNAL_ERROR_PREFIX}: ${error}`);
  }
}
