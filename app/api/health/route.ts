// GET /api/health — liveness plus a database round trip.
import { database } from "@/lib/db";
import { errorResponse, json } from "@/lib/api/route";

export async function GET() {
  try {
    await database().raw.query("SELECT 1");
    return json({ status: "ok", database: database().mode });
  } catch (error) {
    return errorResponse(error);
  }
}
