// GET /api/health — liveness plus a database round trip.
// POST /api/health — the benchmark's reference: parses a JSON body like /api/capture and
// answers 202 without touching the database (Next's own per-request ceiling).

import { errorResponse, json } from "@/lib/api/route";
import { database } from "@/lib/db";
import { readBody } from "@/lib/ingest/http";
import { MAX_EVENT_BYTES } from "@/lib/validations/ingest";

export async function GET() {
  try {
    await database().raw.query("SELECT 1");
    return json({ status: "ok", database: database().mode });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function POST(request: Request) {
  try {
    const { bytes } = await readBody(request, MAX_EVENT_BYTES);
    return json({ status: "accepted", bytes }, 202);
  } catch (error) {
    return errorResponse(error);
  }
}
