// Suppression: a suppressed person's calls are answered 202 suppressed, stored without personal
// data, never delivered and make no profile; audience syncs skip them; lifting it restores ingestion.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createAudience } from "@/lib/audiences/manage-audiences";
import { changeMembers } from "@/lib/audiences/membership";
import { runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { closeDatabase, db } from "@/lib/db";
import { sha256Hex } from "@/lib/delivery/normalize";
import { sealSecrets } from "@/lib/delivery/secret-box";
import { createSuppression, forgetSuppressions, liftSuppression, listSuppressions } from "@/lib/privacy/suppressions";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { membersChangeSchema } from "@/lib/validations/audiences";
import { suppressionCreateSchema } from "@/lib/validations/privacy";
import { type AudienceMock, startAudienceMock } from "./audience-mock";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, identify, storedEvent, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
let metaId: string;
let mock: AudienceMock;
let n = 0;
const eid = () => `evt_${++n}_${Math.random().toString(36).slice(2, 7)}`;
const suppress = (kind: string, value: string) =>
  createSuppression(ws.actors.admin, suppressionCreateSchema.parse({ kind, value, reason: "test" }));

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws, "heap");
  mock = await startAudienceMock();
  const meta = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
  metaId = meta.id;
  await db().destination.update({
    where: { id: meta.id },
    data: {
      enabled: true,
      testMode: false,
      config: { base_url: mock.url, pixel_id: "1" },
      secretsEncrypted: sealSecrets({ access_token: "meta-token" }),
    },
  });
  const purchase = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, purchase.id, { destinations: { [meta.id]: true } });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

const purchase = (overrides: Record<string, unknown>) => ({
  event: "purchase",
  event_id: eid(),
  properties: { order_id: "ord_1", value: 10, currency: "EUR", email: "someone@example.com" },
  context: { ip: "203.0.113.9" },
  source: "heap",
  ...overrides,
});

describe("at ingest", () => {
  test("a suppressed user_id's event is 202 suppressed, stored with no personal data, no delivery and no profile", async () => {
    await suppress("user_id", "sup_user");
    const body = purchase({ user_id: "sup_user", anonymous_id: "anon_sup" });
    const result = await capture(key, body);
    assert.equal(result.status, 202);
    assert.deepEqual(result.body, { status: "suppressed", event_id: body.event_id });
    const row = await storedEvent(ws.workspace.id, body.event_id);
    assert.equal(row.status, "suppressed");
    assert.equal(row.userId, null);
    assert.equal(row.anonymousId, null);
    assert.equal(row.resolvedUserId, null);
    assert.equal(row.profileId, null);
    assert.deepEqual(row.properties, {});
    assert.equal(row.context, null);
    assert.deepEqual(row.payload, { suppressed: true });
    assert.equal(JSON.stringify(row).includes("sup_user"), false);
    assert.equal(await db().delivery.count({ where: { eventRowId: row.id } }), 0);
    assert.equal(await db().profile.count({ where: { workspaceId: ws.workspace.id, userId: "sup_user" } }), 0);
    assert.equal(
      await db().profileIdentity.count({ where: { workspaceId: ws.workspace.id, anonymousId: "anon_sup" } }),
      0,
    );
    const again = await capture(key, body);
    assert.equal(again.status, 200, "a retry of a suppressed event is still a duplicate");
  });

  test("an e-mail suppression catches an anonymous event carrying that e-mail, and identify calls", async () => {
    await suppress("email", " Mail.Me@Example.com ");
    const body = purchase({
      anonymous_id: "anon_mail",
      properties: { order_id: "o", value: 1, currency: "EUR", email: "mail.me@example.com" },
    });
    assert.equal((await capture(key, body)).body.status, "suppressed");
    const ident = await identify(key, { user_id: "mail_user", traits: { email: "MAIL.ME@example.com" } });
    assert.deepEqual(ident, { status: 202, body: { status: "suppressed" } });
    assert.equal(await db().profile.count({ where: { workspaceId: ws.workspace.id, userId: "mail_user" } }), 0);
  });

  test("anyone else is stored and delivered as before; DELETE of the suppression lifts it", async () => {
    const other = purchase({ user_id: "free_user" });
    const ok = await capture(key, other);
    assert.equal(ok.body.status, "accepted");
    assert.equal((ok.body.deliveries as unknown[]).length, 1);
    const listed = await listSuppressions(ws.actors.admin);
    const row = listed.suppressions.find((s) => s.kind === "user_id")!;
    assert.match(row.label, /^user_id #[0-9a-f]{8}$/);
    assert.equal(JSON.stringify(listed).includes("sup_user"), false, "the list shows hashes only");
    await liftSuppression(ws.actors.admin, row.id);
    const after = await capture(key, purchase({ user_id: "sup_user" }));
    assert.equal(after.body.status, "accepted");
    assert.equal((after.body.deliveries as unknown[])[0] !== undefined, true);
    const audit = await db().auditLog.findMany({ where: { workspaceId: ws.workspace.id, entityType: "suppression" } });
    assert.deepEqual(audit.map((a) => a.action).sort(), ["privacy.suppress", "privacy.suppress", "privacy.unsuppress"]);
  });

  test("only admins manage suppressions", async () => {
    await rejectsWith(listSuppressions(ws.actors.growth), "forbidden");
    const input = suppressionCreateSchema.parse({ kind: "user_id", value: "x" });
    await rejectsWith(createSuppression(ws.actors.growth, input), "forbidden");
    await rejectsWith(liftSuppression(ws.actors.engineer, "nope"), "forbidden");
  });
});

describe("in audiences", () => {
  test("a suppressed member is never sent as an addition; the others are", async () => {
    await identify(key, { user_id: "aud_keep", traits: { email: "keep@example.com" } });
    await identify(key, { user_id: "aud_hide", traits: { email: "hide@example.com" } });
    await suppress("user_id", "aud_hide");
    await createAudience(ws.actors.growth, {
      key: "vip",
      name: "VIP",
      description: "",
      destinations: [{ destination_id: metaId, enabled: true, audience_id: "2384" }],
    });
    await changeMembers(
      ws.workspace.id,
      "vip",
      membersChangeSchema.parse({ add: [{ user_id: "aud_keep" }, { user_id: "aud_hide" }] }),
    );
    forgetSuppressions(ws.workspace.id);
    for (let i = 0; i < 4; i++)
      if ((await runAudienceSyncOnce("test", { leaseMs: 60_000, timeoutMs: 2_000 })) === 0) break;
    const sent = mock.received.filter((r) => r.path.includes("/2384/users"));
    assert.equal(sent.length, 1);
    const rows = JSON.stringify(sent[0]!.body.payload.data);
    assert.equal(rows.includes(sha256Hex("keep@example.com")), true);
    assert.equal(rows.includes(sha256Hex("hide@example.com")), false);
    assert.equal(rows.includes(sha256Hex("aud_hide")), false);
  });
});
