import { strict as assert } from "assert";
import {
  formatPath,
  formatArgsProblem,
  nestedProblems,
  problemAt,
  repeatedProblems,
} from "../../decisions/problems";

describe("args problems", () => {
  it("makes a problem only when a check found one", () => {
    assert.deepEqual(problemAt(["port"], undefined, 70000), []);
    assert.deepEqual(problemAt(["port"], "must be a port", 70000), [
      { path: ["port"], message: "must be a port", given: 70000 },
    ]);
    assert.deepEqual(problemAt([], "needs a target"), [{ path: [], message: "needs a target" }]);
  });

  it("writes paths and problems the way a reader writes keys", () => {
    assert.equal(formatPath(["source", "prefix"]), "source.prefix");
    assert.equal(formatPath(["rules", 2, "kind"]), "rules[2].kind");
    assert.equal(formatPath([]), "");
    assert.equal(
      formatArgsProblem({ path: ["emails"], message: "at most 10", given: 11 }),
      "emails: at most 10 (given: 11)",
    );
    assert.equal(formatArgsProblem({ path: [], message: "needs a target" }), "needs a target");
  });

  it("re-roots nested problems and names only the repeats of earlier entries", () => {
    assert.deepEqual(nestedProblems(["access"], [{ path: ["read", 0, "prefix"], message: "m" }]), [
      { path: ["access", "read", 0, "prefix"], message: "m" },
    ]);
    assert.deepEqual(
      repeatedProblems("databases", "name", ["a", "b", "a", "a"], (name) => `${name} twice`).map(
        (p) => p.path,
      ),
      [
        ["databases", 2, "name"],
        ["databases", 3, "name"],
      ],
    );
  });
});
