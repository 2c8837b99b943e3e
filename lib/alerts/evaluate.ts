// The alert evaluator the worker runs every minute: for each workspace, one evaluator per minute
// (a lease row moved forward atomically: with several worker replicas only the one that moves it
// evaluates), every rule over the rollups at the injectable time `now`, then the transitions.
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import { RULES } from "@/lib/alerts/rules";
import type { Finding } from "@/lib/alerts/rules/types";
import { type ApplyResult, applyFindings } from "@/lib/alerts/transitions";
import { database, db } from "@/lib/db";
import { RULE_PARAMS, type RuleKind } from "@/lib/validations/alerts";

export interface EvaluateOptions {
  now?: Date;
  /** A rule that fails to evaluate (its alerts stay as they were); the others go on. */
  report?: (error: unknown) => void;
}

/** Claims `minute` for the workspace; false when another evaluator already has it (or a later one). */
export async function claimMinute(workspaceId: string, minute: number): Promise<boolean> {
  const rows = await database().raw.query(
    `INSERT INTO "AlertEvaluation" AS a ("workspaceId", "minute", "updatedAt") VALUES ($1, $2::bigint, now())
     ON CONFLICT ("workspaceId") DO UPDATE SET "minute" = EXCLUDED."minute", "updatedAt" = now()
     WHERE a."minute" < EXCLUDED."minute" RETURNING a."workspaceId"`,
    [workspaceId, String(minute)],
  );
  return rows.length === 1;
}

/** Evaluates every rule of one workspace now (no lease: tests and the lease holder call it). */
export async function evaluateWorkspace(workspaceId: string, opts: EvaluateOptions = {}): Promise<ApplyResult> {
  const now = opts.now ?? new Date();
  await ensureDefaultRules(workspaceId);
  const rules = await db().alertRule.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });
  const total: ApplyResult = { fired: 0, resolved: 0, reminded: 0 };
  for (const rule of rules) {
    const kind = rule.kind as RuleKind;
    let findings: Finding[] = [];
    if (rule.enabled && RULES[kind]) {
      try {
        const params = RULE_PARAMS[kind].parse(rule.params);
        // biome-ignore lint/suspicious/noExplicitAny: the kind selects the matching params schema
        findings = await RULES[kind].evaluate({ workspaceId, now, raw: database().raw }, params as any);
      } catch (error) {
        (opts.report ?? console.error)(error);
        continue;
      }
    }
    const r = await applyFindings(rule, findings, now);
    total.fired += r.fired;
    total.resolved += r.resolved;
    total.reminded += r.reminded;
  }
  return total;
}

/** The worker's tick: every workspace whose minute this evaluator wins. Returns how many it evaluated. */
export async function evaluateDueAlerts(opts: EvaluateOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const minute = Math.floor(now.getTime() / 60_000);
  const workspaces = await db().workspace.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  let evaluated = 0;
  for (const w of workspaces) {
    if (!(await claimMinute(w.id, minute))) continue;
    await evaluateWorkspace(w.id, { ...opts, now });
    evaluated++;
  }
  return evaluated;
}
