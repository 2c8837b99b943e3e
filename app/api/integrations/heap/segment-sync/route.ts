// POST /api/integrations/heap/segment-sync?workspace=<token> — Heap's segment sync webhook (Heap-Hash signed).
import { handleHeapSegmentSync } from "@/lib/audiences/heap/segment-sync";

export const POST = handleHeapSegmentSync;
