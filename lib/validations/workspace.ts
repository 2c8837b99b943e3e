// Workspaces, members and their roles, personal access tokens.
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const roleSchema = z.enum(ROLES);
export const memberAddSchema = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  role: roleSchema,
  name: z.string().trim().max(100).optional(),
});
export const memberUpdateSchema = z.strictObject({ role: roleSchema });

export const tokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  expires_in_days: z.number().int().min(1).max(366).optional(),
});

export const UNHASHED_PII_POLICIES = ["block", "hash"] as const;
export type UnhashedPiiPolicy = (typeof UNHASHED_PII_POLICIES)[number];

export const workspaceCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "is required").max(100),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "use 2–40 lowercase letters, digits or -"),
});
/** How long each kind of data is kept (lib/retention); bounds here, relations in lib/retention/settings.ts. */
export const retentionSchema = z.strictObject({
  events_months: z.number().int().min(1).max(120).optional(),
  payloads_days: z.number().int().min(1).max(3650).optional(),
  delivery_logs_days: z.number().int().min(1).max(3650).optional(),
  violation_samples_days: z.number().int().min(1).max(3650).optional(),
  dead_letters_days: z.number().int().min(1).max(3650).optional(),
  audit_log_days: z.number().int().min(365, "must be at least 365 (one year)").max(3650).optional(),
});
export type RetentionInput = z.output<typeof retentionSchema>;

export const workspaceUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    require_four_eyes: z.boolean().optional(),
    require_validation: z.boolean().optional(),
    /** Approving a revision that would reject more than this % of recent events needs a confirmation. */
    approval_rejection_threshold_pct: z.number().int().min(0).max(100).optional(),
    /** A raw e-mail / phone in a property a destination forwards unhashed: reject the event, or hash the value. */
    unhashed_pii_policy: z.enum(UNHASHED_PII_POLICIES).optional(),
    /** Retention (admins); fields left out keep their value. Nothing may outlive the events (422). */
    retention: retentionSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");
export const workspaceSwitchSchema = z.strictObject({ workspace: z.string().trim().min(1).max(64) });
