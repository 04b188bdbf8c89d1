import assert from "node:assert/strict";

import { PipelineDefinition, PipelineTrigger } from "../../../decisions/pipeline";
import {
  clusterEvents,
  PauseSchedule,
  pauseConflicts,
  pauseScheduleProblems,
  RESUME_LEAD_MINUTES,
  runningHoursPerMonth,
  WarehouseLoader,
  warehouseLoaders,
} from "../../../decisions/warehouse/pause-schedule";

/** Up from 08:00 to 20:00 UTC every day. */
const OFFICE_HOURS: PauseSchedule = { resume: ["cron(0 8 * * ? *)"], pause: ["cron(0 20 * * ? *)"] };
const AT = ["warehouse", "pauseSchedule"];

function loader(trigger: PipelineTrigger, timeoutMinutes = 60, startWindowMinutes = 0): WarehouseLoader {
  return { index: 3, name: "daily-sales", trigger, timeoutMinutes, startWindowMinutes };
}

function cron(expression: string, timezone = "UTC"): PipelineTrigger {
  return { type: "schedule", expression, timezone };
}

describe("warehouse pause schedule: what the Redshift scheduler accepts", () => {
  it("accepts cron() pauses and resumes an hour or more apart", () => {
    assert.deepEqual(pauseScheduleProblems(OFFICE_HOURS), []);
    assert.deepEqual(
      pauseScheduleProblems({
        resume: ["cron(30 0 * * ? *)"],
        pause: ["cron(0 19 ? * MON-FRI *)", "cron(0 5 ? * SAT,SUN *)"],
      }),
      [],
    );
  });

  it("rejects rate(), invalid and never-firing expressions, naming the entry", () => {
    const problems = pauseScheduleProblems({
      resume: ["cron(0 8 * * ? *)"],
      pause: ["rate(12 hours)", "cron(0 24 * * ? *)", "cron(0 8 1 JAN ? 2020)"],
    });
    assert.deepEqual(
      problems.map((problem) => problem.path),
      [
        ["pause", 0],
        ["pause", 1],
        ["pause", 2],
      ],
    );
    assert.match(problems[0].message, /must be "cron\(<6 fields>\)" in UTC/);
    assert.match(problems[1].message, /hours/);
    assert.match(problems[2].message, /never fires/);
  });

  it("rejects invocations less than an hour apart and a list without entries", () => {
    const problems = pauseScheduleProblems({ resume: [], pause: ["cron(0/30 20 * * ? *)"] });
    assert.deepEqual(
      problems.map((problem) => problem.path),
      [["pause", 0], ["resume"]],
    );
    assert.match(
      problems[0].message,
      /fires at \d{4}-\d\d-\d\d 20:00 UTC and again at \d{4}-\d\d-\d\d 20:30 UTC: .* at least one hour apart/,
    );
    assert.match(problems[1].message, /needs at least one cron\(\) expression/);
  });

  it("rejects a pause and a resume in the same minute", () => {
    const [problem] = pauseScheduleProblems({
      resume: ["cron(0 8 ? * MON *)"],
      pause: ["cron(0 8 * * ? *)"],
    });
    assert.deepEqual(problem.path, ["pause", 0]);
    assert.match(problem.message, /08:00 UTC, the same minute as resume\[0\]/);
  });
});

describe("warehouse pause schedule: hours the cluster runs", () => {
  it("runs 12 hours a day from 08:00 to 20:00: 1,461 days x 12 h over 48 months", () => {
    // 2027-2030 has 1,461 days (2028 is a leap year); 17,532 h / 48 = 365.25 h a month.
    assert.equal(runningHoursPerMonth(OFFICE_HOURS), 365.25);
  });

  it("runs 10 hours on weekdays only: 1,043 weekdays in 2027-2030", () => {
    // 1,461 days = 208 weeks (1,040 weekdays) + 27-31 December 2030: Fri, Sat, Sun, Mon, Tue.
    const hours = runningHoursPerMonth({
      resume: ["cron(0 8 ? * MON-FRI *)"],
      pause: ["cron(0 18 ? * MON-FRI *)"],
    });
    assert.equal(hours, (1043 * 10) / 48);
  });

  it("lists the events in time order with their entry", () => {
    const events = clusterEvents(OFFICE_HOURS, Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 2));
    assert.deepEqual(events, [
      { at: Date.UTC(2027, 0, 1, 8), action: "resume", index: 0 },
      { at: Date.UTC(2027, 0, 1, 20), action: "pause", index: 0 },
    ]);
  });
});

describe("warehouse pause schedule: no load while the cluster is paused", () => {
  it("accepts a load inside the running hours, resumed at least the lead time before", () => {
    assert.equal(RESUME_LEAD_MINUTES, 30);
    assert.deepEqual(pauseConflicts(OFFICE_HOURS, [loader(cron("cron(30 8 * * ? *)"), 60)], AT), []);
    // Ends by 19:59 at the latest (Scheduler starts it within the minute).
    assert.deepEqual(pauseConflicts(OFFICE_HOURS, [loader(cron("cron(58 18 * * ? *)"), 60)], AT), []);
  });

  it("rejects a load that starts while the cluster is paused, at the resume key", () => {
    const [problem, ...rest] = pauseConflicts(OFFICE_HOURS, [loader(cron("cron(0 22 * * ? *)"))], AT);
    assert.deepEqual(rest, []);
    assert.deepEqual(problem.path, ["warehouse", "pauseSchedule", "resume"]);
    assert.equal(
      problem.message,
      'pipeline "daily-sales" (pipelines[3]) starts its run of 2027-01-01 22:00 UTC ' +
        "while the cluster is paused (pause[0] at 2027-01-01 20:00 UTC); resume it at least 30 minutes before a load",
    );
  });

  it("rejects a load that starts less than the lead time after the resume", () => {
    const [problem] = pauseConflicts(OFFICE_HOURS, [loader(cron("cron(15 8 * * ? *)"))], AT);
    assert.deepEqual(problem.path, ["warehouse", "pauseSchedule", "resume"]);
    assert.match(
      problem.message,
      /only 15 minutes after resume\[0\] resumes the cluster at 2027-01-01 08:00 UTC/,
    );
  });

  it("rejects a pause before the load's timeout, at the pause entry", () => {
    const [problem] = pauseConflicts(OFFICE_HOURS, [loader(cron("cron(30 19 * * ? *)"), 45)], AT);
    assert.deepEqual(problem.path, ["warehouse", "pauseSchedule", "pause", 0]);
    assert.equal(problem.given, "cron(0 20 * * ? *)");
    assert.match(
      problem.message,
      /pauses the cluster at 2027-01-01 20:00 UTC while pipeline "daily-sales" .* may last until 2027-01-01 20:16 UTC \(timeoutMinutes 45\)/,
    );
  });

  it("counts the flexible window a schedule may start late", () => {
    assert.deepEqual(pauseConflicts(OFFICE_HOURS, [loader(cron("cron(30 18 * * ? *)"), 60, 0)], AT), []);
    const [problem] = pauseConflicts(OFFICE_HOURS, [loader(cron("cron(30 18 * * ? *)"), 60, 60)], AT);
    assert.match(problem.message, /may start up to 60 minutes late, may last until 2027-01-01 20:31 UTC/);
  });

  it("finds the first run that summer time moves into the paused hours", () => {
    // 07:30 in Dublin is 07:30 UTC in winter (30 minutes after a 07:00 UTC resume) but 06:30 UTC
    // from 28 March 2027, while the cluster is still paused.
    const schedule = { resume: ["cron(0 7 * * ? *)"], pause: ["cron(0 20 * * ? *)"] };
    const [problem] = pauseConflicts(schedule, [loader(cron("cron(30 7 * * ? *)", "Europe/Dublin"), 30)], AT);
    assert.match(
      problem.message,
      /its run of 2027-03-28 07:30 Europe\/Dublin \(2027-03-28 06:30 UTC\) while/,
    );
  });

  it("rejects a loader that may start at any time, at its trigger", () => {
    const triggers: PipelineTrigger[] = [
      { type: "onDemand" },
      { type: "s3Upload", prefix: "incoming/", suffix: ".csv" },
      cron("rate(1 day)"),
    ];
    for (const trigger of triggers) {
      const [problem] = pauseConflicts(OFFICE_HOURS, [loader(trigger)], AT);
      assert.deepEqual(problem.path, ["pipelines", 3, "trigger"]);
      assert.match(
        problem.message,
        /loads the warehouse, which pauses on a schedule \(warehouse\.pauseSchedule\)/,
      );
    }
  });

  it("takes the pipelines with a warehouse load, with their start window", () => {
    const base = {
      description: "d",
      expectedRuntimeMinutes: 5,
      timeoutMinutes: 90,
      source: { zone: "raw", prefix: "a/" },
      target: { zone: "curated", prefix: "b/" },
      crawlers: [],
      engine: "glue",
      trigger: cron("cron(0 9 * * ? *)"),
    } as const;
    const load = {
      name: "load",
      type: "redshiftLoad",
      from: { database: "d", table: "t" },
      schema: "public",
      table: "t",
    } as const;
    const pipelines = [
      { ...base, name: "no-load", slaTier: "critical", steps: [{ name: "run", type: "job" }] },
      { ...base, name: "loads", slaTier: "flexible", steps: [{ name: "run", type: "job" }, load] },
      { ...base, name: "loads-on-time", slaTier: "standard", steps: [load] },
    ] as unknown as PipelineDefinition[];
    assert.deepEqual(warehouseLoaders(pipelines), [
      { index: 1, name: "loads", trigger: base.trigger, timeoutMinutes: 90, startWindowMinutes: 60 },
      { index: 2, name: "loads-on-time", trigger: base.trigger, timeoutMinutes: 90, startWindowMinutes: 0 },
    ]);
  });
});
