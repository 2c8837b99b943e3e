// The alerts part of the OpenAPI document: alerts and their history, snooze and mute, rules and channels.
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { op } from "@/lib/api/openapi/operation";
import * as a from "@/lib/validations/alerts";

const tag = "Alerts";
const path = a.alertIdParams;

export const alertsPaths: ZodOpenApiPathsObject = {
  "/api/alerts": {
    get: op({
      tag,
      summary: "Alerts firing now (state=resolved or all for the others), newest first",
      query: a.alertListQuerySchema,
    }),
  },
  "/api/alerts/history": {
    get: op({
      tag,
      summary:
        "Every transition (fired, resolved, reminder), snooze and mute; per channel (`deliveries`) its notification's " +
        "status (pending, retrying, sent, failed), attempts and last answer; cursor pages",
      query: a.alertHistoryQuerySchema,
    }),
  },
  "/api/alerts/{id}/snooze": {
    post: op({
      tag,
      summary: "No notifications for `hours` (0 lifts it); admins, growth and engineers",
      path,
      body: a.alertSnoozeSchema,
    }),
  },
  "/api/alerts/{id}/mute": {
    post: op({
      tag,
      summary: "Mute (or unmute) an alert's notifications; admins and growth",
      path,
      body: a.alertMuteSchema,
    }),
  },
  "/api/alert-rules": {
    get: op({ tag, summary: "Alert rules with their kind, description and thresholds (defaults filled in)" }),
    post: op({
      tag,
      summary: `Add a rule; kind is one of ${a.RULE_KINDS.join(", ")}; missing params take the kind's defaults (admins, growth)`,
      body: a.alertRuleCreateSchema,
      created: true,
    }),
  },
  "/api/alert-rules/{id}": {
    get: op({ tag, summary: "One alert rule", path }),
    patch: op({
      tag,
      summary: "Change a rule's name, on/off, thresholds (merged, checked per kind) or reminder interval",
      path,
      body: a.alertRuleUpdateSchema,
    }),
    delete: op({ tag, summary: "Delete a rule and its alerts", path }),
  },
  "/api/alert-channels": {
    get: op({ tag, summary: "Channels (slack, email, webhook) with the names of their secrets, never the values" }),
    post: op({
      tag,
      summary:
        "Add a channel: slack {secrets.webhook_url}, email {config.to[]}, webhook {config.url, secrets.signing_secret}; signed like webhook destinations",
      body: a.alertChannelCreateSchema,
      created: true,
    }),
  },
  "/api/alert-channels/{id}": {
    patch: op({
      tag,
      summary: "Change a channel; a webhook's new url needs its signing_secret again",
      path,
      body: a.alertChannelUpdateSchema,
    }),
    delete: op({ tag, summary: "Remove a channel", path }),
  },
  "/api/alert-channels/{id}/test": {
    post: op({ tag, summary: "Send one sample notification; answers { ok, error }", path }),
  },
};
