import { strict as assert } from "assert";
import {
  cronExpressionError,
  rateExpressionError,
  runsPerMonth,
  scheduleExpressionError,
  scheduleTimeWindow,
  timeZoneError,
} from "../../decisions/schedule";
import { FARGATE_MEMORY_BY_VCPU, FARGATE_VCPUS, fargateSizeProblems } from "../../decisions/fargate";

const DAYS_PER_MONTH = 30.4375;

describe("scheduleExpressionError: cron()", () => {
  const valid = [
    "cron(0 12 * * ? *)", // every day at noon
    "cron(15 10 ? * 6L 2019-2022)", // last Friday of the month
    "cron(0 18 ? * MON-FRI *)", // weekdays, names as a range
    "cron(0 8 1 * ? *)", // first of the month
    "cron(0/15 * * * ? *)", // every 15 minutes
    "cron(0/10 * ? * MON-FRI *)",
    "cron(0/5 8-17 ? * MON-FRI *)", // step and hour range
    "cron(0 9 ? * 2#1 *)", // first Monday
    "cron(0 9 ? * MON#2 *)", // second Monday, by name
    "cron(0 0 L * ? *)", // last day of the month
    "cron(0 0 LW * ? *)", // last weekday of the month
    "cron(0 0 15W * ? *)", // weekday nearest the 15th
    "cron(30 2 1,15 * ? *)", // list of days
    "cron(0 6 ? JAN-MAR,OCT-DEC SAT,SUN *)", // month and day names, lists of ranges
    "cron(0 6 ? jan mon *)", // lower-case names
    "cron(5-55/10 * * * ? 2030)", // range with a step, single year
    "cron(59 23 31 12 ? 2199)", // upper bounds
    "cron(0 0 1 1 ? 1970)", // lower bounds
    "cron(0 0 ? * L *)", // L alone in day-of-week (Saturday)
    "  cron(0 12 * * ? *)  ", // surrounding spaces
    "cron(0 0 29 2 ? *)", // leap day: fires every fourth year
    "cron(0 0 29 2 ? 2027-2028)", // a year range with a leap year in it
    "cron(0 0 31 1-12 ? *)", // the 31st of every month that has one
    "cron(0 0 30 1,2 ? *)", // January has a 30th
    "cron(0 0 ? * FRI#5 *)", // fifth Friday: not every month has one
    "cron(0 0 1W * ? *)", // weekday nearest the first
    "cron(0 0 ? * 1L *)", // last Sunday
  ];
  for (const expression of valid) {
    it(`accepts ${expression.trim()}`, () => assert.equal(scheduleExpressionError(expression), undefined));
  }

  const invalid: [string, RegExp][] = [
    ["cron(0 12 * * *)", /takes 6 fields.*got 5/],
    ["cron(0 12 * * ? * *)", /takes 6 fields.*got 7/],
    ["cron(0 12 * * * *)", /exactly one of day-of-month and day-of-week must be "\?"/],
    ["cron(0 12 ? * ? *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 12 1 * MON *)", /exactly one of day-of-month and day-of-week/],
    ["cron(? 12 * * ? *)", /minutes cannot be "\?"/],
    ["cron(0 ? * * MON *)", /hours cannot be "\?"/],
    ["cron(60 12 * * ? *)", /minutes: "60" is outside 0-59/],
    ["cron(0 24 * * ? *)", /hours: "24" is outside 0-23/],
    ["cron(0 12 0 * ? *)", /day-of-month: "0" is outside 1-31/],
    ["cron(0 12 32 * ? *)", /day-of-month: "32" is outside 1-31/],
    ["cron(0 12 * 13 ? *)", /month: "13" is outside 1-12 or JAN-DEC/],
    ["cron(0 12 ? * 8 *)", /day-of-week: "8" is outside 1-7 or SUN-SAT/],
    ["cron(0 12 ? * MON-FUN *)", /day-of-week: "MON-FUN" is outside/],
    ["cron(0 12 ? FOO * *)", /month: "FOO" is outside/],
    ["cron(0 12 * * ? 1969)", /year: "1969" is outside 1970-2199/],
    ["cron(0 12 * * ? 2200)", /year/],
    ["cron(0/0 * * * ? *)", /step "0" must be a number of at least 1/],
    ["cron(*/x * * * ? *)", /step "x" must be a number/],
    ["cron(0/5/2 * * * ? *)", /more than one "\/"/],
    ["cron(1-2-3 * * * ? *)", /"1-2-3" is not a value or range/],
    ["cron(0 12 32W * ? *)", /day-of-month/],
    ["cron(0 12 ? * XYZ#2 *)", /day-of-week/],
    ["cron(0 12 ? * MON#6 *)", /day-of-week/],
    ["cron(1,,2 * * * ? *)", /minutes/],
    ["cron(0 12 * * ?)", /takes 6 fields/],
    ["cron()", /takes 6 fields/],
    ["cron(0 0 30 2 ? *)", /never fires: day-of-month 30 does not occur in FEB$/],
    ["cron(0 0 30,31 FEB ? *)", /never fires: day-of-month 30,31 does not occur in FEB/],
    ["cron(0 0 31 4,6,9,11 ? *)", /never fires: day-of-month 31 does not occur in APR,JUN,SEP,NOV/],
    ["cron(0 0 29 2 ? 2027)", /never fires: day-of-month 29 does not occur in FEB of 2027/],
    ["cron(0 0 29 2 ? 2100)", /never fires: .* of 2100/], // not a leap year (divisible by 100)
  ];
  for (const [expression, message] of invalid) {
    it(`rejects ${expression} with a clear message`, () => {
      const error = scheduleExpressionError(expression);
      assert.ok(error, `${expression} should be invalid`);
      assert.match(error, message);
    });
  }
});

describe("scheduleExpressionError: rate()", () => {
  for (const expression of [
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(1 hour)",
    "rate(12 hours)",
    "rate(1 day)",
    "rate(7 days)",
  ]) {
    it(`accepts ${expression}`, () => assert.equal(scheduleExpressionError(expression), undefined));
  }

  const invalid: [string, RegExp][] = [
    ["rate(0 minutes)", /at least 1/],
    ["rate(1 minutes)", /singular unit for 1: rate\(1 minute\)/],
    ["rate(1 hours)", /rate\(1 hour\)/],
    ["rate(5 minute)", /plural unit for 5: rate\(5 minutes\)/],
    ["rate(2 day)", /rate\(2 days\)/],
    ["rate(5 seconds)", /minute\(s\), hour\(s\) or day\(s\)/],
    ["rate(1 week)", /minute\(s\), hour\(s\) or day\(s\)/],
    ["rate(-1 hours)", /takes "<value> <unit>"/],
    ["rate(1.5 hours)", /takes "<value> <unit>"/],
    ["rate(hours)", /takes "<value> <unit>"/],
    ["rate()", /takes "<value> <unit>"/],
  ];
  for (const [expression, message] of invalid) {
    it(`rejects ${expression} with a clear message`, () => {
      const error = rateExpressionError(expression.slice(5, -1));
      assert.ok(error);
      assert.match(error, message);
      assert.equal(scheduleExpressionError(expression), error);
    });
  }
});

describe("scheduleExpressionError: other forms", () => {
  for (const expression of [
    "",
    "0 12 * * ? *",
    "every day",
    "cron 0 12 * * ? *",
    "at(2030-01-01T00:00:00)",
  ]) {
    it(`rejects "${expression}"`, () =>
      assert.match(scheduleExpressionError(expression) ?? "", /must be "cron\(<6 fields>\)" or "rate\(/));
  }

  it("cronExpressionError takes the body without cron()", () => {
    assert.equal(cronExpressionError("0 12 * * ? *"), undefined);
  });
});

describe("runsPerMonth", () => {
  const close = (actual: number, expected: number) =>
    assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

  it("daily: about 30.4 runs", () => {
    close(runsPerMonth("cron(0 2 * * ? *)"), DAYS_PER_MONTH);
    close(runsPerMonth("rate(1 day)"), DAYS_PER_MONTH);
  });

  it("hourly: 24 times the daily count", () => {
    close(runsPerMonth("cron(0 * * * ? *)"), 24 * DAYS_PER_MONTH);
    close(runsPerMonth("rate(1 hour)"), 24 * DAYS_PER_MONTH);
    close(runsPerMonth("rate(6 hours)"), 4 * DAYS_PER_MONTH);
  });

  it("weekdays: 5 of 7 days", () => {
    close(runsPerMonth("cron(0 6 ? * MON-FRI *)"), (5 * DAYS_PER_MONTH) / 7);
    close(runsPerMonth("cron(0 6 ? * 2-6 *)"), (5 * DAYS_PER_MONTH) / 7);
  });

  it("every 15 minutes during office hours on weekdays", () => {
    close(runsPerMonth("cron(0/15 8-17 ? * MON-FRI *)"), 4 * 10 * ((5 * DAYS_PER_MONTH) / 7));
  });

  it("monthly and quarterly", () => {
    close(runsPerMonth("cron(0 8 1 * ? *)"), 1);
    close(runsPerMonth("cron(0 8 1,15 * ? *)"), 2);
    close(runsPerMonth("cron(0 8 1 JAN,APR,JUL,OCT ? *)"), 4 / 12);
  });

  it("special days: last day, nearest weekday, nth and last weekday of the month run once a month", () => {
    close(runsPerMonth("cron(0 0 L * ? *)"), 1);
    close(runsPerMonth("cron(0 0 15W * ? *)"), 1);
    close(runsPerMonth("cron(0 9 ? * MON#1 *)"), 1);
    close(runsPerMonth("cron(0 9 ? * 6L *)"), 1);
    // "L" alone in day-of-week is Saturday, every week.
    close(runsPerMonth("cron(0 9 ? * L *)"), DAYS_PER_MONTH / 7);
  });

  it("month and day names that contain L or W are counted as names (JUL, WED)", () => {
    close(runsPerMonth("cron(0 8 1 JUN,JUL ? *)"), 2 / 12);
    close(runsPerMonth("cron(0 8 ? * TUE,WED *)"), (2 * DAYS_PER_MONTH) / 7);
  });

  it("every 5 minutes", () => {
    close(runsPerMonth("rate(5 minutes)"), (DAYS_PER_MONTH * 24 * 60) / 5);
    close(runsPerMonth("cron(0/5 * * * ? *)"), 12 * 24 * DAYS_PER_MONTH);
  });

  it("throws for an invalid expression, naming it", () => {
    assert.throws(
      () => runsPerMonth("cron(0 12 * * * *)"),
      /invalid schedule expression cron\(0 12 \* \* \* \*\)/,
    );
  });
});

describe("fargateSizeProblems", () => {
  it("accepts every pair of the Fargate task size table", () => {
    for (const [vcpu, memories] of Object.entries(FARGATE_MEMORY_BY_VCPU)) {
      for (const memory of memories) assert.deepEqual(fargateSizeProblems(Number(vcpu), memory), []);
    }
    assert.deepEqual(FARGATE_VCPUS, [0.25, 0.5, 1, 2, 4, 8, 16]);
  });

  it("knows the table's edges", () => {
    assert.deepEqual(FARGATE_MEMORY_BY_VCPU["0.25"], [512, 1024, 2048]);
    assert.equal(FARGATE_MEMORY_BY_VCPU["4"].at(-1), 30720);
    assert.equal(FARGATE_MEMORY_BY_VCPU["8"].length, 12);
    assert.equal(FARGATE_MEMORY_BY_VCPU["16"].at(-1), 122880);
  });

  it("rejects a vCPU count Fargate does not offer, at vcpu", () => {
    for (const vcpu of [0, 0.3, 3, 32]) {
      assert.deepEqual(fargateSizeProblems(vcpu, 2048), [
        { path: ["vcpu"], message: "must be one of 0.25, 0.5, 1, 2, 4, 8, 16", given: vcpu },
      ]);
    }
  });

  it("rejects memory outside the vCPU's range at memoryMiB, with the allowed range and step", () => {
    assert.deepEqual(fargateSizeProblems(1, 1024), [
      { path: ["memoryMiB"], message: "1024 is not allowed with 1 vCPU; use 2048-8192 in steps of 1024" },
    ]);
    assert.deepEqual(fargateSizeProblems(8, 20000), [
      { path: ["memoryMiB"], message: "20000 is not allowed with 8 vCPU; use 16384-61440 in steps of 4096" },
    ]);
    assert.match(fargateSizeProblems(16, 131072)[0].message, /32768-122880 in steps of 8192/);
  });

  it("lists the values when they are not evenly spaced (0.25 vCPU)", () => {
    assert.equal(
      fargateSizeProblems(0.25, 1536)[0].message,
      "1536 is not allowed with 0.25 vCPU; use one of 512, 1024, 2048",
    );
  });
});

describe("scheduleTimeWindow", () => {
  it("gives flexible schedules a flexible window (default 60 minutes) and the others none", () => {
    assert.deepEqual(scheduleTimeWindow("flexible"), { mode: "FLEXIBLE", maximumWindowInMinutes: 60 });
    assert.deepEqual(scheduleTimeWindow("flexible", 15), { mode: "FLEXIBLE", maximumWindowInMinutes: 15 });
    assert.deepEqual(scheduleTimeWindow("standard"), { mode: "OFF" });
    assert.deepEqual(scheduleTimeWindow("critical", 30), { mode: "OFF" });
  });

  it("rejects windows outside 1-1440 minutes", () => {
    assert.throws(() => scheduleTimeWindow("flexible", 0), /1 to 1440/);
    assert.throws(() => scheduleTimeWindow("flexible", 1441), /1 to 1440/);
  });
});

describe("timeZoneError", () => {
  it("accepts IANA names and UTC", () => {
    assert.equal(timeZoneError("Europe/Dublin"), undefined);
    assert.equal(timeZoneError("UTC"), undefined);
  });

  it("accepts every tz database name, also those Node's ICU lists under another name", () => {
    // Kolkata, Kyiv and Nuuk are the current names; ICU lists Calcutta, Kiev and Godthab. Links such
    // as US/Eastern and fixed offsets such as Etc/GMT+5 are tz database names too.
    for (const zone of [
      "Asia/Kolkata",
      "Europe/Kyiv",
      "America/Nuuk",
      "Pacific/Kanton",
      "America/Ciudad_Juarez",
      "US/Eastern",
      "Etc/GMT+5",
      "Etc/UTC",
      "GMT",
      "Asia/Calcutta",
    ]) {
      assert.equal(timeZoneError(zone), undefined, zone);
    }
  });

  it("rejects anything else, pointing out a name spelled in the wrong case", () => {
    assert.match(timeZoneError("Mars/Olympus") ?? "", /IANA time zone/);
    assert.match(timeZoneError("Factory") ?? "", /IANA time zone/);
    assert.match(timeZoneError("") ?? "", /IANA time zone/);
    assert.equal(
      timeZoneError("europe/dublin"),
      'must be written "Europe/Dublin": time zone names are case-sensitive',
    );
  });
});
