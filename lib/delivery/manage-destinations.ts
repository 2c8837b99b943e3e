// Destinations as admins and engineers manage them: settings validated per platform, secrets
// encrypted and write-only (only their names come back), and health (the test event: test-event.ts).

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { database, db } from "@/lib/db";
import { changedTargets, overrideIssues } from "@/lib/delivery/destination-targets";
import { destinationModules } from "@/lib/delivery/destinations";
import { openSecrets, sealSecrets } from "@/lib/delivery/secret-box";
import { AppError, type FieldIssue, isUniqueViolation, notFound } from "@/lib/errors";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { deliveryRates } from "@/lib/metrics/delivery-health";
import { recordAudit } from "@/lib/registry/audit";
import { markWorkspaceProfiles } from "@/lib/traits/recompute";
import type { destinationCreateSchema, destinationUpdateSchema } from "@/lib/validations/delivery";

type Row = {
  id: string;
  type: DestinationType;
  name: string;
  enabled: boolean;
  testMode: boolean;
  config: unknown;
  secretsEncrypted: string | null;
  createdAt: Date;
  updatedAt: Date;
};

function serialize(d: Row) {
  return {
    id: d.id,
    type: d.type,
    name: d.name,
    enabled: d.enabled,
    test_mode: d.testMode,
    config: d.config as Record<string, unknown>,
    /** Names of the secrets that are set; their values never leave the server. */
    secrets_set: Object.keys(openSecrets(d.secretsEncrypted)).sort(),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export type DestinationJson = ReturnType<typeof serialize>;

function validate(
  type: DestinationType,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
  enabling: boolean,
) {
  const module = destinationModules[type];
  const issues: FieldIssue[] = [];
  const parsed = module.configSchema.safeParse(config);
  if (!parsed.success)
    issues.push(
      ...parsed.error.issues.map((i) => ({ path: ["config", ...i.path.map(String)].join("."), message: i.message })),
    );
  issues.push(...overrideIssues(type, config));
  if (enabling) {
    const s = module.secretsSchema.safeParse(secrets);
    if (!s.success)
      issues.push(
        ...s.error.issues.map((i) => ({
          path: ["secrets", ...i.path.map(String)].join("."),
          message: `${i.message} (required to enable)`,
        })),
      );
  }
  if (issues.length) throw new AppError("unprocessable", `Invalid ${module.label} settings`, issues);
}

const withSecrets = { omit: { secretsEncrypted: false } } as const;

export async function loadDestination(actor: Actor, id: string) {
  const d = await db().destination.findFirst({ where: { id, workspaceId: actor.workspaceId }, ...withSecrets });
  if (!d) throw notFound("Destination");
  return d;
}

export async function listDestinations(actor: Actor) {
  assertCan(actor, "workspace.read");
  const rows = await db().destination.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { name: "asc" },
    ...withSecrets,
  });
  const health = await destinationHealth(actor.workspaceId);
  return { total: rows.length, rows: rows.map((d) => ({ ...serialize(d), health: health.get(d.id) ?? null })) };
}

export async function getDestination(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const d = await loadDestination(actor, id);
  return { ...serialize(d), health: (await destinationHealth(actor.workspaceId)).get(id) ?? null };
}

export async function createDestination(actor: Actor, input: z.output<typeof destinationCreateSchema>) {
  assertCan(actor, "destination.manage");
  validate(input.type, input.config, input.secrets, input.enabled);
  try {
    const created = await db().$transaction(async (tx) => {
      const d = await tx.destination.create({
        data: {
          workspaceId: actor.workspaceId,
          type: input.type,
          name: input.name,
          config: input.config as object,
          secretsEncrypted: sealSecrets(input.secrets),
          enabled: input.enabled,
          testMode: input.test_mode,
        },
        ...withSecrets,
      });
      await recordAudit(tx, actor, {
        action: "destination.create",
        entityType: "destination",
        entityId: d.id,
        summary: `created ${d.type} destination ${d.name}`,
        after: { ...serialize(d) },
      });
      return d;
    });
    invalidateRegistry(actor.workspaceId);
    if (created.enabled) await markWorkspaceProfiles(actor.workspaceId, "rule", `destination ${created.name} added`);
    return serialize(created);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `A destination named ${input.name} already exists`, [
        { path: "name", message: "already exists" },
      ]);
    throw error;
  }
}

/**
 * Changing where a destination sends (any URL setting's origin) takes the admin role and its secrets re-entered
 * in the same request: stored secrets never follow the destination to a new host.
 */
function assertMayRetarget(
  actor: Actor,
  current: Row,
  config: Record<string, unknown>,
  input: z.output<typeof destinationUpdateSchema>,
) {
  const moved = changedTargets(current.config, config);
  if (moved.length === 0) return;
  if (!can(actor.role, "destination.endpoint"))
    throw new AppError(
      "forbidden",
      `Only admins may change where a destination sends (${moved.join(", ")}); engineers may change its other settings`,
      moved.map((path) => ({ path, message: "only admins may change this URL", code: "forbidden" })),
    );
  const missing = Object.keys(openSecrets(current.secretsEncrypted))
    .filter((name) => !Object.hasOwn(input.secrets ?? {}, name))
    .sort();
  if (missing.length)
    throw new AppError(
      "secrets_required",
      `Re-enter ${current.name}'s secrets to change where it sends (${moved.join(", ")})`,
      missing.map((name) => ({
        path: `secrets.${name}`,
        message: `re-enter ${name} (or null to remove it) with the new ${moved.join(", ")}`,
        code: "secrets_required",
      })),
    );
}

export async function updateDestination(actor: Actor, id: string, input: z.output<typeof destinationUpdateSchema>) {
  assertCan(actor, "destination.manage");
  const current = await loadDestination(actor, id);
  if (input.config) assertMayRetarget(actor, current, input.config, input);
  const secrets = { ...openSecrets(current.secretsEncrypted) };
  for (const [k, v] of Object.entries(input.secrets ?? {})) {
    if (v === null) delete secrets[k];
    else secrets[k] = v;
  }
  const config = (input.config ?? current.config) as Record<string, unknown>;
  const enabled = input.enabled ?? current.enabled;
  validate(current.type, config, secrets, enabled);
  const updated = await db().$transaction(async (tx) => {
    const d = await tx.destination.update({
      where: { id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        config: config as object,
        secretsEncrypted: sealSecrets(secrets),
        enabled,
        ...(input.test_mode !== undefined ? { testMode: input.test_mode } : {}),
      },
      ...withSecrets,
    });
    await recordAudit(tx, actor, {
      action: "destination.edit",
      entityType: "destination",
      entityId: id,
      summary: `edited ${d.name}${input.secrets ? ` (secrets changed: ${Object.keys(input.secrets).join(", ")})` : ""}`,
      before: serialize(current),
      after: serialize(d),
    });
    return d;
  });
  invalidateRegistry(actor.workspaceId);
  // destination_eligibility lists the enabled destinations by name: recompute when that set changes.
  if (updated.enabled !== current.enabled || (updated.enabled && updated.name !== current.name)) {
    await markWorkspaceProfiles(
      actor.workspaceId,
      "rule",
      `destination ${updated.name} ${updated.enabled ? (current.enabled ? "renamed" : "enabled") : "disabled"}`,
    );
  }
  return serialize(updated);
}

/** A loaded destination's module and parsed settings; 422 with field paths when they are incomplete. */
export interface DestinationHealth {
  backlog: number;
  dead: number;
  success_rate_24h: number | null;
  p95_latency_ms_24h: number | null;
  last_error: string | null;
}

/** Backlog, dead letters and the last error from the outbox; success rate and p95 of the last 24 h from the rollups. */
async function destinationHealth(workspaceId: string): Promise<Map<string, DestinationHealth>> {
  const [rows, rates] = await Promise.all([
    database().raw.query<{ destinationId: string; backlog: number; dead: number; last_error: string | null }>(
      `SELECT d."id" AS "destinationId",
       (SELECT count(*)::int FROM "Delivery" x WHERE x."workspaceId" = d."workspaceId" AND x."destinationId" = d."id" AND x."status" IN ('pending','retrying')) AS backlog,
       (SELECT count(*)::int FROM "Delivery" x WHERE x."workspaceId" = d."workspaceId" AND x."destinationId" = d."id" AND x."status" = 'dead') AS dead,
       (SELECT x."lastError" FROM "Delivery" x WHERE x."destinationId" = d."id" AND x."lastError" IS NOT NULL ORDER BY x."updatedAt" DESC LIMIT 1) AS last_error
     FROM "Destination" d WHERE d."workspaceId" = $1`,
      [workspaceId],
    ),
    deliveryRates(workspaceId, new Date(Date.now() - 24 * 3_600_000)),
  ]);
  return new Map(
    rows.map((r) => [
      r.destinationId,
      {
        backlog: r.backlog,
        dead: r.dead,
        success_rate_24h: rates.get(r.destinationId)?.successRate ?? null,
        p95_latency_ms_24h: rates.get(r.destinationId)?.p95Ms ?? null,
        last_error: r.last_error,
      },
    ]),
  );
}
