// Every alert rule fires and resolves on a controlled clock, over rollup rows the test writes:
// one notification per transition, and the message names what a person needs to act.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { destinationModules } from "@/lib/delivery/destinations";
import { TokenError, withAccessToken } from "@/lib/delivery/oauth";
import { recordTokenRefusal } from "@/lib/delivery/token-refusal";
import { firing, HOUR, mappingOf, onlyRule, recordingChannel, roll, rollDelivery } from "./alerts-helpers";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

after(() => closeDatabase());

const T = new Date("2026-11-30T10:20:00Z"); // a Monday; the last complete hour is 09:00
const lastHour = new Date("2026-11-30T09:30:00Z");
const weeksAgo = (w: number, at = lastHour) => new Date(at.getTime() - w * 7 * 24 * HOUR);

async function setup(kind: string, params?: Record<string, number>) {
  const ws = await createTestWorkspace();
  await onlyRule(ws, kind, params);
  return { ws, ...(await recordingChannel(ws)) };
}

/** Fires at `fireAt`, stays quiet when evaluated again, resolves at `resolveAt` after `change`. */
async function firesThenResolves(
  ctx: Awaited<ReturnType<typeof setup>>,
  fireAt: Date,
  change: () => Promise<unknown>,
  resolveAt: Date,
) {
  assert.deepEqual(await ctx.evaluate(fireAt), { fired: 1, resolved: 0, reminded: 0 });
  assert.deepEqual(await ctx.evaluate(new Date(fireAt.getTime() + 60_000)), { fired: 0, resolved: 0, reminded: 0 });
  assert.equal(ctx.sent.length, 1, "one notification for one transition");
  const [alert] = await firing(ctx.ws);
  await change();
  assert.deepEqual(await ctx.evaluate(resolveAt), { fired: 0, resolved: 1, reminded: 0 });
  assert.deepEqual(
    ctx.sent.map((s) => s.type),
    ["alert.fired", "alert.resolved"],
  );
  return { alert: alert!, fired: ctx.sent[0]!.alert! };
}

describe("alert rules", () => {
  test("volume drop: the last hour against the same hour of earlier weeks", async () => {
    const ctx = await setup("volume_drop");
    const m = await mappingOf(ctx.ws, "Order Completed");
    for (let w = 1; w <= 4; w++)
      await roll(ctx.ws, { at: weeksAgo(w), ...m, mappingId: m.id, status: "accepted", count: 100 });
    await roll(ctx.ws, { at: lastHour, ...m, mappingId: m.id, status: "accepted", count: 10 });
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () => roll(ctx.ws, { at: lastHour, ...m, mappingId: m.id, status: "accepted", count: 90 }),
      new Date(T.getTime() + 120_000),
    );
    assert.match(fired.title, /Order Completed \(heap\) dropped/);
    assert.equal(fired.details.baseline, 100);
  });

  test("volume drop: a quiet mapping (baseline under min_volume) never fires", async () => {
    const ctx = await setup("volume_drop");
    const m = await mappingOf(ctx.ws, "Order Completed");
    for (let w = 1; w <= 4; w++)
      await roll(ctx.ws, { at: weeksAgo(w), ...m, mappingId: m.id, status: "accepted", count: 5 });
    assert.equal((await ctx.evaluate(T)).fired, 0);
  });

  test("volume spike: fires on the spiking hour, resolves the next hour", async () => {
    const ctx = await setup("volume_spike");
    const m = await mappingOf(ctx.ws, "Checkout Started");
    for (let w = 1; w <= 4; w++)
      await roll(ctx.ws, { at: weeksAgo(w), ...m, mappingId: m.id, status: "accepted", count: 50 });
    await roll(ctx.ws, { at: lastHour, ...m, mappingId: m.id, status: "accepted", count: 400 });
    const { fired } = await firesThenResolves(ctx, T, async () => {}, new Date(T.getTime() + HOUR));
    assert.match(fired.title, /spiked/);
  });

  test("mapping silent: no event for `hours`, resolved by the next event", async () => {
    const ctx = await setup("mapping_silent", { hours: 6 });
    const m = await mappingOf(ctx.ws, "Checkout Started");
    await roll(ctx.ws, { at: new Date(T.getTime() - 8 * HOUR), ...m, mappingId: m.id, status: "accepted", count: 3 });
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () => roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "accepted", count: 1 }),
      new Date(T.getTime() + 60_000),
    );
    assert.match(fired.title, /Checkout Started \(heap\) silent for 8 h/);
  });

  test("suspected rename: names both labels, offers Promote, resolves once the new label is mapped", async () => {
    const ctx = await setup("suspected_rename");
    const m = await mappingOf(ctx.ws, "Checkout Started");
    const split = new Date(T.getTime() - 2 * HOUR);
    for (let h = 1; h <= 24; h++)
      await roll(ctx.ws, {
        at: new Date(split.getTime() - h * HOUR),
        ...m,
        mappingId: m.id,
        status: "accepted",
        count: 10,
      });
    // The old label's last event came before the new one's first, in the same hour.
    await roll(ctx.ws, { at: new Date(split.getTime() - 60_000), ...m, mappingId: m.id, status: "accepted", count: 2 });
    const renamed = "Checkout Started (v2)";
    await roll(ctx.ws, {
      at: split,
      sourceId: m.sourceId,
      sourceEvent: renamed,
      status: "unmapped",
      count: 15,
      last: T,
    });
    await roll(ctx.ws, {
      at: new Date(T.getTime() - HOUR),
      sourceId: m.sourceId,
      sourceEvent: renamed,
      status: "unmapped",
      count: 15,
    });
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () =>
        db().mapping.create({
          data: { workspaceId: ctx.ws.workspace.id, sourceId: m.sourceId, sourceEvent: renamed, liveKey: renamed },
        }),
      new Date(T.getTime() + 60_000),
    );
    assert.equal(fired.title, `Suspected rename: Checkout Started → ${renamed} (heap)`);
    assert.equal(
      fired.details.promote,
      `/mappings/new?${new URLSearchParams({ source: "heap", source_event: renamed })}`,
    );
    assert.equal(fired.details.new_label_count, 30);
  });

  test("suspected rename: a new label beside a mapping that keeps its volume is not a rename", async () => {
    const ctx = await setup("suspected_rename");
    const m = await mappingOf(ctx.ws, "Checkout Started");
    for (let h = 0; h <= 24; h++)
      await roll(ctx.ws, {
        at: new Date(T.getTime() - h * HOUR),
        ...m,
        mappingId: m.id,
        status: "accepted",
        count: 10,
      });
    await roll(ctx.ws, {
      at: new Date(T.getTime() - 2 * HOUR),
      sourceId: m.sourceId,
      sourceEvent: "Something new",
      status: "unmapped",
      count: 40,
    });
    assert.equal((await ctx.evaluate(T)).fired, 0);
  });

  test("violation rate above max_pct over the window", async () => {
    const ctx = await setup("violation_rate");
    const m = await mappingOf(ctx.ws, "Order Completed");
    await roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "accepted", count: 70 });
    await roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "rejected", count: 30 });
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () => roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "accepted", count: 900 }),
      new Date(T.getTime() + 60_000),
    );
    assert.match(fired.title, /Order Completed \(heap\): 30 % violations/);
  });

  test("acceptance rate drop of a source against its previous week", async () => {
    const ctx = await setup("acceptance_drop");
    const m = await mappingOf(ctx.ws, "Order Completed");
    await roll(ctx.ws, {
      at: new Date(T.getTime() - 48 * HOUR),
      ...m,
      mappingId: m.id,
      status: "accepted",
      count: 900,
    });
    await roll(ctx.ws, {
      at: new Date(T.getTime() - 48 * HOUR),
      sourceId: m.sourceId,
      sourceEvent: "x",
      status: "unmapped",
      count: 100,
    });
    await roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "accepted", count: 40 });
    await roll(ctx.ws, { at: T, sourceId: m.sourceId, sourceEvent: "x", status: "unmapped", count: 60 });
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () => roll(ctx.ws, { at: T, ...m, mappingId: m.id, status: "accepted", count: 500 }),
      new Date(T.getTime() + 60_000),
    );
    assert.match(fired.title, /heap: acceptance fell to 40 %/);
  });

  async function destination(ws: TestWorkspace) {
    return db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
  }

  test("destination failure rate", async () => {
    const ctx = await setup("destination_failure");
    const d = await destination(ctx.ws);
    await rollDelivery(ctx.ws, T, d.id, "sent", 10);
    await rollDelivery(ctx.ws, T, d.id, "retrying", 20);
    const { fired } = await firesThenResolves(
      ctx,
      T,
      () => rollDelivery(ctx.ws, T, d.id, "sent", 500),
      new Date(T.getTime() + 60_000),
    );
    assert.match(fired.title, /Meta Conversions API \(demo\): 66\.7 % of attempts failing/);
  });

  test("dead letters within the window", async () => {
    const ctx = await setup("dead_letters");
    const d = await destination(ctx.ws);
    await rollDelivery(ctx.ws, T, d.id, "dead", 2);
    const { fired } = await firesThenResolves(ctx, T, async () => {}, new Date(T.getTime() + 2 * HOUR));
    assert.match(fired.title, /2 dead letters/);
  });

  test("backlog age: the oldest pending delivery", async () => {
    const ctx = await setup("backlog_age");
    const d = await destination(ctx.ws);
    const key = await writeKeyFor(ctx.ws);
    const eventId = `bk_${randomUUID()}`;
    await capture(key, { event: "Checkout Started", event_id: eventId, user_id: "u1" });
    const event = await db().event.findFirstOrThrow({ where: { workspaceId: ctx.ws.workspace.id } });
    const now = new Date();
    const delivery = await db().delivery.create({
      data: {
        id: randomUUID(),
        workspaceId: ctx.ws.workspace.id,
        eventRowId: event.id,
        destinationId: d.id,
        createdAt: new Date(now.getTime() - 45 * 60_000),
      },
    });
    const { fired } = await firesThenResolves(
      ctx,
      now,
      () => db().delivery.update({ where: { id: delivery.id }, data: { status: "succeeded" } }),
      new Date(now.getTime() + 60_000),
    );
    assert.match(fired.title, /oldest pending delivery 45 min old/);
  });

  test("OAuth refresh refused: the token endpoint's 4xx is remembered and fires within the window", async () => {
    const ctx = await setup("oauth_refused");
    const d = await destination(ctx.ws);
    const refusing = (async () =>
      Response.json(
        { error: "invalid_grant", error_description: "Token has been revoked" },
        { status: 400 },
      )) as unknown as typeof fetch;
    const secrets = { client_id: "c", client_secret: "s", refresh_token: "r" };
    const error = await withAccessToken(
      destinationModules.google_ads,
      d.id,
      { config: {}, secrets },
      { fetchImpl: refusing },
    ).catch((e: unknown) => e);
    assert.ok(error instanceof TokenError && error.refused);
    await recordTokenRefusal(d.id, error, new Date(T.getTime() - 5 * 60_000));
    const { fired } = await firesThenResolves(ctx, T, async () => {}, new Date(T.getTime() + 2 * HOUR));
    assert.match(fired.title, /OAuth refresh refused/);
    assert.match(
      String((await db().alert.findFirstOrThrow({ where: { workspaceId: ctx.ws.workspace.id } })).message),
      /invalid_grant: Token has been revoked/,
    );
  });
});
