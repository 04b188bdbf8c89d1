import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { staleFiles } from "../../tools/docs/check";

describe("docs:check", () => {
  it("names the API reference files that were added, removed or changed", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "docs-check-"));
    try {
      const write = (dir: string, file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, dir, file)), { recursive: true });
        fs.writeFileSync(path.join(root, dir, file), text);
      };
      for (const dir of ["committed", "generated"]) {
        write(dir, "README.md", "# batch-data-platform\n");
        write(dir, "index/README.md", "## Classes\n");
      }
      assert.deepEqual(staleFiles(path.join(root, "committed"), path.join(root, "generated")), []);
      write("generated", "index/README.md", "## Classes\n### DataLake\n");
      write("generated", "testing.md", "# testing\n");
      write("committed", "old.md", "# gone\n");
      assert.deepEqual(staleFiles(path.join(root, "committed"), path.join(root, "generated")), [
        path.join("index", "README.md"),
        "old.md",
        "testing.md",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
