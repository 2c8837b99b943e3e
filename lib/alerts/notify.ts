// What a transition says and to whom: one notification per transition (fired, resolved,
// reminder) to every enabled channel of the workspace, and a revision submitted for review to the
// channels that asked for reviews.
import { type ChannelResult, sendToChannel } from "@/lib/alerts/channels";
import type { Notification, SendOptions } from "@/lib/alerts/channels/types";
import { db } from "@/lib/db";
import { publicUrl } from "@/lib/env";

/** An absolute link into the app (NEXTAUTH_URL, else localhost). */
const appLink = (path: string) => new URL(path, publicUrl()).toString();

export type TransitionKind = "fired" | "resolved" | "reminder";

export interface AlertForNotice {
  id: string;
  title: string;
  message: string;
  details: unknown;
  firedAt: Date;
  resolvedAt: Date | null;
  rule: { id: string; kind: string; name: string };
}

const PREFIX: Record<TransitionKind, string> = { fired: "Firing", resolved: "Resolved", reminder: "Still firing" };

export function alertNotification(kind: TransitionKind, alert: AlertForNotice): Notification {
  const details = (alert.details ?? {}) as Record<string, unknown>;
  const lines = [alert.message];
  if (kind === "resolved") lines.unshift("Resolved: the rule no longer finds this.");
  if (typeof details.promote === "string" && kind !== "resolved")
    lines.push(`Promote ${String(details.new_label)}: ${appLink(details.promote)}`);
  lines.push(`Alerts: ${appLink("/alerts")}`);
  return {
    subject: `${PREFIX[kind]}: ${alert.title}`,
    text: lines.join("\n"),
    payload: {
      type: `alert.${kind}`,
      alert: {
        id: alert.id,
        rule: alert.rule.name,
        kind: alert.rule.kind,
        title: alert.title,
        message: alert.message,
        details,
        fired_at: alert.firedAt.toISOString(),
        resolved_at: alert.resolvedAt?.toISOString() ?? null,
      },
    },
  };
}

/** Sends to every enabled channel of the workspace (or those `only` names); returns each channel's result. */
export async function broadcast(
  workspaceId: string,
  n: Notification,
  opts: SendOptions & { reviewsOnly?: boolean; only?: string } = {},
): Promise<ChannelResult[]> {
  const channels = await db().alertChannel.findMany({
    where: {
      workspaceId,
      ...(opts.only ? { id: opts.only } : { enabled: true }),
      ...(opts.reviewsOnly ? { notifyReviews: true } : {}),
    },
    omit: { secretsEncrypted: false },
    orderBy: { name: "asc" },
  });
  return Promise.all(channels.map((c) => sendToChannel(c, n, opts)));
}

/**
 * Tells the review channels a revision awaits review. Never fails or slows the submission: the
 * channels are looked up here, the sends run on after the answer (each logs its own failure).
 */
export async function notifyReviewRequested(
  workspaceId: string,
  review: { mappingId: string; sourceEvent: string; revision: number; by: string },
): Promise<void> {
  const channels = await db().alertChannel.findMany({
    where: { workspaceId, enabled: true, notifyReviews: true },
    omit: { secretsEncrypted: false },
  });
  if (channels.length === 0) return;
  const n: Notification = {
    subject: `Review requested: ${review.sourceEvent} revision ${review.revision}`,
    text: `${review.by} submitted revision ${review.revision} of ${review.sourceEvent} for review.\n${appLink(`/mappings/${review.mappingId}`)}`,
    payload: {
      type: "mapping.review_requested",
      mapping: { id: review.mappingId, source_event: review.sourceEvent, revision: review.revision },
      submitted_by: review.by,
    },
  };
  // sendToChannel answers failures instead of throwing.
  void Promise.all(channels.map((c) => sendToChannel(c, n)));
}
