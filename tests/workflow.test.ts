// The registry's approval workflow, against a real database.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { listAuditLog } from "@/lib/registry/audit";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import { listMappings } from "@/lib/registry/mappings/list-mappings";
import { bulkTransition, transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { mappingListQuerySchema } from "@/lib/validations/mappings";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

let ws: TestWorkspace;
let other: TestWorkspace;
let n = 0;

before(async () => {
  ws = await createTestWorkspace();
  other = await createTestWorkspace();
});
after(() => closeDatabase());

const propose = (label = `Virtual event ${++n}`, extra: Record<string, unknown> = {}) =>
  createMapping(ws.actors.analyst, {
    source: "heap",
    source_event: label,
    canonical_event: "qualify_lead",
    property_renames: {},
    note: "",
    ...extra,
  });

describe("proposing", () => {
  test("a new mapping starts as a draft revision 1 with the canonical event's required properties", async () => {
    const m = await propose("Lead Form Qualified v2");
    assert.equal(m.status, "draft");
    assert.equal(m.head_revision?.number, 1);
    assert.deepEqual(m.head_revision?.required_properties, ["lead_id", "pipeline_stage"]);
    assert.equal(m.live_revision, null);
    assert.equal(m.head_revision?.created_by?.email, ws.actors.analyst.email);
  });

  test("(source, source_event) is unique among live mappings", async () => {
    await propose("Duplicate label");
    const error = await rejectsWith(propose("Duplicate label"), "conflict");
    assert.equal(error.issues?.[0]?.path, "source_event");
  });

  test("the same label under another source or workspace is fine", async () => {
    await propose("Shared label");
    const backend = await createMapping(ws.actors.analyst, {
      source: "backend",
      source_event: "Shared label",
      canonical_event: "qualify_lead",
      property_renames: {},
      note: "",
    });
    assert.equal(backend.source, "backend");
    const elsewhere = await createMapping(other.actors.analyst, {
      source: "heap",
      source_event: "Shared label",
      canonical_event: "qualify_lead",
      property_renames: {},
      note: "",
    });
    assert.equal(elsewhere.status, "draft");
  });

  test("unknown canonical events, undeclared required properties and rename targets are 422 with field paths", async () => {
    const e1 = await rejectsWith(propose(undefined, { canonical_event: "no_such_event" }), "unprocessable");
    assert.equal(e1.issues?.[0]?.path, "canonical_event");
    const e2 = await rejectsWith(
      propose(undefined, { required_properties: ["lead_id", "shoe_size"] }),
      "unprocessable",
    );
    assert.deepEqual(
      e2.issues?.map((i) => i.path),
      ["required_properties.1"],
    );
    const e3 = await rejectsWith(
      propose(undefined, { property_renames: { leadId: "lead_identifier" } }),
      "unprocessable",
    );
    assert.equal(e3.issues?.[0]?.path, "property_renames.leadId");
    const e4 = await rejectsWith(propose(undefined, { source: "segment" }), "unprocessable");
    assert.equal(e4.issues?.[0]?.path, "source");
  });
});

describe("reviewing", () => {
  test("submit → approve by another person makes the revision live", async () => {
    const m = await propose();
    const submitted = await transitionMapping(ws.actors.analyst, m.id, "submit");
    assert.equal(submitted.status, "in_review");
    const approved = await transitionMapping(ws.actors.growth, m.id, "approve", "looks right");
    assert.equal(approved.status, "approved");
    assert.equal(approved.live_revision?.number, 1);
    assert.equal(approved.live_revision?.reviewed_by?.email, ws.actors.growth.email);
  });

  test("four-eyes: the submitter cannot approve their own revision", async () => {
    const m = await createMapping(ws.actors.admin, {
      source: "heap",
      source_event: `Admin ${++n}`,
      canonical_event: "purchase",
      property_renames: {},
      note: "",
    });
    await transitionMapping(ws.actors.admin, m.id, "submit");
    const error = await rejectsWith(transitionMapping(ws.actors.admin, m.id, "approve"), "four_eyes");
    assert.match(error.message, /another reviewer/);
    assert.equal((await getMapping(ws.actors.viewer, m.id)).status, "in_review");
    assert.equal((await transitionMapping(ws.actors.growth, m.id, "approve")).status, "approved");
  });

  test("with four-eyes turned off, a submitter may approve", async () => {
    await db().workspace.update({ where: { id: other.workspace.id }, data: { requireFourEyes: false } });
    const m = await createMapping(other.actors.admin, {
      source: "heap",
      source_event: "Solo",
      canonical_event: "purchase",
      property_renames: {},
      note: "",
    });
    await transitionMapping(other.actors.admin, m.id, "submit");
    assert.equal((await transitionMapping(other.actors.admin, m.id, "approve")).status, "approved");
  });

  test("approve needs a revision in review; a draft cannot be approved", async () => {
    const m = await propose();
    await rejectsWith(transitionMapping(ws.actors.growth, m.id, "approve"), "invalid_transition");
  });

  test("reject needs a comment and sends the mapping back for editing", async () => {
    const m = await propose();
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    const missing = await rejectsWith(transitionMapping(ws.actors.growth, m.id, "reject"), "invalid_request");
    assert.equal(missing.issues?.[0]?.path, "comment");
    const rejected = await transitionMapping(ws.actors.growth, m.id, "reject", "needs pipeline_stage rename");
    assert.equal(rejected.status, "rejected");
    await rejectsWith(transitionMapping(ws.actors.analyst, m.id, "submit"), "invalid_transition");
    const edited = await updateMapping(ws.actors.analyst, m.id, { property_renames: { stage: "pipeline_stage" } });
    assert.equal(edited.status, "draft");
    assert.equal(edited.head_revision?.number, 2);
    const history = await getMapping(ws.actors.viewer, m.id);
    assert.deepEqual(
      history.revisions.map((r) => [r.number, r.status]),
      [
        [2, "draft"],
        [1, "rejected"],
      ],
    );
  });
});

describe("editing an approved mapping", () => {
  test("creates a new draft revision while the approved one stays live until the new one is approved", async () => {
    const m = await propose();
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    await transitionMapping(ws.actors.growth, m.id, "approve");

    const edited = await updateMapping(ws.actors.analyst, m.id, { required_properties: ["lead_id"], note: "relax" });
    assert.equal(edited.status, "approved", "still delivered under the live revision");
    assert.equal(edited.live_revision?.number, 1);
    assert.deepEqual(edited.live_revision?.required_properties, ["lead_id", "pipeline_stage"]);
    assert.equal(edited.head_revision?.number, 2);
    assert.equal(edited.head_revision?.status, "draft");
    assert.equal(edited.pending_changes, true);

    await transitionMapping(ws.actors.analyst, m.id, "submit");
    const reapproved = await transitionMapping(ws.actors.growth2, m.id, "approve");
    assert.equal(reapproved.live_revision?.number, 2);
    assert.deepEqual(reapproved.live_revision?.required_properties, ["lead_id"]);
    assert.equal(reapproved.pending_changes, false);

    const history = await getMapping(ws.actors.viewer, m.id);
    assert.deepEqual(
      history.revisions.map((r) => [r.number, r.status]),
      [
        [2, "approved"],
        [1, "superseded"],
      ],
    );
    const diff = history.revisions[0]!.changes;
    assert.deepEqual(
      diff.find((c) => c.field === "required_properties"),
      {
        field: "required_properties",
        before: ["lead_id", "pipeline_stage"],
        after: ["lead_id"],
      },
    );
  });

  test("editing a revision in review returns it to draft", async () => {
    const m = await propose();
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    const edited = await updateMapping(ws.actors.analyst, m.id, { note: "one more thing" });
    assert.equal(edited.status, "draft");
    assert.equal(edited.head_revision?.number, 1);
    assert.equal(edited.head_revision?.submitted_by, null);
  });
});

describe("deprecating", () => {
  test("retires the mapping, makes it read-only and frees its source event for a new mapping", async () => {
    const label = `Retire me ${++n}`;
    const m = await propose(label);
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    await transitionMapping(ws.actors.growth, m.id, "approve");
    const deprecated = await transitionMapping(ws.actors.growth, m.id, "deprecate", "replaced");
    assert.equal(deprecated.status, "deprecated");
    await rejectsWith(updateMapping(ws.actors.analyst, m.id, { note: "x" }), "invalid_transition");
    await rejectsWith(transitionMapping(ws.actors.growth, m.id, "deprecate"), "invalid_transition");
    const replacement = await propose(label);
    assert.equal(replacement.status, "draft");
  });

  test("only approved mappings can be deprecated", async () => {
    const m = await propose();
    await rejectsWith(transitionMapping(ws.actors.growth, m.id, "deprecate"), "invalid_transition");
  });
});

describe("roles and workspaces", () => {
  test("each action is refused to roles without the permission", async () => {
    const m = await propose();
    await rejectsWith(
      createMapping(ws.actors.viewer, {
        source: "heap",
        source_event: "v",
        canonical_event: "purchase",
        property_renames: {},
        note: "",
      }),
      "forbidden",
    );
    await rejectsWith(
      createMapping(ws.actors.growth, {
        source: "heap",
        source_event: "g",
        canonical_event: "purchase",
        property_renames: {},
        note: "",
      }),
      "forbidden",
    );
    await rejectsWith(transitionMapping(ws.actors.growth, m.id, "submit"), "forbidden");
    await rejectsWith(transitionMapping(ws.actors.engineer, m.id, "submit"), "forbidden");
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    await rejectsWith(transitionMapping(ws.actors.analyst, m.id, "approve"), "forbidden");
    await rejectsWith(transitionMapping(ws.actors.viewer, m.id, "reject", "no"), "forbidden");
    await rejectsWith(updateMapping(ws.actors.analyst, m.id, { destinations: {} }), "forbidden");
    await rejectsWith(updateMapping(ws.actors.growth, m.id, { note: "growth cannot edit content" }), "forbidden");
  });

  test("another workspace's mapping is not found", async () => {
    const m = await propose();
    await rejectsWith(getMapping(other.actors.admin, m.id), "not_found");
    await rejectsWith(transitionMapping(other.actors.admin, m.id, "submit"), "not_found");
    await rejectsWith(updateMapping(other.actors.admin, m.id, { note: "x" }), "not_found");
  });

  test("destination toggles accept only this workspace's destinations", async () => {
    const m = await propose();
    const mine = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id } });
    const theirs = await db().destination.findFirstOrThrow({ where: { workspaceId: other.workspace.id } });
    const toggled = await updateMapping(ws.actors.growth, m.id, { destinations: { [mine.id]: true } });
    assert.deepEqual(
      toggled.destinations.map((d) => [d.id, d.enabled]),
      [[mine.id, true]],
    );
    const error = await rejectsWith(
      updateMapping(ws.actors.growth, m.id, { destinations: { [theirs.id]: true } }),
      "unprocessable",
    );
    assert.equal(error.issues?.[0]?.path, `destinations.${theirs.id}`);
  });
});

describe("bulk actions and listing", () => {
  test("bulk approve reports each mapping on its own", async () => {
    const a = await propose();
    const b = await propose();
    await bulkTransition(ws.actors.analyst, "submit", [a.id, b.id]);
    const draft = await propose();
    const result = await bulkTransition(ws.actors.growth, "approve", [a.id, b.id, draft.id]);
    assert.deepEqual(
      result.results.map((r) => r.ok),
      [true, true, false],
    );
    assert.equal(result.results[2]?.ok === false && result.results[2].error.code, "invalid_transition");
  });

  test("list filters, searches, sorts and pages on the server", async () => {
    const q = (input: Record<string, string>) => listMappings(ws.actors.viewer, mappingListQuerySchema.parse(input));
    const approved = await q({ status: "approved", per_page: "100" });
    assert.ok(approved.rows.length > 0 && approved.rows.every((m) => m.status === "approved"));
    const found = await q({ q: "lead form qualified" });
    assert.deepEqual(found.rows.map((m) => m.source_event).sort(), [
      "Lead Form Qualified in UI",
      "Lead Form Qualified v2",
    ]);
    const purchases = await q({ canonical_event: "purchase" });
    assert.ok(purchases.rows.every((m) => m.canonical_event === "purchase"));
    const sorted = await q({ sort: "source_event", order: "asc", per_page: "100" });
    const labels = sorted.rows.map((m) => m.source_event);
    assert.deepEqual(
      labels,
      [...labels].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
    const page2 = await q({ per_page: "2", page: "2", sort: "source_event", order: "asc" });
    assert.deepEqual(
      page2.rows.map((m) => m.source_event),
      labels.slice(2, 4),
    );
    assert.equal(page2.total, sorted.total);
    const backend = await q({ source: "backend" });
    assert.ok(backend.rows.every((m) => m.source === "backend"));
  });

  test("every change is in the audit log with who did it", async () => {
    const m = await propose();
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    await transitionMapping(ws.actors.growth, m.id, "approve");
    const log = await listAuditLog(ws.actors.viewer, { entity_id: m.id, page: 1, per_page: 25 });
    assert.deepEqual(log.rows.map((r) => [r.action, r.actor]).reverse(), [
      ["mapping.create", ws.actors.analyst.email],
      ["mapping.submit", ws.actors.analyst.email],
      ["mapping.approve", ws.actors.growth.email],
    ]);
    const elsewhere = await listAuditLog(other.actors.admin, { entity_id: m.id, page: 1, per_page: 25 });
    assert.equal(elsewhere.rows.length, 0);
  });
});
