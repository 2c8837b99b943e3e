// Bad input on every management route: 400 for malformed or mistyped requests, 422 for valid
// JSON that does not fit the registry, 404 for unknown ids, 413 for huge bodies — each with
// a machine-readable code and field paths.
import { expect, test } from "@playwright/test";
import { apiAs } from "./support/session";

type Api = Awaited<ReturnType<typeof apiAs>>;

interface ErrorBody {
  error: { code: string; message: string; issues: { path: string }[] };
}

async function expectError(response: Awaited<ReturnType<Api["get"]>>, status: number, code: string, paths?: string[]) {
  const what = `${response.url()} → ${await response.text()}`;
  expect(response.status(), what).toBe(status);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code, what).toBe(code);
  expect(typeof body.error.message).toBe("string");
  if (paths) expect(body.error.issues.map((i) => i.path).sort()).toEqual([...paths].sort());
}

test("malformed JSON is 400 invalid_json on every JSON route", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const { rows } = await (await admin.get("/api/mappings?per_page=1")).json();
  const mappingId = rows[0].id;
  const sources = (await (await admin.get("/api/sources")).json()).rows;
  const events = (await (await admin.get("/api/canonical-events")).json()).rows;
  const members = (await (await admin.get("/api/members")).json()).rows;
  for (const [method, url] of [
    ["POST", "/api/mappings"],
    ["PATCH", `/api/mappings/${mappingId}`],
    ["POST", `/api/mappings/${mappingId}/reject`],
    ["POST", "/api/mappings/bulk"],
    ["POST", "/api/canonical-events"],
    ["PATCH", `/api/canonical-events/${events[0].id}`],
    ["POST", "/api/sources"],
    ["POST", `/api/sources/${sources[0].id}/keys`],
    ["POST", "/api/members"],
    ["PATCH", `/api/members/${members[0].id}`],
    ["POST", "/api/invitations"],
    ["POST", "/api/invitations/accept"],
    ["POST", "/api/account/password"],
    ["POST", "/api/password-resets"],
    ["POST", "/api/password-resets/complete"],
    ["POST", "/api/tokens"],
    ["PATCH", "/api/workspace"],
    ["POST", "/api/workspaces"],
    ["POST", "/api/workspaces/switch"],
  ] as const) {
    const response = await admin.fetch(url, {
      method,
      headers: { "content-type": "application/json" },
      data: Buffer.from('{"oops": '),
    });
    await expectError(response, 400, "invalid_json");
  }
});

test("wrong types, unknown keys and missing fields are 400 with field paths", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  await expectError(
    await admin.post("/api/mappings", {
      data: { source: 42, source_event: "", canonical_event: "Not Snake", surprise: true },
    }),
    400,
    "invalid_request",
    ["canonical_event", "source", "source_event", "surprise"],
  );
  await expectError(
    await admin.post("/api/mappings", {
      data: {
        source: "heap",
        source_event: "x".repeat(201),
        canonical_event: "purchase",
        property_renames: { "bad key": "order_id" },
      },
    }),
    400,
    "invalid_request",
    ["property_renames.bad key", "source_event"],
  );
  await expectError(
    await admin.post("/api/canonical-events", {
      data: {
        name: "refund",
        properties: [
          { name: "amount", type: "money" },
          { name: "amount", type: "number" },
        ],
      },
    }),
    400,
    "invalid_request",
    ["properties.0.type"],
  );
  await expectError(
    await admin.post("/api/canonical-events", {
      data: {
        name: "refund2",
        properties: [
          { name: "amount", type: "number" },
          { name: "amount", type: "number" },
        ],
      },
    }),
    400,
    "invalid_request",
    ["properties.1.name"],
  );
  await expectError(
    await admin.post("/api/sources", { data: { key: "Has Spaces", name: "" } }),
    400,
    "invalid_request",
    ["key", "name"],
  );
  await expectError(
    await admin.post("/api/members", { data: { email: "not-an-email", role: "owner" } }),
    400,
    "invalid_request",
    ["email", "role"],
  );
  await expectError(
    await admin.post("/api/tokens", { data: { name: "t", expires_in_days: 0 } }),
    400,
    "invalid_request",
    ["expires_in_days"],
  );
  await expectError(await admin.patch("/api/workspace", { data: {} }), 400, "invalid_request");
  await expectError(
    await admin.post("/api/workspaces", { data: { name: "x", slug: "UPPER" } }),
    400,
    "invalid_request",
    ["slug"],
  );
  await expectError(
    await admin.post("/api/mappings/bulk", { data: { action: "delete", ids: [] } }),
    400,
    "invalid_request",
    ["action", "ids"],
  );
});

test("query parameters are validated too", async ({ baseURL }) => {
  const viewer = await apiAs("viewer", baseURL);
  await expectError(await viewer.get("/api/mappings?per_page=1000&status=live&sort=color"), 400, "invalid_request", [
    "per_page",
    "sort",
    "status",
  ]);
  await expectError(await viewer.get("/api/audit-log?from=yesterday"), 400, "invalid_request", ["from"]);
  const ok = await viewer.get("/api/mappings?status=approved&sort=source_event&order=asc&per_page=2");
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(body.rows).toHaveLength(2);
  expect(body.rows.every((m: { status: string }) => m.status === "approved")).toBe(true);
});

test("valid JSON that does not fit the registry is 422; conflicts are 409", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  await expectError(
    await analyst.post("/api/mappings", {
      data: { source: "heap", source_event: "New thing", canonical_event: "refund_issued" },
    }),
    422,
    "unprocessable",
    ["canonical_event"],
  );
  await expectError(
    await analyst.post("/api/mappings", {
      data: {
        source: "heap",
        source_event: "New thing",
        canonical_event: "purchase",
        required_properties: ["order_id", "shoe_size"],
      },
    }),
    422,
    "unprocessable",
    ["required_properties.1"],
  );
  await expectError(
    await analyst.post("/api/mappings", {
      data: { source: "heap", source_event: "Order Completed", canonical_event: "purchase" },
    }),
    409,
    "conflict",
    ["source_event"],
  );
  await expectError(await analyst.post("/api/canonical-events", { data: { name: "purchase" } }), 409, "conflict", [
    "name",
  ]);
});

test("unknown ids are 404 and huge bodies are 413", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  await expectError(await admin.get("/api/mappings/does-not-exist"), 404, "not_found");
  await expectError(await admin.patch("/api/mappings/does-not-exist", { data: { note: "x" } }), 404, "not_found");
  await expectError(await admin.post("/api/mappings/does-not-exist/submit"), 404, "not_found");
  await expectError(
    await admin.patch("/api/canonical-events/does-not-exist", { data: { description: "x" } }),
    404,
    "not_found",
  );
  await expectError(await admin.post("/api/sources/does-not-exist/keys", { data: { name: "k" } }), 404, "not_found");
  await expectError(await admin.patch("/api/members/does-not-exist", { data: { role: "viewer" } }), 404, "not_found");
  await expectError(await admin.delete("/api/tokens/does-not-exist"), 404, "not_found");
  await expectError(
    await admin.post("/api/mappings", {
      data: { source: "heap", source_event: "big", canonical_event: "purchase", note: "x".repeat(300_000) },
    }),
    413,
    "payload_too_large",
  );
});

test("the OpenAPI document describes every management route from the zod schemas", async ({ request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  const doc = await response.json();
  expect(doc.openapi).toBe("3.1.0");
  for (const path of [
    "/api/mappings",
    "/api/mappings/{id}",
    "/api/mappings/{id}/approve",
    "/api/canonical-events",
    "/api/sources",
    "/api/sources/{id}/keys",
    "/api/sources/{id}/keys/{keyId}",
    "/api/audit-log",
  ]) {
    expect(doc.paths[path], path).toBeTruthy();
  }
  const create = doc.paths["/api/mappings"].post.requestBody.content["application/json"].schema;
  expect(create.required).toEqual(expect.arrayContaining(["source", "source_event", "canonical_event"]));
  expect(create.additionalProperties).toBe(false);
});

test("NUL (U+0000) in a management body is 400 invalid_character with the field path", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  await expectError(
    await admin.post("/api/mappings", {
      data: { source: "heap", source_event: "Nul\u0000Event", canonical_event: "purchase" },
    }),
    400,
    "invalid_character",
    ["source_event"],
  );
  await expectError(
    await admin.post("/api/canonical-events", { data: { name: "nul_event", description: "a\u0000b" } }),
    400,
    "invalid_character",
    ["description"],
  );
  await expectError(await admin.patch("/api/workspace", { data: { name: "W\u0000" } }), 400, "invalid_character", [
    "name",
  ]);
});

test("invalid UTF-8 in a management body is 400 invalid_encoding and nothing is stored", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const name = `utf8_${Date.now().toString(36)}`;
  const [before, after] = JSON.stringify({ name, description: "caf@@" }).split("@@");
  const response = await admin.post("/api/canonical-events", {
    headers: { "content-type": "application/json" },
    data: Buffer.concat([Buffer.from(before!), Buffer.from([0xc3, 0x28]), Buffer.from(after!)]),
  });
  await expectError(response, 400, "invalid_encoding");
  const events = (await (await admin.get("/api/canonical-events")).json()).rows as { name: string }[];
  expect(events.map((e) => e.name)).not.toContain(name);
});
