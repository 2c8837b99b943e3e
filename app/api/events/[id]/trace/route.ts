// GET /api/events/{event_id}/trace — one event end to end (stages, destination lanes, the four checks).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { getTrace } from "@/lib/inspector/trace";

export const GET = apiRoute(
  { permission: "workspace.read", params: z.object({ id: z.string().min(1).max(200) }) },
  ({ actor, params }) => getTrace(actor, params.id),
);
