// Approving a revision that would reject more than the workspace's threshold of recent traffic needs an
// explicit confirmation; without it the approval answers 409 confirmation_required naming the causes.
import { AppError } from "@/lib/errors";
import type { Tx } from "@/lib/registry/audit";
import { describeCauses } from "@/lib/registry/mappings/dry-run";
import {
  EVIDENCE_DAYS,
  loadRevisionRules,
  sampleSourceEvents,
  summarizeEvidence,
} from "@/lib/registry/mappings/evidence";

export interface GateInput {
  workspaceId: string;
  thresholdPct: number;
  mapping: { id: string; sourceId: string; sourceEvent: string };
  revisionNumber: number;
  confirmed: boolean;
}

/** The dry run's summary when it is over the threshold (and was confirmed), null when under it. */
export async function checkRejectionGate(tx: Tx, input: GateInput) {
  // One transaction is one connection: its queries run one after the other, never side by side.
  const rules = await loadRevisionRules(tx, input.mapping.id, input.revisionNumber);
  const sample = await sampleSourceEvents(tx, input.workspaceId, input.mapping.sourceId, input.mapping.sourceEvent);
  const run = summarizeEvidence(sample, rules).dry_run!;
  if (run.events === 0 || run.reject_pct <= input.thresholdPct) return null;
  const summary = {
    reject_pct: run.reject_pct,
    events: run.events,
    threshold_pct: input.thresholdPct,
    causes: run.causes.map((c) => ({ label: c.label, pct: c.pct })),
  };
  if (input.confirmed) return summary;
  throw new AppError(
    "confirmation_required",
    `Revision ${input.revisionNumber} would reject ${run.reject_pct} % of the last ${EVIDENCE_DAYS} days' ${run.events} sampled events ` +
      `(threshold ${input.thresholdPct} %): ${describeCauses(run)}. Confirm to approve anyway (confirm_rejections: true).`,
    run.causes.map((c) => ({
      path: `properties.${c.property}`,
      code: c.code,
      message: `${c.label}: ${c.pct} % of sampled events`,
    })),
  );
}
