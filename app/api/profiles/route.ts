// GET /api/profiles?user_id=… | ?anonymous_id=… — a profile with its identities, traits and recent events.
import { apiRoute } from "@/lib/api/route";
import { lookupProfile } from "@/lib/identity/lookup-profile";
import { profileLookupQuerySchema } from "@/lib/validations/events";

export const GET = apiRoute({ permission: "workspace.read", query: profileLookupQuerySchema }, ({ actor, query }) =>
  lookupProfile(actor, query),
);
