// Generic webhook: membership changes as signed JSON (the event webhook's signature scheme),
// ≤ 10,000 members per request. Every member is matchable: the receiver gets the ids.

import { type AudiencePlatform, chunk, type ResolvedMember } from "@/lib/audiences/platforms/types";
import { compact, jsonRequest } from "@/lib/delivery/destinations/shared";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "@/lib/delivery/destinations/webhook";
import { classifyHttp } from "@/lib/delivery/http-retry";

export const WEBHOOK_MAX_MEMBERS = 10_000;

export const webhookMember = (m: ResolvedMember) =>
  compact({
    user_id: m.kind === "user_id" ? m.value : undefined,
    anonymous_id: m.kind === "anonymous_id" ? m.value : undefined,
    profile_user_id: m.userId ?? undefined,
  });

export const webhookAudiences: AudiencePlatform = {
  label: "Webhook",
  maxMembers: WEBHOOK_MAX_MEMBERS,
  check: (_target, s) => (!s.secrets.signing_secret ? "the webhook destination has no signing_secret" : null),
  matchable: () => true,
  build: (adds, removes, target, s) => {
    const changes = [...adds.map((m) => ["add", m] as const), ...removes.map((m) => ["remove", m] as const)];
    const parts = chunk(changes, WEBHOOK_MAX_MEMBERS);
    const timestamp = Math.floor(s.now.getTime() / 1000);
    return parts.map((part, i) => {
      const payload = {
        type: "audience.membership",
        audience: { key: target.key, name: target.name },
        sync_ref: target.ref,
        full: target.full,
        part: { index: i + 1, total: parts.length },
        add: part.filter(([a]) => a === "add").map(([, m]) => webhookMember(m)),
        remove: part.filter(([a]) => a === "remove").map(([, m]) => webhookMember(m)),
      };
      const body = JSON.stringify(payload);
      return jsonRequest({
        url: s.baseUrl,
        headers: {
          "User-Agent": "TrackLayer-Webhook/1",
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(body, timestamp, s.secrets.signing_secret ?? ""),
        },
        payload,
        body,
      });
    });
  },
  classify: (answer) => classifyHttp(answer, [408, 429]),
};
