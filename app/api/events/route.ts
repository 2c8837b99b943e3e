// GET /api/events — stored events, filtered by status, source, canonical event, search and time; paged.
import { apiRoute } from "@/lib/api/route";
import { listEvents } from "@/lib/events/list-events";
import { eventListQuerySchema } from "@/lib/validations/events";

export const GET = apiRoute({ permission: "workspace.read", query: eventListQuerySchema }, ({ actor, query }) =>
  listEvents(actor, query),
);
