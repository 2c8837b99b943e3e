// Schemas of the audiences API: definitions, membership changes and snapshots, the Heap segment sync webhook.
import { z } from "zod";
import { idSchema } from "@/lib/validations/common";

/** Most members one call may carry (a 100k snapshot fits in one call). */
export const MAX_MEMBERS_PER_CALL = 200_000;
/** Body limit of the members routes only (the management API's default is 256 KB). */
export const MAX_MEMBERS_BODY_BYTES = 24 * 1024 * 1024;

export const AUDIENCE_DESTINATION_TYPES = ["meta", "google_ads", "linkedin", "webhook"] as const;

export const audienceKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "use lowercase letters, digits, - or _ (max 64)");

export const audienceDestinationSchema = z.strictObject({
  destination_id: idSchema,
  enabled: z.boolean().default(true),
  /** Meta custom audience id, Google Ads user list id or LinkedIn DMP segment id (not needed for webhooks). */
  audience_id: z
    .string()
    .trim()
    .regex(/^\d+$/, "audience_id is the platform's numeric audience / user list / segment id")
    .optional(),
});
export type AudienceDestinationSetting = z.output<typeof audienceDestinationSchema>;

const destinationsField = z
  .array(audienceDestinationSchema)
  .max(20)
  .refine(
    (list) => new Set(list.map((d) => d.destination_id)).size === list.length,
    "each destination may appear once",
  );

export const audienceCreateSchema = z.strictObject({
  key: audienceKeySchema,
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(2000).default(""),
  /** Where the cohort comes from, e.g. "heap:segment:1234"; Heap segment syncs land on the audience naming their segment. */
  source_cohort: z.string().trim().min(1).max(200).optional(),
  destinations: destinationsField.default([]),
});
export type AudienceCreateInput = z.output<typeof audienceCreateSchema>;

export const audienceUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(2000).optional(),
    source_cohort: z.string().trim().min(1).max(200).nullable().optional(),
    destinations: destinationsField.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "send at least one field to change");
export type AudienceUpdateInput = z.output<typeof audienceUpdateSchema>;

export const audienceKeyParams = z.object({ key: audienceKeySchema });

export const memberSchema = z
  .strictObject({
    user_id: z.string().trim().min(1).max(200).optional(),
    anonymous_id: z.string().trim().min(1).max(200).optional(),
  })
  .refine(
    (m) => (m.user_id === undefined) !== (m.anonymous_id === undefined),
    "each member is { user_id } or { anonymous_id }",
  );
export type MemberInput = z.output<typeof memberSchema>;

const requestId = z.string().trim().min(1).max(200);
const members = z.array(memberSchema).max(MAX_MEMBERS_PER_CALL, `at most ${MAX_MEMBERS_PER_CALL} members per call`);

export const membersChangeSchema = z
  .strictObject({ add: members.default([]), remove: members.default([]), request_id: requestId.optional() })
  .refine((v) => v.add.length + v.remove.length > 0, "send members to add or remove");
export type MembersChangeInput = z.output<typeof membersChangeSchema>;

export const membersSnapshotSchema = z
  .strictObject({
    members,
    request_id: requestId.optional(),
    /** Paged snapshots: every page names the same snapshot_id and total_pages; the diff is applied when the last arrives. */
    snapshot_id: z.string().trim().min(1).max(200).optional(),
    page: z.number().int().min(1).optional(),
    total_pages: z.number().int().min(1).max(10_000).optional(),
  })
  .superRefine((v, ctx) => {
    const paged = [v.snapshot_id, v.page, v.total_pages].filter((x) => x !== undefined).length;
    if (paged !== 0 && paged !== 3)
      ctx.addIssue({
        code: "custom",
        path: ["snapshot_id"],
        message: "paged snapshots send snapshot_id, page and total_pages together",
      });
    if (v.page !== undefined && v.total_pages !== undefined && v.page > v.total_pages)
      ctx.addIssue({ code: "custom", path: ["page"], message: "page is beyond total_pages" });
  });
export type MembersSnapshotInput = z.output<typeof membersSnapshotSchema>;

export const memberLookupQuerySchema = z.object({ member: z.string().trim().min(1).max(200) });

/** Heap's segment sync webhook body. */
export const heapSegmentSyncSchema = z.object({
  id_token: z.string().optional(),
  action_type: z.literal("segment.users.sync", { error: 'action_type must be "segment.users.sync"' }),
  data: z.object({
    segment: z.object({
      id: z.union([z.string().min(1), z.number()]).transform(String),
      name: z.string().trim().min(1).max(200),
    }),
    sync_info: z.object({
      page_number: z.number().int().min(0),
      total_pages: z.number().int().min(1).max(100_000),
      sync_task_id: z.union([z.string().min(1), z.number()]).transform(String),
    }),
    add: z.array(z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) })).default([]),
    remove: z.array(z.object({ id: z.union([z.string().min(1), z.number()]).transform(String) })).default([]),
  }),
});
export type HeapSegmentSync = z.output<typeof heapSegmentSyncSchema>;

export const heapIntegrationSchema = z.strictObject({
  identity_kind: z.enum(["user_id", "anonymous_id"]).default("user_id"),
  rotate_secret: z.boolean().default(false),
});
