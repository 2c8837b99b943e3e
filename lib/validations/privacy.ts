// Schemas of the privacy API: a person's deletion request and suppressions, by user_id, anonymous_id or e-mail.
import { z } from "zod";
import { idSchema } from "@/lib/validations/common";

export const IDENTIFIER_KINDS = ["user_id", "anonymous_id", "email"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

const identifier = {
  kind: z.enum(IDENTIFIER_KINDS, { error: "kind is one of user_id, anonymous_id, email" }),
  value: z.string({ error: "value is required" }).trim().min(1, "value is required").max(512),
};

/** An e-mail must look like one; ids are taken as sent. */
const checkEmail = (v: { kind: string; value: string }, ctx: z.RefinementCtx) => {
  if (v.kind === "email" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.value))
    ctx.addIssue({ code: "custom", path: ["value"], message: "value is not an e-mail address" });
};

export const deletionCreateSchema = z.strictObject(identifier).superRefine(checkEmail);
export type DeletionCreateInput = z.output<typeof deletionCreateSchema>;

export const suppressionCreateSchema = z
  .strictObject({ ...identifier, reason: z.string().trim().max(500).default("") })
  .superRefine(checkEmail);
export type SuppressionCreateInput = z.output<typeof suppressionCreateSchema>;

export const privacyIdParams = z.object({ id: idSchema });
