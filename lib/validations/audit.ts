// The audit log's filters.
import { z } from "zod";
import { idSchema, paginationShape } from "@/lib/validations/common";
import { cursorSchema } from "@/lib/validations/cursor";

export const auditListQuerySchema = z.object({
  action: z.string().trim().max(100).optional(),
  entity_type: z.string().trim().max(50).optional(),
  entity_id: idSchema.optional(),
  actor: z.string().trim().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** A next_cursor / prev_cursor from an earlier page (keyset paging; `page` is the deprecated offset). */
  cursor: cursorSchema.optional(),
  ...paginationShape,
});
export type AuditListQuery = z.output<typeof auditListQuerySchema>;
