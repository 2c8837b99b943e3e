// POST /api/batch — up to 500 capture / identify items (500 KB), one result per item.
import { handleBatch } from "@/lib/ingest/capture-api";

export const POST = handleBatch;
