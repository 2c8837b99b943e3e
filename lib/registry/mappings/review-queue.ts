// The review queue: mappings whose head revision is in review, that the signed-in person may approve
// and did not submit themselves — counted for the navigation badge, filtered for "Needs my review".
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export function awaitingReviewWhere(actor: Actor): Prisma.MappingWhereInput {
  if (!can(actor.role, "mapping.approve")) return { id: { in: [] } };
  return {
    status: { not: "deprecated" },
    headRevision: {
      status: "in_review",
      OR: [{ submittedById: null }, { submittedById: { not: actor.userId } }],
    },
  };
}

/** How many revisions await this person's review (0 for roles that cannot approve; no query then). */
export async function countAwaitingReview(actor: Actor): Promise<number> {
  if (!can(actor.role, "mapping.approve")) return 0;
  return db().mapping.count({ where: { workspaceId: actor.workspaceId, ...awaitingReviewWhere(actor) } });
}
