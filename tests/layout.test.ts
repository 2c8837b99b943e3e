// The map matches the territory: the README's Layout names every top-level and lib/ folder.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules")
    .map((entry) => entry.name);

test("the README's Layout names every top-level folder and every lib/ folder", () => {
  const readme = readFileSync("README.md", "utf8");
  const layout = readme.slice(readme.indexOf("## Layout"), readme.indexOf("\n## ", readme.indexOf("## Layout") + 1));
  const missing = [
    ...folders(".")
      .filter((name) => !["test-results", "playwright-report"].includes(name))
      .filter((name) => !layout.includes(`\`${name}/\``)),
    ...folders("lib")
      .filter((name) => !layout.includes(`\`${name}/\``))
      .map((name) => `lib/${name}`),
  ];
  assert.deepEqual(missing, [], "folders the README's Layout does not name");
});
