// Sends one notification to one stored channel (its secrets opened here, on the server only) and
// reports what happened; a failing channel never stops the others.
import { openSecrets } from "@/lib/delivery/secret-box";
import { logFailure } from "@/lib/log";
import { CHANNEL_SETTINGS, type ChannelType } from "@/lib/validations/alerts";
import { sendEmail } from "./email";
import { sendSlack } from "./slack";
import type { Notification, SendOptions } from "./types";
import { sendWebhook } from "./webhook";

export interface StoredChannel {
  id: string;
  name: string;
  type: string;
  config: unknown;
  secretsEncrypted: string | null;
}

export interface ChannelResult {
  channel: string;
  name: string;
  ok: boolean;
  error?: string;
}

async function dispatch(channel: StoredChannel, n: Notification, opts: SendOptions): Promise<void> {
  const type = channel.type as ChannelType;
  const settings = CHANNEL_SETTINGS[type];
  if (!settings) throw new Error(`unknown channel type ${channel.type}`);
  const config = settings.config.parse(channel.config);
  const secrets = settings.secrets.parse(openSecrets(channel.secretsEncrypted));
  if (type === "slack") return sendSlack(secrets as { webhook_url: string }, n, opts);
  if (type === "email") return sendEmail(config as { to: string[] }, n);
  return sendWebhook(config as { url: string }, secrets as { signing_secret: string }, n, opts);
}

export async function sendToChannel(
  channel: StoredChannel,
  n: Notification,
  opts: SendOptions = {},
): Promise<ChannelResult> {
  try {
    await dispatch(channel, n, opts);
    return { channel: channel.id, name: channel.name, ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof Error && error.name === "ChannelError")) logFailure("alerts", error);
    return { channel: channel.id, name: channel.name, ok: false, error: message };
  }
}
