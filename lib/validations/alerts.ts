// Schemas of the alerts API: each rule kind's thresholds (with the defaults new workspaces get),
// rules, channels (secrets write-only), snooze and mute, and the list queries.
import { z } from "zod";
import { idSchema, paginationShape } from "@/lib/validations/common";

const pct = (d: number) => z.number().min(0).max(100).default(d);
const hours = (d: number, max = 24 * 28) => z.number().int().min(1).max(max).default(d);
const volume = (d: number) => z.number().int().min(1).max(1_000_000_000).default(d);

/** Thresholds per rule kind; every field has the default a new workspace's rule starts with. */
export const RULE_PARAMS = {
  // Last complete hour against the same hour of the `weeks` weeks before (their mean).
  volume_drop: z.strictObject({ drop_pct: pct(50), weeks: hours(4, 8), min_volume: volume(20) }),
  volume_spike: z.strictObject({
    spike_pct: z.number().min(0).max(10_000).default(200),
    weeks: hours(4, 8),
    min_volume: volume(20),
  }),
  mapping_silent: z.strictObject({ hours: hours(24) }),
  suspected_rename: z.strictObject({
    drop_pct: pct(80),
    min_volume: volume(20),
    window_hours: hours(24, 168),
    lookback_hours: hours(72, 336),
  }),
  violation_rate: z.strictObject({ max_pct: pct(10), window_hours: hours(6, 168), min_volume: volume(20) }),
  acceptance_drop: z.strictObject({ drop_points: pct(20), window_hours: hours(6, 168), min_volume: volume(50) }),
  destination_failure: z.strictObject({ max_pct: pct(20), window_hours: hours(1, 168), min_attempts: volume(20) }),
  dead_letters: z.strictObject({ min_count: volume(1), window_hours: hours(1, 168) }),
  backlog_age: z.strictObject({ max_minutes: z.number().int().min(1).max(100_000).default(30) }),
  oauth_refused: z.strictObject({ window_minutes: z.number().int().min(1).max(10_080).default(60) }),
} as const;

export type RuleKind = keyof typeof RULE_PARAMS;
export const RULE_KINDS = Object.keys(RULE_PARAMS) as RuleKind[];
export type RuleParams<K extends RuleKind> = z.output<(typeof RULE_PARAMS)[K]>;

const name = z.string().trim().min(1, "is required").max(120);
const reminderHours = z
  .number()
  .int()
  .min(0)
  .max(24 * 28);

/** A new rule: its kind, name and thresholds (missing ones take the kind's defaults). */
export const alertRuleCreateSchema = z
  .strictObject({
    kind: z.enum(RULE_KINDS as [RuleKind, ...RuleKind[]], { error: `kind is one of ${RULE_KINDS.join(", ")}` }),
    name,
    enabled: z.boolean().default(true),
    params: z.record(z.string(), z.unknown()).default({}),
    reminder_hours: reminderHours.default(24),
  })
  .transform((v, ctx) => {
    const params = RULE_PARAMS[v.kind].safeParse(v.params);
    if (!params.success) {
      for (const i of params.error.issues)
        ctx.addIssue({ code: "custom", path: ["params", ...i.path.map(String)], message: i.message });
      return z.NEVER;
    }
    return { ...v, params: params.data as Record<string, number> };
  });
export type AlertRuleCreateInput = z.output<typeof alertRuleCreateSchema>;

/** A rule change: name, on/off, reminders, and thresholds (checked against the rule's kind). */
export const alertRuleUpdateSchema = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  reminder_hours: reminderHours.optional(),
});
export type AlertRuleUpdateInput = z.output<typeof alertRuleUpdateSchema>;

export const CHANNEL_TYPES = ["slack", "email", "webhook"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const httpUrl = (field: string) => z.url({ protocol: /^https?$/, error: `${field} must be an http(s) URL` });
const emailList = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "is not an e-mail address"),
  )
  .min(1, "name at least one recipient")
  .max(20);

/** Per type: the non-secret config and the write-only secrets. */
export const CHANNEL_SETTINGS = {
  slack: { config: z.strictObject({}), secrets: z.strictObject({ webhook_url: httpUrl("webhook_url") }) },
  email: { config: z.strictObject({ to: emailList }), secrets: z.strictObject({}) },
  webhook: {
    config: z.strictObject({ url: httpUrl("url") }),
    secrets: z.strictObject({ signing_secret: z.string().min(16, "use at least 16 characters").max(200) }),
  },
} as const;

export const alertChannelCreateSchema = z.strictObject({
  type: z.enum(CHANNEL_TYPES, { error: `type is one of ${CHANNEL_TYPES.join(", ")}` }),
  name,
  enabled: z.boolean().default(true),
  notify_reviews: z.boolean().default(false),
  config: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
});
export type AlertChannelCreateInput = z.output<typeof alertChannelCreateSchema>;

/** A channel change; a secret sent replaces the stored one (omitted secrets stay as they are). */
export const alertChannelUpdateSchema = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  notify_reviews: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: z.record(z.string(), z.string()).optional(),
});
export type AlertChannelUpdateInput = z.output<typeof alertChannelUpdateSchema>;

export const alertSnoozeSchema = z.strictObject({
  /** Hours without notifications; 0 lifts a snooze. */
  hours: z
    .number()
    .int()
    .min(0)
    .max(24 * 28),
});
export const alertMuteSchema = z.strictObject({ muted: z.boolean() });

export const alertListQuerySchema = z.object({ state: z.enum(["firing", "resolved", "all"]).default("firing") });
export const alertHistoryQuerySchema = z.object({
  per_page: paginationShape.per_page,
  /** The `next_cursor` of the previous page (keyset: newest first). */
  cursor: z.string().max(200).optional(),
  alert_id: idSchema.optional(),
});
export const alertIdParams = z.object({ id: idSchema });
