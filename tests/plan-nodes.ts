// An executed plan (EXPLAIN (ANALYZE, FORMAT JSON)) as tests read it, and every node of it.
import assert from "node:assert/strict";
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { ORDERED_CLAIM_SETTINGS } from "@/lib/db/ordered-claim";

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

export const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** The executed plan of `sql` after `setup` (under `settings` if given), all rolled back after. */
export async function executedPlan(
  sql: string,
  params: unknown[],
  { setup, settings }: { setup?: (raw: RawSql) => Promise<void>; settings?: string } = {},
): Promise<PlanNode> {
  let plan: PlanNode | undefined;
  await database()
    .transaction(async (raw: RawSql) => {
      await setup?.(raw);
      if (settings) await raw.exec(settings);
      const [row] = await raw.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        params,
      );
      plan = row!["QUERY PLAN"][0].Plan;
      throw new Error("roll back");
    })
    .catch((e: Error) => assert.equal(e.message, "roll back"));
  return plan!;
}

/**
 * The executed plan of a claim statement as a worker runs it (under ORDERED_CLAIM_SETTINGS) after
 * `setup`, rolled back; `table` is analyzed again after (an ANALYZE in `setup` is not rolled back).
 */
export async function claimPlan(
  table: string,
  setup: (raw: RawSql) => Promise<void>,
  sql: string,
  params: unknown[],
): Promise<PlanNode> {
  const plan = await executedPlan(sql, params, { setup, settings: ORDERED_CLAIM_SETTINGS });
  await database().raw.exec(`ANALYZE "${table}"`);
  return plan;
}

/** Rows a plan read from `table` other than through `exceptIndex` (the key probes of the claimed rows). */
export function rowsRead(plan: PlanNode, table: string, exceptIndex: string) {
  const scans = nodesOf(plan).filter(
    (n) => n["Relation Name"] === table && n["Node Type"] !== "ModifyTable" && n["Index Name"] !== exceptIndex,
  );
  return {
    rows: scans.reduce(
      (sum, n) => sum + (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0)) * n["Actual Loops"],
      0,
    ),
    scans: scans.map((n) => n["Index Name"] ?? n["Node Type"]).join(", "),
  };
}
