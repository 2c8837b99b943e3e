// Alert rules as admins and growth manage them: list (with each kind's description and the
// thresholds in force), create, change, delete; every change in the audit log.
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import { RULES } from "@/lib/alerts/rules";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { recordAudit } from "@/lib/registry/audit";
import {
  type AlertRuleCreateInput,
  type AlertRuleUpdateInput,
  RULE_PARAMS,
  type RuleKind,
} from "@/lib/validations/alerts";

type RuleRow = Awaited<ReturnType<ReturnType<typeof db>["alertRule"]["findFirstOrThrow"]>>;

export function serializeRule(r: RuleRow) {
  const kind = r.kind as RuleKind;
  const params = RULE_PARAMS[kind]?.safeParse(r.params);
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    label: RULES[kind]?.label ?? r.kind,
    description: RULES[kind]?.description ?? "",
    enabled: r.enabled,
    params: (params?.success ? params.data : r.params) as Record<string, number>,
    reminder_hours: r.reminderHours,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
export type AlertRuleView = ReturnType<typeof serializeRule>;

export async function listAlertRules(actor: Actor) {
  await ensureDefaultRules(actor.workspaceId);
  const rows = await db().alertRule.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { createdAt: "asc" },
  });
  return { rows: rows.map(serializeRule) };
}

async function findRule(actor: Actor, id: string) {
  const rule = await db().alertRule.findFirst({ where: { id, workspaceId: actor.workspaceId } });
  if (!rule) throw notFound("Alert rule");
  return rule;
}

export async function getAlertRule(actor: Actor, id: string) {
  return serializeRule(await findRule(actor, id));
}

export async function createAlertRule(actor: Actor, input: AlertRuleCreateInput) {
  assertCan(actor, "alert.manage");
  const rule = await db().$transaction(async (tx) => {
    const r = await tx.alertRule.create({
      data: {
        workspaceId: actor.workspaceId,
        kind: input.kind,
        name: input.name,
        enabled: input.enabled,
        params: input.params,
        reminderHours: input.reminder_hours,
      },
    });
    await recordAudit(tx, actor, {
      action: "alert_rule.create",
      entityType: "alert_rule",
      entityId: r.id,
      summary: `created alert rule ${r.name} (${r.kind})`,
      after: serializeRule(r),
    });
    return r;
  });
  return serializeRule(rule);
}

export async function updateAlertRule(actor: Actor, id: string, input: AlertRuleUpdateInput) {
  assertCan(actor, "alert.manage");
  const current = await findRule(actor, id);
  const kind = current.kind as RuleKind;
  let params: Record<string, unknown> | undefined;
  if (input.params) {
    // New thresholds on top of the ones in force, checked against the rule's kind.
    const merged = RULE_PARAMS[kind].safeParse({ ...(current.params as object), ...input.params });
    if (!merged.success)
      throw new AppError(
        "invalid_request",
        "Invalid thresholds",
        zodIssues(merged.error).map((i) => ({ ...i, path: `params.${i.path}` })),
      );
    params = merged.data;
  }
  const rule = await db().$transaction(async (tx) => {
    const r = await tx.alertRule.update({
      where: { id: current.id },
      data: {
        name: input.name,
        enabled: input.enabled,
        reminderHours: input.reminder_hours,
        ...(params ? { params: params as object } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: "alert_rule.update",
      entityType: "alert_rule",
      entityId: r.id,
      summary: `edited alert rule ${r.name}`,
      before: serializeRule(current),
      after: serializeRule(r),
    });
    return r;
  });
  return serializeRule(rule);
}

export async function deleteAlertRule(actor: Actor, id: string) {
  assertCan(actor, "alert.manage");
  const current = await findRule(actor, id);
  await db().$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: current.id } });
    await recordAudit(tx, actor, {
      action: "alert_rule.delete",
      entityType: "alert_rule",
      entityId: current.id,
      summary: `deleted alert rule ${current.name} and its alerts`,
      before: serializeRule(current),
    });
  });
  return { deleted: true };
}
