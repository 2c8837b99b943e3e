// Human output of a plan and of an apply: one line per change, breaking ones marked.

export interface Plan {
  breaking: boolean;
  summary: Record<string, number>;
  changes: {
    kind: string;
    key: string;
    action: string;
    breaking: boolean;
    fields: { field: string; before: unknown; after: unknown; breaking: boolean }[];
  }[];
}

const SIGN: Record<string, string> = { added: "+", changed: "~", removed: "-", deprecated: "-" };
const BREAKING = "BREAKING";
const show = (v: unknown) => (v === null || v === undefined ? "∅" : JSON.stringify(v));

export function printPlan(plan: Plan, out: (line: string) => void) {
  if (plan.changes.length === 0) {
    out("No changes: the workspace matches the plan.");
    return;
  }
  for (const c of plan.changes) {
    out(
      `${SIGN[c.action] ?? "?"} ${c.kind.replace("_", " ")} ${c.key} ${c.action}${c.breaking ? `  [${BREAKING}]` : ""}`,
    );
    for (const f of c.fields) {
      out(`    ${f.field}: ${show(f.before)} → ${show(f.after)}${f.breaking ? `  [${BREAKING}]` : ""}`);
    }
  }
  const s = plan.summary;
  out(
    `${plan.changes.length} change(s): ${s.added} added, ${s.changed} changed, ${(s.removed ?? 0) + (s.deprecated ?? 0)} removed/deprecated, ${s.breaking} breaking`,
  );
}

export interface ApplyResult {
  reference: string;
  changes: { kind: string; key: string; outcome: string; reason?: string }[];
}

export function printApply(result: ApplyResult, out: (line: string) => void) {
  if (result.changes.length === 0) {
    out("Nothing to apply: the workspace matches the plan.");
    return;
  }
  for (const c of result.changes) {
    out(`${c.outcome.padEnd(12)} ${c.kind.replace("_", " ")} ${c.key}${c.reason ? ` — ${c.reason}` : ""}`);
  }
  out(`Applied as drafts from ${result.reference}; reviewers approve them in the workspace.`);
}
