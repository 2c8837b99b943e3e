// Schemas of the ingest API: TrackLayer's own capture / identify / batch, and the Segment
// HTTP Tracking API shapes its SDKs send (looser: those clients add fields of their own).
import { z } from "zod";
import { sourceKeySchema } from "@/lib/validations/sources";

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_ITEMS = 500;

const id = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(200, `${what} must be at most 200 characters`);
const jsonObject = z.record(z.string(), z.unknown());
const timestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "must be an ISO 8601 date-time" });

const needsIdentity = (v: { user_id?: unknown; anonymous_id?: unknown }) => Boolean(v?.user_id || v?.anonymous_id);
// `when` lets the check report alongside other field errors instead of only after them.
const identityIssue = { path: ["user_id"], message: "send user_id or anonymous_id (or both)", when: () => true };

export const captureSchema = z
  .strictObject({
    event: z.string().trim().min(1, "is required").max(200),
    event_id: id("event_id"),
    user_id: id("user_id").optional(),
    anonymous_id: id("anonymous_id").optional(),
    properties: jsonObject.default({}),
    source: sourceKeySchema.optional(),
    timestamp: timestamp.optional(),
    context: jsonObject.optional(),
  })
  .refine(needsIdentity, identityIssue);
export type CaptureInput = z.output<typeof captureSchema>;

export const identifySchema = z.strictObject({
  user_id: id("user_id"),
  anonymous_id: id("anonymous_id").optional(),
  traits: jsonObject.default({}),
  timestamp: timestamp.optional(),
  context: jsonObject.optional(),
});
export type IdentifyInput = z.output<typeof identifySchema>;

/** Items of /api/batch: each validated on its own so one bad item fails alone. */
export const batchEnvelopeSchema = z.strictObject({
  batch: z
    .array(z.record(z.string(), z.unknown()))
    .min(1, "send at least one item")
    .max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} items per batch`),
});
export const batchItemTypeSchema = z.looseObject({
  type: z.enum(["capture", "identify"], { error: 'must be "capture" or "identify"' }),
});

// Segment HTTP Tracking API ----------------------------------------------------------------
export const SEGMENT_TYPES = ["track", "identify", "page", "screen", "group", "alias"] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

export const segmentMessageSchema = z
  .looseObject({
    type: z.enum(SEGMENT_TYPES).optional(),
    messageId: id("messageId").optional(),
    userId: z.union([z.string(), z.number()]).transform(String).pipe(id("userId")).optional(),
    anonymousId: z.union([z.string(), z.number()]).transform(String).pipe(id("anonymousId")).optional(),
    previousId: id("previousId").optional(),
    event: z.string().trim().min(1).max(200).optional(),
    name: z.string().trim().max(200).optional(),
    groupId: id("groupId").optional(),
    properties: jsonObject.optional(),
    traits: jsonObject.optional(),
    context: jsonObject.optional(),
    timestamp: timestamp.optional(),
  })
  .refine((m) => Boolean(m?.userId || m?.anonymousId), {
    path: ["userId"],
    message: "send userId or anonymousId",
    when: () => true,
  });
export type SegmentMessage = z.output<typeof segmentMessageSchema>;

export const segmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1, "send at least one message").max(MAX_BATCH_ITEMS),
});
