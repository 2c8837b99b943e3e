// Destinations as admins and engineers manage them: settings validated per platform, secrets
// encrypted and write-only (only their names come back), health, and a "send test event".

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { database, db } from "@/lib/db";
import { changedTargets, overrideIssues } from "@/lib/delivery/destination-targets";
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import { planRequests } from "@/lib/delivery/destinations/plan";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { type Exchange, refusedOutcome, send } from "@/lib/delivery/engine/send";
import { TOKEN_REJECTED, TokenError, tokenRejected, withAccessToken } from "@/lib/delivery/oauth";
import { OutboundRefused } from "@/lib/delivery/outbound";
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
export function usableSettings(d: { type: DestinationType; config: unknown; secretsEncrypted: string | null }) {
  const module = destinationModules[d.type];
  const config = module.configSchema.safeParse(d.config);
  const secrets = module.secretsSchema.safeParse(openSecrets(d.secretsEncrypted));
  if (!config.success || !secrets.success) {
    throw new AppError("unprocessable", "Complete the destination's settings and secrets first", [
      ...(config.error?.issues ?? []).map((i) => ({
        path: ["config", ...i.path.map(String)].join("."),
        message: i.message,
      })),
      ...(secrets.error?.issues ?? []).map((i) => ({
        path: ["secrets", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    ]);
  }
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(d.type, baseUrlOverride(d.config as Record<string, unknown>));
  } catch (error) {
    if (error instanceof OutboundRefused)
      throw new AppError("unprocessable", error.message, [
        { path: "config.base_url", message: error.message, code: "host_not_allowed" },
      ]);
    throw error;
  }
  return { module, config: config.data, secrets: secrets.data, baseUrl };
}

/** The synthetic purchase test events and validations send. */
export function sampleEvent(now: Date): DeliveryEvent {
  return {
    eventId: `tracklayer_test_${now.getTime()}`,
    canonicalEvent: "purchase",
    occurredAt: now,
    userId: "tracklayer_test_user",
    anonymousId: "tracklayer_test_anon",
    properties: { order_id: `test_${now.getTime()}`, value: 1, currency: "EUR" },
    context: {
      ip: "203.0.113.7",
      userAgent: "TrackLayer test event",
      page: { url: "https://example.com/checkout" },
      client_id: "555.1",
    },
    traits: { email: "test@example.com" },
  };
}

/** Sends one synthetic purchase in test mode and returns the exchange as the delivery log shows it. */
export async function sendTestEvent(actor: Actor, id: string) {
  assertCan(actor, "destination.manage");
  const d = await loadDestination(actor, id);
  const { module, config, secrets, baseUrl } = usableSettings(d);
  const now = new Date();
  const event = sampleEvent(now);
  const settings = await withAccessToken(module, d.id, { config, secrets, testMode: true, baseUrl, now }).catch(
    (error: unknown) => {
      throw error instanceof TokenError
        ? new AppError("unprocessable", `The test event cannot be sent: ${error.message}`)
        : error;
    },
  );
  const plan = planRequests(module, [event], settings);
  const request = plan.requests[0]?.request;
  if (!request)
    throw new AppError("unprocessable", `The test event cannot be sent: ${plan.rejected[0]?.reason ?? "no request"}`);
  const exchange = await send(request, 10_000);
  const classified =
    refusedOutcome(exchange.answer) ??
    (tokenRejected(module, d.id, secrets, exchange.answer)
      ? TOKEN_REJECTED
      : module.classify(exchange.answer, [event]));
  const outcome = Array.isArray(classified) ? classified[0]! : classified;
  await db().$transaction((tx) =>
    recordAudit(tx, actor, {
      action: "destination.test",
      entityType: "destination",
      entityId: id,
      summary: `sent a test event to ${d.name}: ${testVerdict(outcome, exchange.answer)}`,
    }),
  );
  return {
    outcome: outcome.outcome,
    reason: "reason" in outcome ? outcome.reason : "accepted",
    ack: "ack" in outcome ? (outcome.ack ?? null) : null,
    request: request.log,
    response: responseOf(exchange.answer),
    latency_ms: exchange.latencyMs,
  };
}

/** How a test event's answer reads in the audit log: accepted / refused, the HTTP status, the reason. */
function testVerdict(outcome: { outcome: string; reason?: string }, answer: Exchange["answer"]): string {
  const status = "status" in answer ? `HTTP ${answer.status}` : "no answer";
  if (outcome.outcome === "success") return `accepted (${status})`;
  const verdict = outcome.outcome === "retry" ? "not accepted, temporary" : "refused";
  return `${verdict} (${status}): ${(outcome.reason ?? "").slice(0, 200)}`;
}

export const responseOf = (answer: Exchange["answer"]) =>
  "status" in answer ? { status: answer.status, body: answer.body } : { error: answer.networkError };

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
       (SELECT count(*)::int FROM "Delivery" x WHERE x."destinationId" = d."id" AND x."status" IN ('pending','retrying')) AS backlog,
       (SELECT count(*)::int FROM "Delivery" x WHERE x."destinationId" = d."id" AND x."status" = 'dead') AS dead,
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
