// Review with evidence: the sampled properties, the dry run (ingest's own checks), the approval gate over
// the workspace's rejection threshold, and the review queue — against a real database.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { listAuditLog } from "@/lib/registry/audit";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { dryRunRevision, observeProperties } from "@/lib/registry/mappings/dry-run";
import { mappingEvidence, sourceEventEvidence } from "@/lib/registry/mappings/evidence";
import { listMappings } from "@/lib/registry/mappings/list-mappings";
import { countAwaitingReview } from "@/lib/registry/mappings/review-queue";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { auditListQuerySchema } from "@/lib/validations/audit";
import { sourceEventEvidenceQuerySchema } from "@/lib/validations/evidence";
import { mappingListQuerySchema } from "@/lib/validations/mappings";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";
import { updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
let n = 0;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
});
after(() => closeDatabase());

/** Ten unmapped events of one label: all carry lead_id, none pipeline_stage, two a string value. */
async function sendTen(label: string) {
  for (let i = 0; i < 10; i++) {
    const properties: Record<string, unknown> = { lead_id: `L${i}`, plan: "pro" };
    if (i < 2) properties.value = "lots";
    const result = await capture(key, { event: label, event_id: `${label}-${++n}`, user_id: "u1", properties });
    assert.equal(result.status, 202);
  }
}

const propose = (label: string, extra: Record<string, unknown> = {}) =>
  createMapping(ws.actors.analyst, {
    source: "heap",
    source_event: label,
    canonical_event: "qualify_lead",
    property_renames: {},
    note: "",
    ...extra,
  });

describe("the dry run (pure)", () => {
  test("counts presence, types and examples, and judges each event with ingest's checks", () => {
    const samples = [{ a: "x", b: 1 }, { a: "y", b: "2" }, { a: "" }, {}];
    const observed = observeProperties(samples);
    assert.deepEqual(
      observed.map((p) => [p.name, p.presence_pct, p.types]),
      [
        ["a", 50, { string: 2 }],
        ["b", 50, { number: 1, string: 1 }],
      ],
    );
    assert.deepEqual(observed[0]?.examples, ["x", "y"]);
    const run = dryRunRevision(samples, {
      canonicalName: "e",
      required: ["a"],
      renames: {},
      definitions: [
        { name: "a", type: "string", required: true, description: "" },
        { name: "b", type: "number", required: false, description: "" },
      ],
    });
    assert.equal(run.accepted, 1);
    assert.equal(run.reject_pct, 75);
    assert.deepEqual(
      run.causes.map((c) => [c.label, c.pct]),
      [
        ["missing a", 50],
        ["wrong type b (must be a number)", 25],
      ],
    );
  });
});

describe("evidence of a mapping revision", () => {
  test("shows the observed properties and that the revision rejects 100 %: missing pipeline_stage", async () => {
    await sendTen("Pricing Page Viewed Twice");
    const m = await propose("Pricing Page Viewed Twice");
    const evidence = await mappingEvidence(ws.actors.growth, m.id);
    assert.equal(evidence.sampled, 10);
    assert.equal(evidence.total, 10);
    assert.equal(evidence.total_capped, false);
    assert.deepEqual(evidence.stored_as, { unmapped: 100 });
    assert.deepEqual(
      evidence.properties.map((p) => [p.name, p.presence_pct]),
      [
        ["lead_id", 100],
        ["plan", 100],
        ["value", 20],
      ],
    );
    assert.deepEqual(evidence.properties.find((p) => p.name === "value")?.types, { string: 2 });
    const run = evidence.dry_run!;
    assert.equal(run.revision, 1);
    assert.equal(run.reject_pct, 100);
    assert.deepEqual(
      run.causes.map((c) => [c.label, c.pct]),
      [
        ["missing pipeline_stage", 100],
        ["wrong type value (must be a number)", 20],
      ],
    );
  });

  test("only the last 7 days count, and another label's events never do", async () => {
    await sendTen("Old Label");
    await sendTen("Other Label");
    const workspaceId = ws.workspace.id;
    const old = await db().event.findMany({ where: { workspaceId, sourceEvent: "Old Label" }, take: 4 });
    await db().event.updateMany({
      where: { id: { in: old.map((e) => e.id) } },
      data: { receivedAt: new Date(Date.now() - 8 * 86_400_000) },
    });
    const m = await propose("Old Label", { required_properties: ["lead_id"] });
    const evidence = await mappingEvidence(ws.actors.viewer, m.id);
    assert.equal(evidence.sampled, 6);
    assert.equal(evidence.total, 6);
  });

  test("the promote form's variant samples a label before it is mapped, with a dry run when a canonical event is named", async () => {
    await sendTen("Not Yet Mapped");
    const query = sourceEventEvidenceQuerySchema.parse({
      source: "heap",
      source_event: "Not Yet Mapped",
      canonical_event: "qualify_lead",
      required_properties: "lead_id",
      property_renames: "plan:pipeline_stage",
    });
    const evidence = await sourceEventEvidence(ws.actors.analyst, query);
    assert.equal(evidence.sampled, 10);
    // plan → pipeline_stage fills the required property; only the two string values fail now.
    assert.equal(evidence.dry_run?.reject_pct, 20);
    assert.equal(evidence.dry_run?.causes[0]?.label, "wrong type value (must be a number)");
    const plain = await sourceEventEvidence(ws.actors.analyst, { source: "heap", source_event: "Not Yet Mapped" });
    assert.equal(plain.dry_run, null);
    const unknown = await rejectsWith(
      sourceEventEvidence(ws.actors.analyst, { source: "nope", source_event: "x" }),
      "unprocessable",
    );
    assert.equal(unknown.issues?.[0]?.path, "source");
  });
});

describe("approving over the rejection threshold", () => {
  test("answers confirmation_required naming the cause, and approves once confirmed (audited)", async () => {
    // A transaction is one connection: the gate's queries must not overlap on it (pg warns, then fails).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    after(() => process.off("warning", onWarning));
    await sendTen("Gate Label");
    const m = await propose("Gate Label");
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    const refused = await rejectsWith(transitionMapping(ws.actors.growth, m.id, "approve"), "confirmation_required");
    assert.match(refused.message, /reject 100 %/);
    assert.match(refused.message, /missing pipeline_stage 100 %/);
    assert.equal(refused.issues?.[0]?.path, "properties.pipeline_stage");
    const still = await db().mapping.findUniqueOrThrow({ where: { id: m.id } });
    assert.equal(still.status, "in_review");
    assert.equal(still.liveRevisionId, null);

    const approved = await transitionMapping(ws.actors.growth, m.id, "approve", undefined, {
      confirmRejections: true,
    });
    assert.equal(approved.status, "approved");
    const audit = await listAuditLog(ws.actors.admin, auditListQuerySchema.parse({ entity_id: m.id }));
    const entry = audit.rows.find((r) => r.action === "mapping.approve");
    assert.match(entry?.summary ?? "", /confirmed although it would reject 100 %/);
    const recorded = (entry?.after as { confirmed_over_threshold?: { reject_pct: number } } | undefined)
      ?.confirmed_over_threshold;
    assert.equal(recorded?.reject_pct, 100);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      warnings.filter((w) => /already executing a query/.test(w)),
      [],
    );
  });

  test("at or under the threshold no confirmation is asked; the workspace setting moves the line", async () => {
    await sendTen("Boundary Label");
    // Only lead_id required: the two string values are the 20 % rejected, not over the default 20 %.
    const m = await propose("Boundary Label", { required_properties: ["lead_id"] });
    await transitionMapping(ws.actors.analyst, m.id, "submit");
    const other = await propose("Boundary Label 2");
    await sendTen("Boundary Label 2");
    await transitionMapping(ws.actors.analyst, other.id, "submit");

    const saved = await updateWorkspace(
      ws.actors.growth,
      workspaceUpdateSchema.parse({ approval_rejection_threshold_pct: 10 }),
    );
    assert.equal(saved.approval_rejection_threshold_pct, 10);
    await rejectsWith(transitionMapping(ws.actors.growth, m.id, "approve"), "confirmation_required");
    await updateWorkspace(ws.actors.growth, { approval_rejection_threshold_pct: 20 });
    assert.equal((await transitionMapping(ws.actors.growth, m.id, "approve")).status, "approved");
    await updateWorkspace(ws.actors.growth, { approval_rejection_threshold_pct: 100 });
    assert.equal((await transitionMapping(ws.actors.growth, other.id, "approve")).status, "approved");
    await updateWorkspace(ws.actors.growth, { approval_rejection_threshold_pct: 20 });

    assert.equal(workspaceUpdateSchema.safeParse({ approval_rejection_threshold_pct: 101 }).success, false);
    await rejectsWith(updateWorkspace(ws.actors.analyst, { approval_rejection_threshold_pct: 50 }), "forbidden");
  });
});

describe("the review queue", () => {
  test("counts in-review revisions the person may approve and did not submit", async () => {
    const before = await countAwaitingReview(ws.actors.growth);
    const adminBefore = await countAwaitingReview(ws.actors.admin);
    const mine = await createMapping(ws.actors.admin, {
      source: "heap",
      source_event: "Queue Own",
      canonical_event: "start_trial",
      property_renames: {},
      note: "",
    });
    await transitionMapping(ws.actors.admin, mine.id, "submit");
    const theirs = await propose("Queue Theirs");
    await transitionMapping(ws.actors.analyst, theirs.id, "submit");

    assert.equal(await countAwaitingReview(ws.actors.growth), before + 2);
    const adminCount = await countAwaitingReview(ws.actors.admin);
    assert.equal(adminCount, adminBefore + 1, "the admin's own submission is not in their queue");
    assert.equal(await countAwaitingReview(ws.actors.analyst), 0, "analysts cannot approve");

    const query = mappingListQuerySchema.parse({ needs_review: "me", per_page: 100 });
    const adminQueue = await listMappings(ws.actors.admin, query);
    assert.ok(adminQueue.rows.some((r) => r.id === theirs.id));
    assert.ok(!adminQueue.rows.some((r) => r.id === mine.id));
    assert.equal(adminQueue.total, adminCount);

    await transitionMapping(ws.actors.growth, theirs.id, "approve", undefined, { confirmRejections: true });
    assert.equal(await countAwaitingReview(ws.actors.growth), before + 1);
  });
});
