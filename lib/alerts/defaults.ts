// The rules every workspace starts with: one of each kind at its default thresholds. Created once
// per workspace (new workspaces at creation, older ones the first time alerts are read or
// evaluated); a rule an admin deletes stays deleted.

import { RULES } from "@/lib/alerts/rules";
import { db } from "@/lib/db";
import { RULE_KINDS, RULE_PARAMS } from "@/lib/validations/alerts";

export function defaultRules() {
  return RULE_KINDS.map((kind) => ({ kind, name: RULES[kind].label, params: RULE_PARAMS[kind].parse({}) }));
}

export async function ensureDefaultRules(workspaceId: string): Promise<void> {
  const seeded = await db().workspace.findUnique({ where: { id: workspaceId }, select: { alertRulesSeeded: true } });
  if (!seeded || seeded.alertRulesSeeded) return;
  await db().$transaction(async (tx) => {
    // Only the caller that flips the flag creates the rules (another instance may race it).
    const { count } = await tx.workspace.updateMany({
      where: { id: workspaceId, alertRulesSeeded: false },
      data: { alertRulesSeeded: true },
    });
    if (count === 0) return;
    const existing = new Set(
      (await tx.alertRule.findMany({ where: { workspaceId }, select: { name: true } })).map((r) => r.name),
    );
    await tx.alertRule.createMany({
      data: defaultRules()
        .filter((r) => !existing.has(r.name))
        .map((r) => ({ workspaceId, ...r })),
    });
  });
}
