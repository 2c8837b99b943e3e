// POST /api/registry/apply: a registry bundle (the export format) plus the reference it comes from
// (a commit id or a pull request URL), recorded on every revision it drafts and in the audit log.
import { z } from "zod";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";

export const registryApplySchema = z.strictObject({
  reference: z.string().trim().min(1, "is required: a commit id or a pull request URL").max(500),
  bundle: registryBundleSchema,
});
export type RegistryApplyInput = z.output<typeof registryApplySchema>;
