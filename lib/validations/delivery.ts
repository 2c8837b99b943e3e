// Schemas of the delivery API: destinations, the deliveries log, retry and replay.
import { z } from "zod";
import { idSchema } from "@/lib/validations/common";
import { cursorSchema } from "@/lib/validations/cursor";

export const DESTINATION_TYPES = ["meta", "google_ads", "ga4", "linkedin", "hubspot", "webhook", "heap"] as const;
export const DELIVERY_STATUSES = ["pending", "succeeded", "retrying", "dead", "skipped"] as const;

const page = z.coerce.number().int().min(1).default(1);
const perPage = z.coerce.number().int().min(1).max(100).default(25);

export const destinationCreateSchema = z.strictObject({
  type: z.enum(DESTINATION_TYPES),
  name: z.string().trim().min(1, "is required").max(100),
  config: z.record(z.string(), z.unknown()).default({}),
  /** Write-only: stored encrypted, never returned. */
  secrets: z.record(z.string(), z.string().min(1)).default({}),
  enabled: z.boolean().default(false),
  test_mode: z.boolean().default(true),
});
export const destinationUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    /** Merged into the stored secrets; a null value removes that secret. */
    secrets: z.record(z.string(), z.string().min(1).nullable()).optional(),
    enabled: z.boolean().optional(),
    test_mode: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");

export const deliveryListQuerySchema = z.object({
  destination: idSchema.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  canonical_event: z.string().trim().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** A next_cursor / prev_cursor from an earlier page (keyset paging; `page` is the deprecated offset). */
  cursor: cursorSchema.optional(),
  page,
  per_page: perPage,
});
export type DeliveryListQuery = z.output<typeof deliveryListQuerySchema>;

export const replaySchema = z.strictObject({
  destination: idSchema.optional(),
  statuses: z
    .array(z.enum(["dead", "retrying"]))
    .min(1)
    .default(["dead"]),
  error_contains: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  dry_run: z.boolean().default(true),
});
export type ReplayInput = z.output<typeof replaySchema>;

export const backfillSchema = z.strictObject({
  destination_id: idSchema,
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  dry_run: z.boolean().default(true),
});
export type BackfillInput = z.output<typeof backfillSchema>;

export const ga4ValidateSchema = z.strictObject({
  /** A stored event's event_id to validate; omit to validate a sample purchase. */
  event_id: z.string().trim().min(1, "must not be empty").max(200).optional(),
});
export type Ga4ValidateInput = z.output<typeof ga4ValidateSchema>;
