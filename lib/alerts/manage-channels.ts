// Alert channels (Slack incoming webhook, e-mail, signed webhook) as admins and growth manage them.
// Secrets are write-only like destinations': sealed at rest, answered by name only; moving a
// webhook to another URL takes its signing secret again. "Test" sends one sample notification.

import { SLACK_WEBHOOK_ORIGIN } from "@/lib/alerts/channels/slack";
import type { SendOptions } from "@/lib/alerts/channels/types";
import { broadcast } from "@/lib/alerts/notify";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { overrideRefusal } from "@/lib/delivery/outbound";
import { openSecrets, sealSecrets } from "@/lib/delivery/secret-box";
import { AppError, type FieldIssue, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/registry/audit";
import {
  type AlertChannelCreateInput,
  type AlertChannelUpdateInput,
  CHANNEL_SETTINGS,
  type ChannelType,
} from "@/lib/validations/alerts";

interface ChannelRow {
  id: string;
  type: string;
  name: string;
  config: unknown;
  secretsEncrypted: string | null;
  enabled: boolean;
  notifyReviews: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function serializeChannel(c: ChannelRow) {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    enabled: c.enabled,
    notify_reviews: c.notifyReviews,
    config: c.config,
    /** Names of the secrets that are set; their values never leave the server. */
    secrets_set: Object.keys(openSecrets(c.secretsEncrypted)).sort(),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
export type AlertChannelView = ReturnType<typeof serializeChannel>;

/** The type's config and secrets, or a 400 naming each bad field (config.to, secrets.webhook_url). */
function validate(type: ChannelType, config: unknown, secrets: Record<string, string>) {
  const settings = CHANNEL_SETTINGS[type];
  const c = settings.config.safeParse(config);
  const s = settings.secrets.safeParse(secrets);
  const issues: FieldIssue[] = [];
  for (const [prefix, r] of [
    ["config", c],
    ["secrets", s],
  ] as const)
    if (!r.success)
      for (const i of r.error.issues)
        issues.push({ path: [prefix, ...i.path.map(String)].join("."), message: i.message, code: i.code });
  if (issues.length) throw new AppError("invalid_request", "Invalid channel settings", issues);
  if (type === "slack") {
    const refusal = overrideRefusal(
      (s.data as { webhook_url: string }).webhook_url,
      [SLACK_WEBHOOK_ORIGIN],
      "secrets.webhook_url",
    );
    if (refusal) throw new AppError("unprocessable", refusal, [{ path: "secrets.webhook_url", message: refusal }]);
  }
  return { config: c.data as object, secrets: s.data as Record<string, string> };
}

const withSecrets = { omit: { secretsEncrypted: false } } as const;

/** Recipients and URLs are for those who manage channels. */
export async function listAlertChannels(actor: Actor) {
  assertCan(actor, "alert.manage");
  const rows = await db().alertChannel.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { name: "asc" },
    ...withSecrets,
  });
  return { rows: rows.map(serializeChannel) };
}

async function findChannel(actor: Actor, id: string) {
  const channel = await db().alertChannel.findFirst({ where: { id, workspaceId: actor.workspaceId }, ...withSecrets });
  if (!channel) throw notFound("Alert channel");
  return channel;
}

export async function createAlertChannel(actor: Actor, input: AlertChannelCreateInput) {
  assertCan(actor, "alert.manage");
  const { config, secrets } = validate(input.type, input.config, input.secrets);
  const channel = await db().$transaction(async (tx) => {
    const c = await tx.alertChannel.create({
      data: {
        workspaceId: actor.workspaceId,
        type: input.type,
        name: input.name,
        enabled: input.enabled,
        notifyReviews: input.notify_reviews,
        config,
        secretsEncrypted: Object.keys(secrets).length ? sealSecrets(secrets) : null,
      },
      ...withSecrets,
    });
    await recordAudit(tx, actor, {
      action: "alert_channel.create",
      entityType: "alert_channel",
      entityId: c.id,
      summary: `added ${c.type} alert channel ${c.name}`,
      after: serializeChannel(c),
    });
    return c;
  });
  return serializeChannel(channel);
}

export async function updateAlertChannel(actor: Actor, id: string, input: AlertChannelUpdateInput) {
  assertCan(actor, "alert.manage");
  const current = await findChannel(actor, id);
  const type = current.type as ChannelType;
  const config = { ...(current.config as object), ...(input.config ?? {}) } as Record<string, unknown>;
  const stored = openSecrets(current.secretsEncrypted);
  const moved =
    type === "webhook" &&
    input.config?.url !== undefined &&
    input.config.url !== (current.config as { url?: string }).url;
  if (moved && !input.secrets?.signing_secret)
    throw new AppError("secrets_required", `Re-enter ${current.name}'s signing secret to change where it sends`, [
      { path: "secrets.signing_secret", message: "re-enter it with the new url", code: "secrets_required" },
    ]);
  const valid = validate(type, config, { ...stored, ...(input.secrets ?? {}) });
  const channel = await db().$transaction(async (tx) => {
    const c = await tx.alertChannel.update({
      where: { id: current.id },
      data: {
        name: input.name,
        enabled: input.enabled,
        notifyReviews: input.notify_reviews,
        config: valid.config,
        secretsEncrypted: Object.keys(valid.secrets).length ? sealSecrets(valid.secrets) : null,
      },
      ...withSecrets,
    });
    await recordAudit(tx, actor, {
      action: "alert_channel.update",
      entityType: "alert_channel",
      entityId: c.id,
      summary: `edited alert channel ${c.name}${input.secrets ? ` (secrets changed: ${Object.keys(input.secrets).join(", ")})` : ""}`,
      before: serializeChannel(current),
      after: serializeChannel(c),
    });
    return c;
  });
  return serializeChannel(channel);
}

export async function deleteAlertChannel(actor: Actor, id: string) {
  assertCan(actor, "alert.manage");
  const current = await findChannel(actor, id);
  await db().$transaction(async (tx) => {
    await tx.alertChannel.delete({ where: { id: current.id } });
    await recordAudit(tx, actor, {
      action: "alert_channel.delete",
      entityType: "alert_channel",
      entityId: current.id,
      summary: `deleted alert channel ${current.name}`,
      before: serializeChannel(current),
    });
  });
  return { deleted: true };
}

/** Sends one sample notification to the channel (enabled or not) and answers what it said. */
export async function testAlertChannel(actor: Actor, id: string, opts: SendOptions = {}) {
  assertCan(actor, "alert.manage");
  const channel = await findChannel(actor, id);
  const [result] = await broadcast(
    actor.workspaceId,
    {
      subject: "Test notification",
      text: `${actor.label} sent this test from TrackLayer to check the ${channel.name} channel.`,
      payload: { type: "alert.test", channel: channel.name },
    },
    { ...opts, only: channel.id },
  );
  return { ok: result?.ok ?? false, error: result?.error ?? null };
}
