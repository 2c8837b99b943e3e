// The first-run checklist against the database: an empty workspace has every step to do; each step ticks
// when its row appears; the last one only once a delivered event's four checks pass. The destination card's
// "used by" and the deliveries' switched-off flag come from the same rows.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import type { Actor } from "@/lib/auth/actor";
import { closeDatabase, db } from "@/lib/db";
import { getDelivery } from "@/lib/delivery/deliveries";
import { listMappingsByDestination } from "@/lib/delivery/destination-usage";
import { createDestination, updateDestination } from "@/lib/delivery/manage-destinations";
import { getOnboardingState } from "@/lib/onboarding/checklist";
import { createCanonicalEvent } from "@/lib/registry/canonical-events";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { createSource, createWriteKey } from "@/lib/registry/sources";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createWorkspace, updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace } from "./helpers";
import { capture } from "./ingest-helpers";

let admin: Actor;
let url: string;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
});

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  const ws = await createTestWorkspace();
  const created = await createWorkspace(ws.actors.admin.userId, ws.actors.admin.email, {
    name: `Empty ${ws.tag}`,
    slug: `empty-${ws.tag}`,
  });
  admin = { ...ws.actors.admin, workspaceId: created.id };
});
after(async () => {
  receiver.close();
  await closeDatabase();
});

const doneSteps = async () => (await getOnboardingState(admin)).steps.filter((s) => s.done).map((s) => s.key);
/** The event_id derives from the order id, as the stable event_id check asks. */
const purchase = (orderId: string) => ({
  event: "purchase",
  event_id: `${orderId}_purchase`,
  user_id: "cust_2048",
  source: "backend",
  properties: { order_id: orderId, value: 129.95, currency: "EUR" },
});

test("an empty workspace's steps tick one by one as their rows appear, the last after four passing checks", async () => {
  assert.deepEqual(await doneSteps(), []);
  assert.equal((await getOnboardingState(admin)).writeKey, null);

  const source = await createSource(admin, { key: "backend", name: "Backend", description: "" });
  const key = await createWriteKey(admin, source.id, { name: "first", allowed_sources: [], test: false });
  assert.deepEqual(await doneSteps(), ["write_key"]);
  assert.deepEqual((await getOnboardingState(admin)).writeKey, { prefix: key.prefix, source: "backend" });

  await capture(key.key, purchase("ord_first"));
  assert.deepEqual(await doneSteps(), ["write_key", "first_event"]);

  await updateWorkspace(admin, { require_four_eyes: false });
  await createCanonicalEvent(admin, {
    name: "purchase",
    description: "",
    properties: [{ name: "order_id", type: "string", required: true, description: "" }],
  });
  const mapping = await createMapping(admin, {
    source: "backend",
    source_event: "purchase",
    canonical_event: "purchase",
    property_renames: {},
    note: "",
  });
  await transitionMapping(admin, mapping.id, "submit");
  await transitionMapping(admin, mapping.id, "approve");
  assert.deepEqual(await doneSteps(), ["write_key", "first_event", "approved_mapping"]);

  const destination = await createDestination(admin, {
    type: "webhook",
    name: "Receiver",
    enabled: true,
    test_mode: true,
    config: { url },
    secrets: { signing_secret: "onboarding-signing-secret" },
  });
  assert.deepEqual(await doneSteps(), ["write_key", "first_event", "approved_mapping", "test_destination"]);
  assert.deepEqual(await listMappingsByDestination(admin), new Map());

  await updateMapping(admin, mapping.id, { destinations: { [destination.id]: true } });
  assert.deepEqual(
    (await listMappingsByDestination(admin)).get(destination.id)?.map((m) => [m.source, m.sourceEvent, m.status]),
    [["backend", "purchase", "approved"]],
  );
  await capture(key.key, purchase("ord_validated"));
  assert.equal((await getOnboardingState(admin)).done, false, "not before the destination accepted it");
  await runOnce("onboarding-test", defaultWorkerOptions({ timeoutMs: 2_000 }));
  const state = await getOnboardingState(admin);
  assert.equal(state.done, true);
  const event = await db().event.findFirstOrThrow({
    where: { workspaceId: admin.workspaceId, eventId: "ord_validated_purchase" },
  });
  assert.equal(state.steps[4]?.href, `/events/${event.id}`);

  const delivery = await db().delivery.findFirstOrThrow({ where: { eventRowId: event.id } });
  assert.equal((await getDelivery(admin, delivery.id)).destination.enabled, true);
  await updateDestination(admin, destination.id, { enabled: false });
  assert.equal((await getDelivery(admin, delivery.id)).destination.enabled, false);
});
