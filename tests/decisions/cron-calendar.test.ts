import assert from "node:assert/strict";

import { cronFireTimes, wallTimeInstants, zoneOffsetMs } from "../../decisions/cron-calendar";

/** Fire times as ISO strings to the minute, for readable expectations. */
function fires(expression: string, timeZone: string, from: string, to: string): string[] {
  return cronFireTimes(expression, timeZone, Date.parse(from), Date.parse(to)).map((time) =>
    new Date(time).toISOString().slice(0, 16),
  );
}

describe("cron calendar", () => {
  it("fires a daily UTC expression once a day, inside the span only", () => {
    assert.deepEqual(fires("cron(30 0 * * ? *)", "UTC", "2027-01-01T00:30Z", "2027-01-03T00:30Z"), [
      "2027-01-01T00:30",
      "2027-01-02T00:30",
    ]);
  });

  it("selects weekdays, months, years, lists, ranges and steps", () => {
    // 2027-01-04 is a Monday.
    assert.deepEqual(fires("cron(0 19 ? * MON-FRI *)", "UTC", "2027-01-02T00:00Z", "2027-01-10T00:00Z"), [
      "2027-01-04T19:00",
      "2027-01-05T19:00",
      "2027-01-06T19:00",
      "2027-01-07T19:00",
      "2027-01-08T19:00",
    ]);
    assert.deepEqual(
      fires("cron(0/20 8 1 JAN,MAR ? 2028)", "UTC", "2027-01-01T00:00Z", "2029-01-01T00:00Z"),
      [
        "2028-01-01T08:00",
        "2028-01-01T08:20",
        "2028-01-01T08:40",
        "2028-03-01T08:00",
        "2028-03-01T08:20",
        "2028-03-01T08:40",
      ],
    );
  });

  it("understands L, LW, nW, nL and n#k", () => {
    const span = ["2027-01-01T00:00Z", "2027-04-01T00:00Z"] as const;
    // Last day; last weekday (2027-01-31 is a Sunday, so Friday the 29th).
    assert.deepEqual(fires("cron(0 12 L * ? *)", "UTC", ...span), [
      "2027-01-31T12:00",
      "2027-02-28T12:00",
      "2027-03-31T12:00",
    ]);
    assert.deepEqual(fires("cron(0 12 LW * ? *)", "UTC", ...span), [
      "2027-01-29T12:00",
      "2027-02-26T12:00",
      "2027-03-31T12:00",
    ]);
    // Nearest weekday to the 1st: 2027-05-01 is a Saturday, so Monday the 3rd (not April 30).
    assert.deepEqual(fires("cron(0 12 1W MAY ? 2027)", "UTC", "2027-01-01T00:00Z", "2028-01-01T00:00Z"), [
      "2027-05-03T12:00",
    ]);
    // Last Friday; second Tuesday.
    assert.deepEqual(fires("cron(0 12 ? * 6L *)", "UTC", ...span), [
      "2027-01-29T12:00",
      "2027-02-26T12:00",
      "2027-03-26T12:00",
    ]);
    assert.deepEqual(fires("cron(0 12 ? * TUE#2 *)", "UTC", ...span), [
      "2027-01-12T12:00",
      "2027-02-09T12:00",
      "2027-03-09T12:00",
    ]);
  });

  it("evaluates in the schedule's time zone and follows its clock changes", () => {
    // Dublin is UTC+0 in winter, UTC+1 in summer.
    assert.deepEqual(fires("cron(30 2 * * ? *)", "Europe/Dublin", "2027-03-27T00:00Z", "2027-03-29T00:00Z"), [
      "2027-03-27T02:30",
      "2027-03-28T01:30",
    ]);
  });

  it("skips a local time the clocks jump over and keeps both of one they repeat", () => {
    // 2027-03-28 01:30 does not exist in Dublin; 2027-10-31 01:30 happens twice (UTC+1, then UTC+0).
    assert.deepEqual(fires("cron(30 1 * * ? *)", "Europe/Dublin", "2027-03-27T00:00Z", "2027-03-30T00:00Z"), [
      "2027-03-27T01:30",
      "2027-03-29T00:30",
    ]);
    assert.deepEqual(
      fires("cron(30 1 31 OCT ? 2027)", "Europe/Dublin", "2027-10-30T00:00Z", "2027-11-02T00:00Z"),
      ["2027-10-31T00:30", "2027-10-31T01:30"],
    );
    assert.deepEqual(wallTimeInstants(Date.UTC(2027, 2, 28, 1, 30), "Europe/Dublin"), []);
  });

  it("reads zone offsets from the tz database", () => {
    assert.equal(zoneOffsetMs(Date.UTC(2027, 6, 1), "Asia/Kolkata"), 5.5 * 3_600_000);
    assert.equal(zoneOffsetMs(Date.UTC(2027, 0, 1), "America/New_York"), -5 * 3_600_000);
    assert.equal(zoneOffsetMs(Date.UTC(2027, 0, 1), "UTC"), 0);
  });

  it("refuses what is not a valid cron() expression", () => {
    assert.throws(() => cronFireTimes("rate(1 hour)", "UTC", 0, 1), /not a valid cron\(\) expression/);
    assert.throws(() => cronFireTimes("cron(0 25 * * ? *)", "UTC", 0, 1), /hours/);
  });
});
