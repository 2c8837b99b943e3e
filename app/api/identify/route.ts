// POST /api/identify — link anonymous_id ↔ user_id and record traits (write key auth).
import { handleIdentify } from "@/lib/ingest/capture-api";

export const POST = handleIdentify;
