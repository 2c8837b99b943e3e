// Slack incoming webhook: the notification as one message (mrkdwn), to the secret webhook URL.
import { postJson } from "./http";
import type { Notification, SendOptions } from "./types";

/** Slack's host: in production a webhook_url elsewhere needs TRACKLAYER_ALLOWED_DESTINATION_HOSTS. */
export const SLACK_WEBHOOK_ORIGIN = "https://hooks.slack.com";

export function slackMessage(n: Notification) {
  return { text: `*${n.subject}*\n${n.text}` };
}

export function sendSlack(secrets: { webhook_url: string }, n: Notification, opts: SendOptions = {}) {
  return postJson(secrets.webhook_url, JSON.stringify(slackMessage(n)), {}, opts);
}
