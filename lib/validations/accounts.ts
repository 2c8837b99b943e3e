// Accounts people own: invitations, password changes and resets.
import { z } from "zod";
import { roleSchema } from "@/lib/validations/workspace";

/** Shared with the browser (forms validate with these schemas): no server-only imports here. */
export const MIN_PASSWORD_LENGTH = 10;

const email = z.email().transform((e) => e.toLowerCase());
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "must be at most 200 characters");
const linkToken = z.string().trim().min(1, "is required").max(200);

export const invitationCreateSchema = z.strictObject({ email, role: roleSchema });

export const invitationAcceptSchema = z.strictObject({
  token: linkToken,
  /**
   * A newcomer's new password, or the current password of someone who already has one; not needed by
   * someone whose account signs in only with GitHub or Google.
   */
  password: z.string().max(200).optional(),
  name: z.string().trim().max(100).optional(),
});

export const passwordChangeSchema = z.strictObject({
  current_password: z.string().min(1, "is required").max(200),
  new_password: newPasswordSchema,
  revoke_tokens: z.boolean().default(false),
});

export const passwordResetRequestSchema = z.strictObject({ email });

export const passwordResetCompleteSchema = z.strictObject({ token: linkToken, password: newPasswordSchema });

/**
 * What next-auth's POST endpoints (sign-in, callbacks, sign-out) read from their form or JSON body:
 * flat string fields (csrfToken, email, password, callbackUrl, json, …).
 */
export const authFormSchema = z.record(z.string(), z.string().max(4096, "must be at most 4096 characters"));
