// POST /api/capture — accept one canonical-event candidate (write key auth).
import { handleCapture } from "@/lib/ingest/capture-api";

export const POST = handleCapture;
