// The OpenAPI document describes every route the app serves: each method exported by an
// app/**/route.ts appears under its path (Next's [param] written as OpenAPI's {param}).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { openApiDocument } from "@/lib/api/openapi/index";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Routes that are not part of the management or ingest API. */
const NOT_DOCUMENTED = new Set(["/api/auth/{nextauth}", "/api/openapi.json"]);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

function servedRoutes(): string[] {
  return routeFiles("app").flatMap((file) => {
    const url = `/${path
      .dirname(path.relative("app", file))
      .split(path.sep)
      .filter((segment) => !/^\(.*\)$/.test(segment))
      .map((segment) => segment.replace(/^\[\.{0,3}(\w+)\]$/, "{$1}"))
      .join("/")}`;
    const source = readFileSync(file, "utf8");
    return METHODS.filter((method) =>
      new RegExp(`export (const ${method}\\b|(async )?function ${method}\\b|\\{[^}]*\\b${method}\\b[^}]*\\})`).test(
        source,
      ),
    ).map((method) => `${method} ${url}`);
  });
}

test("every route method the app serves is in the OpenAPI document", () => {
  const document = openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(
    Object.entries(document.paths).flatMap(([url, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${url}`)),
  );
  const served = servedRoutes();
  assert.ok(served.length > 40, `found ${served.length} route methods`);
  const missing = served.filter((route) => !NOT_DOCUMENTED.has(route.split(" ")[1]!) && !documented.has(route));
  assert.deepEqual(missing, [], "route methods missing from the OpenAPI document");
});
