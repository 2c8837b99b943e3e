// Destination health: failure rate and dead letters from the delivery rollups (DeliveryHealthRollup), the age of the
// oldest pending delivery (the outbox's index, outbox-state.ts), and OAuth token endpoints refusing to mint.
import { db } from "@/lib/db";
import { outboxState } from "@/lib/delivery/outbox-state";
import type { RuleParams } from "@/lib/validations/alerts";
import { windowStart } from "./quality";
import { type EvalContext, type Finding, pctText, type RuleDefinition } from "./types";

type Destination = { id: string; name: string; type: string };

const destinations = (ctx: EvalContext): Promise<Destination[]> =>
  db().destination.findMany({
    where: { workspaceId: ctx.workspaceId },
    select: { id: true, name: true, type: true },
    orderBy: { name: "asc" },
  });

const destinationDetails = (d: Destination) => ({
  destination_id: d.id,
  destination: d.name,
  link: `/deliveries?destination=${d.id}`,
});

/** Attempts by outcome per destination over the window. */
async function outcomes(ctx: EvalContext, hours: number) {
  const rows = await ctx.raw.query<{ dest: string; outcome: string; n: string }>(
    `SELECT "destinationId" AS "dest", "outcome", sum("count")::text AS "n" FROM "DeliveryHealthRollup"
     WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp GROUP BY 1, 2`,
    [ctx.workspaceId, windowStart(ctx, hours).toISOString()],
  );
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const entry = out.get(r.dest) ?? {};
    out.set(r.dest, entry);
    entry[r.outcome] = (entry[r.outcome] ?? 0) + Number(r.n);
  }
  return out;
}

export const destinationFailure: RuleDefinition<RuleParams<"destination_failure">> = {
  label: "Destination failure rate",
  description:
    "More than max_pct of a destination's attempts over window_hours failed (retrying or dead), with at least min_attempts.",
  async evaluate(ctx, p) {
    const [counts, list] = await Promise.all([outcomes(ctx, p.window_hours), destinations(ctx)]);
    return list.flatMap((d): Finding[] => {
      const c = counts.get(d.id) ?? {};
      const failed = (c.retrying ?? 0) + (c.dead ?? 0);
      const tried = failed + (c.sent ?? 0);
      if (tried < p.min_attempts || failed / tried <= p.max_pct / 100) return [];
      return [
        {
          subjectKey: d.id,
          title: `${d.name}: ${pctText(failed / tried)} of attempts failing`,
          message: `${failed} of ${tried} attempts to ${d.name} failed in the last ${p.window_hours} h (the rule allows ${p.max_pct} %).`,
          details: { ...destinationDetails(d), failed, attempts: tried },
        },
      ];
    });
  },
};

export const deadLetters: RuleDefinition<RuleParams<"dead_letters">> = {
  label: "Dead letters",
  description: "A destination gave up on at least min_count deliveries over window_hours.",
  async evaluate(ctx, p) {
    const [counts, list] = await Promise.all([outcomes(ctx, p.window_hours), destinations(ctx)]);
    return list.flatMap((d): Finding[] => {
      const dead = counts.get(d.id)?.dead ?? 0;
      if (dead < p.min_count) return [];
      return [
        {
          subjectKey: d.id,
          title: `${d.name}: ${dead} dead letter${dead === 1 ? "" : "s"}`,
          message: `${dead} deliveries to ${d.name} were given up in the last ${p.window_hours} h; see them under Deliveries (dead) and replay once fixed.`,
          details: { ...destinationDetails(d), dead, link: `/deliveries?status=dead&destination=${d.id}` },
        },
      ];
    });
  },
};

export const backlogAge: RuleDefinition<RuleParams<"backlog_age">> = {
  label: "Backlog age",
  description: "A destination's oldest pending or retrying delivery is older than max_minutes.",
  async evaluate(ctx, p) {
    const [outbox, list] = await Promise.all([outboxState(ctx.workspaceId, ctx.raw), destinations(ctx)]);
    return list.flatMap((d): Finding[] => {
      const b = outbox.get(d.id);
      if (!b?.oldestPendingAt) return [];
      const ageMin = Math.floor((ctx.now.getTime() - b.oldestPendingAt.getTime()) / 60_000);
      if (ageMin < p.max_minutes) return [];
      const waiting = `${b.backlog}${b.backlogCapped ? "+" : ""}`;
      return [
        {
          subjectKey: d.id,
          title: `${d.name}: oldest pending delivery ${ageMin} min old`,
          message: `${waiting} deliveries to ${d.name} are waiting; the oldest for ${ageMin} minutes (the rule allows ${p.max_minutes}).`,
          details: { ...destinationDetails(d), backlog: b.backlog, oldest_minutes: ageMin },
        },
      ];
    });
  },
};

export const oauthRefused: RuleDefinition<RuleParams<"oauth_refused">> = {
  label: "OAuth refresh refused",
  description: "A destination's OAuth token endpoint refused to mint an access token within window_minutes.",
  async evaluate(ctx, p) {
    const since = new Date(ctx.now.getTime() - p.window_minutes * 60_000);
    const list = await db().destination.findMany({
      where: { workspaceId: ctx.workspaceId, tokenRefusedAt: { gte: since } },
      select: { id: true, name: true, type: true, tokenRefusedAt: true, tokenRefusal: true },
      orderBy: { name: "asc" },
    });
    return list.map((d) => ({
      subjectKey: d.id,
      title: `${d.name}: OAuth refresh refused`,
      message: `${d.tokenRefusal ?? "The token endpoint refused the refresh token"} (last at ${d.tokenRefusedAt!.toISOString().replace("T", " ").slice(0, 16)} UTC).`,
      details: destinationDetails(d),
    }));
  },
};
