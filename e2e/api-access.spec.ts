// The management API's access rules over HTTP: sessions, tokens, roles, workspaces.
import { expect, request, test } from "@playwright/test";
import { apiAs } from "./support/session";
import { ROLE_NAMES, type RoleName } from "./support/users";

const unique = () => Math.random().toString(36).slice(2, 8);

test("[anonymous] gets 401 with a machine-readable code on every management route", async ({ baseURL }) => {
  const api = await request.newContext({ baseURL });
  for (const [method, url] of [
    ["GET", "/api/mappings"],
    ["POST", "/api/mappings"],
    ["GET", "/api/canonical-events"],
    ["GET", "/api/sources"],
    ["GET", "/api/audit-log"],
    ["GET", "/api/members"],
    ["GET", "/api/tokens"],
    ["GET", "/api/workspaces"],
  ] as const) {
    const response = await api.fetch(url, { method, data: method === "POST" ? {} : undefined });
    expect(response.status(), `${method} ${url}`).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  }
  const bogus = await api.get("/api/mappings", { headers: { authorization: "Bearer tl_pat_not-a-real-token" } });
  expect(bogus.status()).toBe(401);
});

test("every role × write action is allowed or refused by the permission table", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const heap = sources.find((s) => s.key === "heap")!;

  const HOOK = "http://127.0.0.1:9/hook";
  const webhookDestination = async () => {
    const created = await admin.post("/api/destinations", {
      data: {
        type: "webhook",
        name: `Matrix ${unique()}`,
        config: { url: HOOK },
        secrets: { signing_secret: "x".repeat(20) },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    return (await created.json()).id as string;
  };

  // action → roles allowed; each attempt uses valid input so "allowed" means 2xx.
  const actions: {
    name: string;
    allowed: RoleName[];
    run: (api: Awaited<ReturnType<typeof apiAs>>) => Promise<number>;
  }[] = [
    {
      name: "propose a mapping",
      allowed: ["admin", "analyst"],
      run: async (api) =>
        (
          await api.post("/api/mappings", {
            data: { source: "heap", source_event: `Matrix ${unique()}`, canonical_event: "sign_up" },
          })
        ).status(),
    },
    {
      name: "add a canonical event",
      allowed: ["admin", "analyst"],
      run: async (api) =>
        (await api.post("/api/canonical-events", { data: { name: `matrix_${unique()}`, properties: [] } })).status(),
    },
    {
      name: "add a source",
      allowed: ["admin"],
      run: async (api) => (await api.post("/api/sources", { data: { key: `m${unique()}`, name: "Matrix" } })).status(),
    },
    {
      name: "create a write key",
      allowed: ["admin"],
      run: async (api) => (await api.post(`/api/sources/${heap.id}/keys`, { data: { name: "matrix" } })).status(),
    },
    {
      name: "invite a member",
      allowed: ["admin"],
      run: async (api) =>
        (
          await api.post("/api/invitations", { data: { email: `m-${unique()}@tracklayer.test`, role: "viewer" } })
        ).status(),
    },
    {
      name: "change workspace settings",
      allowed: ["admin"],
      run: async (api) => (await api.patch("/api/workspace", { data: { require_four_eyes: true } })).status(),
    },
    {
      name: "change a destination's settings other than its URLs",
      allowed: ["admin", "engineer"],
      run: async (api) => {
        const id = await webhookDestination();
        return (await api.patch(`/api/destinations/${id}`, { data: { config: { url: HOOK, max_batch: 7 } } })).status();
      },
    },
    {
      name: "point a destination at another host (secrets re-entered)",
      allowed: ["admin"],
      run: async (api) => {
        const id = await webhookDestination();
        return (
          await api.patch(`/api/destinations/${id}`, {
            data: {
              config: { url: "http://127.0.0.2:9/elsewhere" },
              secrets: { signing_secret: "re-entered-secret-123" },
            },
          })
        ).status();
      },
    },
    {
      name: "revoke a live write key an admin created",
      allowed: ["admin"],
      run: async (api) => {
        const key = await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: "matrix" } })).json();
        return (await api.delete(`/api/sources/${heap.id}/keys/${key.id}`)).status();
      },
    },
    {
      name: "submit mappings in bulk",
      allowed: ["admin", "analyst"],
      run: async (api) => {
        const proposed = await admin.post("/api/mappings", {
          data: { source: "heap", source_event: `Matrix bulk ${unique()}`, canonical_event: "sign_up" },
        });
        const { id } = await proposed.json();
        return (await api.post("/api/mappings/bulk", { data: { action: "submit", ids: [id] } })).status();
      },
    },
    {
      name: "create a personal token",
      allowed: ["admin", "growth", "analyst", "engineer", "viewer"],
      run: async (api) => (await api.post("/api/tokens", { data: { name: "matrix" } })).status(),
    },
  ];

  for (const role of ROLE_NAMES) {
    const api = await apiAs(role, baseURL);
    for (const action of actions) {
      const status = await action.run(api);
      if (action.allowed.includes(role)) expect(status, `${role} may ${action.name}`).toBeLessThan(300);
      else expect(status, `${role} may not ${action.name}`).toBe(403);
    }
    await api.dispose();
  }
});

test("[engineer] may snooze an alert but not mute it; the routes check the role before the alert", async ({
  baseURL,
}) => {
  // An alert id that does not exist: a role past the permission check gets 404, any other 403.
  const expected: Record<RoleName, { snooze: number; mute: number }> = {
    admin: { snooze: 404, mute: 404 },
    growth: { snooze: 404, mute: 404 },
    engineer: { snooze: 404, mute: 403 },
    analyst: { snooze: 403, mute: 403 },
    viewer: { snooze: 403, mute: 403 },
  };
  for (const role of ROLE_NAMES) {
    const api = await apiAs(role, baseURL);
    const snooze = await api.post("/api/alerts/no-such-alert/snooze", { data: { hours: 1 } });
    const mute = await api.post("/api/alerts/no-such-alert/mute", { data: { muted: true } });
    expect({ snooze: snooze.status(), mute: mute.status() }, role).toEqual(expected[role]);
    await api.dispose();
  }
});

test("[growth] approves, [analyst] and [viewer] cannot; workflow verbs are role-checked over HTTP", async ({
  baseURL,
}) => {
  const analyst = await apiAs("analyst", baseURL);
  const growth = await apiAs("growth", baseURL);
  const viewer = await apiAs("viewer", baseURL);
  const created = await analyst.post("/api/mappings", {
    data: { source: "heap", source_event: `HTTP flow ${unique()}`, canonical_event: "purchase" },
  });
  expect(created.status()).toBe(201);
  const mapping = await created.json();
  expect(mapping.status).toBe("draft");

  expect((await viewer.post(`/api/mappings/${mapping.id}/submit`)).status()).toBe(403);
  expect((await growth.post(`/api/mappings/${mapping.id}/submit`)).status()).toBe(403);
  const submitted = await analyst.post(`/api/mappings/${mapping.id}/submit`);
  expect(submitted.status()).toBe(200);
  expect((await submitted.json()).status).toBe("in_review");

  const byAnalyst = await analyst.post(`/api/mappings/${mapping.id}/approve`);
  expect(byAnalyst.status()).toBe(403);
  expect((await byAnalyst.json()).error.code).toBe("forbidden");
  expect((await viewer.post(`/api/mappings/${mapping.id}/approve`)).status()).toBe(403);

  const rejectWithout = await growth.post(`/api/mappings/${mapping.id}/reject`, { data: {} });
  expect(rejectWithout.status()).toBe(400);
  expect((await rejectWithout.json()).error.issues[0].path).toBe("comment");

  const approved = await growth.post(`/api/mappings/${mapping.id}/approve`, { data: { comment: "ok" } });
  expect(approved.status()).toBe(200);
  const body = await approved.json();
  expect(body.status).toBe("approved");
  expect(body.live_revision.reviewed_by.email).toContain("e2e-growth");

  const again = await growth.post(`/api/mappings/${mapping.id}/approve`);
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("invalid_transition");

  const unknownVerb = await growth.post(`/api/mappings/${mapping.id}/publish`);
  expect(unknownVerb.status()).toBe(400);
  expect((await unknownVerb.json()).error.issues[0].path).toBe("action");
});

test("[admin] four-eyes over HTTP: the submitter's own approval is refused", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const created = await (
    await admin.post("/api/mappings", {
      data: { source: "heap", source_event: `Four eyes ${unique()}`, canonical_event: "sign_up" },
    })
  ).json();
  await admin.post(`/api/mappings/${created.id}/submit`);
  const own = await admin.post(`/api/mappings/${created.id}/approve`);
  expect(own.status()).toBe(403);
  expect((await own.json()).error.code).toBe("four_eyes");
});

test("another workspace's mapping is 404, and workspaces can be switched", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const slug = `iso-${unique()}`;
  const created = await admin.post("/api/workspaces", { data: { name: "Isolated", slug } });
  expect(created.status()).toBe(201);
  const inOther = { "x-tracklayer-workspace": slug };
  expect((await admin.post("/api/sources", { headers: inOther, data: { key: "heap", name: "Heap" } })).status()).toBe(
    201,
  );
  expect(
    (
      await admin.post("/api/canonical-events", {
        headers: inOther,
        data: { name: "purchase", properties: [{ name: "order_id", type: "string", required: true }] },
      })
    ).status(),
  ).toBe(201);
  const foreign = await (
    await admin.post("/api/mappings", {
      headers: inOther,
      data: { source: "heap", source_event: "Order Completed", canonical_event: "purchase" },
    })
  ).json();
  expect(foreign.head_revision.required_properties).toEqual(["order_id"]);

  // The same admin, looking at the demo workspace, and a growth member who is only in the demo.
  expect((await admin.get(`/api/mappings/${foreign.id}`)).status()).toBe(404);
  const growth = await apiAs("growth", baseURL);
  const peek = await growth.get(`/api/mappings/${foreign.id}`);
  expect(peek.status()).toBe(404);
  expect((await peek.json()).error.code).toBe("not_found");
  expect((await growth.post(`/api/mappings/${foreign.id}/approve`)).status()).toBe(404);
  const notMine = await growth.get("/api/mappings", { headers: inOther });
  expect(notMine.status(), "a workspace the caller is not in").toBe(404);
  const growthList = await (await growth.get("/api/mappings?per_page=100")).json();
  expect(growthList.rows.map((m: { id: string }) => m.id)).not.toContain(foreign.id);

  const switched = await admin.post("/api/workspaces/switch", { data: { workspace: slug } });
  expect(switched.status()).toBe(200);
  expect((await admin.get(`/api/mappings/${foreign.id}`)).status()).toBe(200);
  await admin.post("/api/workspaces/switch", { data: { workspace: "demo" } });
  expect((await growth.post("/api/workspaces/switch", { data: { workspace: slug } })).status()).toBe(404);
});

test("[analyst] personal access token acts with the analyst's role until revoked", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const created = await analyst.post("/api/tokens", { data: { name: "CI" } });
  expect(created.status()).toBe(201);
  const { token, id, prefix } = await created.json();
  expect(token).toMatch(/^tl_pat_/);
  const listed = await (await analyst.get("/api/tokens")).json();
  expect(JSON.stringify(listed)).not.toContain(token);
  expect(listed.rows.find((t: { id: string }) => t.id === id).prefix).toBe(prefix);

  const bearer = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  expect((await bearer.get("/api/mappings")).status()).toBe(200);
  const proposed = await bearer.post("/api/mappings", {
    data: { source: "heap", source_event: `Via token ${unique()}`, canonical_event: "sign_up" },
  });
  expect(proposed.status()).toBe(201);
  const mapping = await proposed.json();
  expect((await bearer.post(`/api/mappings/${mapping.id}/submit`)).status()).toBe(200);
  expect((await bearer.post(`/api/mappings/${mapping.id}/approve`)).status()).toBe(403);
  expect((await bearer.post("/api/sources", { data: { key: "nope", name: "No" } })).status()).toBe(403);

  const audit = await (await bearer.get(`/api/audit-log?entity_id=${mapping.id}`)).json();
  expect(audit.rows.map((r: { actor: string }) => r.actor)).toContain(`e2e-analyst@tracklayer.test (token ${prefix}…)`);

  expect((await analyst.delete(`/api/tokens/${id}`)).status()).toBe(200);
  const revoked = await bearer.get("/api/mappings");
  expect(revoked.status()).toBe(401);
});

test("[admin] write keys are shown once, listed by prefix and revocable", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const { rows } = await (await admin.get("/api/sources")).json();
  const backend = rows.find((s: { key: string }) => s.key === "backend");
  const created = await admin.post(`/api/sources/${backend.id}/keys`, {
    data: { name: "Staging backend", allowed_sources: ["heap"] },
  });
  expect(created.status()).toBe(201);
  const key = await created.json();
  expect(key.key).toMatch(/^tl_wk_/);
  const listing = await (await admin.get("/api/sources")).text();
  expect(listing).not.toContain(key.key);
  expect(listing).toContain(key.prefix);
  const revoked = await admin.delete(`/api/sources/${backend.id}/keys/${key.id}`);
  expect(revoked.status()).toBe(200);
  expect((await revoked.json()).revoked_at).toBeTruthy();
  expect((await admin.delete(`/api/sources/${backend.id}/keys/nope`)).status()).toBe(404);
  const badList = await admin.post(`/api/sources/${backend.id}/keys`, {
    data: { name: "x", allowed_sources: ["segment"] },
  });
  expect(badList.status()).toBe(422);
  expect((await badList.json()).error.issues[0].path).toBe("allowed_sources.0");
});

test("members: admins manage roles; the last admin cannot be demoted", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const members = (await (await admin.get("/api/members")).json()).rows as {
    id: string;
    email: string;
    role: string;
  }[];
  const me = members.find((m) => m.email === "e2e-admin@tracklayer.test")!;
  const demote = await admin.patch(`/api/members/${me.id}`, { data: { role: "viewer" } });
  expect(demote.status()).toBe(409);
  // Admins do not choose newcomers' passwords: someone without an account is invited instead.
  const newcomer = await admin.post("/api/members", {
    data: { email: `new-${unique()}@tracklayer.test`, role: "viewer", password: "chosen-by-admin" },
  });
  expect(newcomer.status()).toBe(400);
  expect((await newcomer.json()).error.issues[0].path).toBe("password");
  const uninvited = await admin.post("/api/members", {
    data: { email: `new-${unique()}@tracklayer.test`, role: "viewer" },
  });
  expect(uninvited.status()).toBe(422);
  expect((await uninvited.json()).error.issues[0].path).toBe("email");
});
