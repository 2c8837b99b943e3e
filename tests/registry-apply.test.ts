// POST /api/registry/apply: a bundle becomes draft revisions submitted for review with its
// reference; nothing is approved, four-eyes holds, every write is audited, a second apply of the
// same bundle writes nothing. Round trip / promotion: one workspace's export applied to an empty
// workspace and approved there by another member exports as the identical bundle.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { applyRegistry } from "@/lib/registry/apply/apply";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { exportRegistry } from "@/lib/registry/plan/export";
import { registryApplySchema } from "@/lib/validations/registry-apply";
import type { RegistryBundle } from "@/lib/validations/registry-bundle";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { emptyWorkspaceLike } from "./registry-helpers";

type Json = any;
let ws: TestWorkspace;
let exported: RegistryBundle;

before(async () => {
  ws = await createTestWorkspace();
  exported = await exportRegistry(ws.actors.viewer);
});
after(() => closeDatabase());

const input = (bundle: unknown, reference = "abc1234") => parseInput(registryApplySchema, { bundle, reference });

async function auditSince(workspaceId: string, since: Date) {
  return db().auditLog.findMany({ where: { workspaceId, createdAt: { gte: since } }, orderBy: { createdAt: "asc" } });
}

describe("apply to a workspace", () => {
  test("drafts and submits the changes with the reference, approves nothing, audits each write", async () => {
    const bundle = structuredClone(exported) as Json;
    const signUp = bundle.canonical_events.find((e: Json) => e.title === "sign_up");
    bundle.canonical_events.push({ ...signUp, title: "refund_issued" });
    bundle.canonical_events.sort((a: Json, b: Json) => (a.title < b.title ? -1 : 1));
    const source = bundle.mappings[0].source;
    bundle.mappings.push({
      source,
      source_event: "Refund Issued",
      canonical_event: "refund_issued",
      required_properties: [],
      property_renames: {},
      destinations: [],
    });
    const live = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, status: "approved", headRevision: { status: "approved" } },
      include: { source: true, headRevision: { include: { canonicalEvent: true } } },
    });
    const changed = bundle.mappings.find(
      (m: Json) => m.source === live.source.key && m.source_event === live.sourceEvent,
    );
    changed.required_properties = [];
    const since = new Date();
    const result = await applyRegistry(
      ws.actors.analyst,
      input(JSON.parse(JSON.stringify(bundle)), "https://git.example/pr/7"),
    );

    const outcome = (key: string) => result.changes.find((c) => c.key === key)?.outcome;
    assert.equal(outcome("refund_issued"), "created");
    assert.equal(outcome(`${source}/Refund Issued`), "submitted");
    assert.equal(outcome(`${live.source.key}/${live.sourceEvent}`), "submitted");

    const added = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "Refund Issued" },
      include: { headRevision: true },
    });
    assert.equal(added.status, "in_review");
    assert.equal(added.liveRevisionId, null);
    assert.equal(added.headRevision?.status, "in_review");
    assert.match(added.headRevision?.note ?? "", /https:\/\/git\.example\/pr\/7/);

    const edited = await db().mapping.findUniqueOrThrow({ where: { id: live.id }, include: { headRevision: true } });
    assert.equal(edited.liveRevisionId, live.liveRevisionId, "the live revision stays in force");
    assert.equal(edited.headRevision?.status, "in_review");
    assert.equal(edited.headRevision?.number, live.headRevision!.number + 1);

    const entries = await auditSince(ws.workspace.id, since);
    const actions = entries.map((e) => e.action);
    assert.ok(actions.includes("canonical_event.create"));
    assert.ok(actions.includes("mapping.create"));
    assert.ok(actions.includes("mapping.edit"));
    assert.equal(actions.filter((a) => a === "mapping.submit").length, 2);
    assert.ok(!actions.some((a) => a === "mapping.approve"), "applying never approves");
    const summary = entries.find((e) => e.action === "registry.apply");
    assert.equal((summary?.after as Json)?.reference, "https://git.example/pr/7");
    assert.ok(
      entries
        .filter((e) => e.action === "mapping.submit")
        .every((e) => (e.after as Json).comment === "https://git.example/pr/7"),
    );

    // The same bundle again: nothing to do, nothing written.
    const again = new Date();
    const second = await applyRegistry(ws.actors.analyst, input(JSON.parse(JSON.stringify(bundle))));
    assert.deepEqual(second.changes, []);
    assert.deepEqual(await auditSince(ws.workspace.id, again), []);
  });

  test("only members who may plan may apply; destination changes need the toggle permission", async () => {
    await rejectsWith(applyRegistry(ws.actors.viewer, input(exported)), "forbidden");
    await rejectsWith(applyRegistry(ws.actors.engineer, input(exported)), "forbidden");
    const bundle = structuredClone(exported) as Json;
    const withDestination = bundle.mappings.find((m: Json) => m.destinations.length > 0);
    withDestination.destinations[0].enabled = !withDestination.destinations[0].enabled;
    const since = new Date();
    await rejectsWith(applyRegistry(ws.actors.analyst, input(bundle)), "forbidden");
    assert.deepEqual(await auditSince(ws.workspace.id, since), [], "nothing written before the refusal");
  });

  test("a reference is required", () => {
    assert.throws(() => parseInput(registryApplySchema, { bundle: exported, reference: " " }), /reference|Invalid/);
  });
});

describe("round trip and promotion between workspaces", () => {
  test("export → apply to an empty workspace → approve there by another member → export is identical", async () => {
    const source = await exportRegistry(ws.actors.viewer);
    const target = await emptyWorkspaceLike(ws);
    const result = await applyRegistry(target.actors.admin, input(source, "promote staging → production"));
    assert.equal(result.summary.added, source.canonical_events.length + source.mappings.length);

    const mappings = await db().mapping.findMany({ where: { workspaceId: target.workspace.id } });
    assert.ok(mappings.length > 0);
    assert.ok(
      mappings.every((m) => m.status === "in_review" && m.liveRevisionId === null),
      "nothing approved",
    );
    // Four-eyes: the member who applied cannot approve.
    await rejectsWith(transitionMapping(target.actors.admin, mappings[0]!.id, "approve"), "four_eyes");
    for (const m of mappings) await transitionMapping(target.actors.growth, m.id, "approve");

    assert.deepEqual(await exportRegistry(target.actors.viewer), source);
    const replan = await applyRegistry(target.actors.admin, input(source));
    assert.deepEqual(replan.changes, []);
  });
});
